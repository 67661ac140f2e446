import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { preferredLocale } from '../../../shared/http/locale.js';
import { kycOptionsView } from './kyc-options.js';
import { questionnaireView } from './risk-questionnaire.js';

// The lists change with a release, not during one; clients may keep them for an hour, per language.
const formDataCache = 'public, max-age=3600';
const tags = ['Master data'];

const option = z.object({ value: z.string(), label: z.string() });

export const kycOptionsRoute = defineRoute({
  method: 'GET',
  path: '/crm/kyc-options',
  operationId: 'kycOptions',
  summary: 'The KYC choice lists (S-INVEST codes as values), labelled in Indonesian or English by Accept-Language',
  tags,
  access: 'public',
  query: z.strictObject({}),
  cacheControl: formDataCache,
  response: { status: 200, description: 'Each list of options', schema: z.record(z.string(), z.array(option)) },
  handler: async ({ headers }) => {
    const locale = preferredLocale(headers);
    return { body: kycOptionsView(locale), headers: { 'Content-Language': locale, Vary: 'Accept-Language' } };
  },
});

export const riskQuestionnaireRoute = defineRoute({
  method: 'GET',
  path: '/crm/risk-questionnaire',
  operationId: 'riskQuestionnaire',
  summary: 'The current risk-profile questionnaire with the score of each answer',
  tags,
  access: 'public',
  query: z.strictObject({}),
  cacheControl: formDataCache,
  response: {
    status: 200,
    description: 'Version and questions',
    schema: z.object({
      version: z.string(),
      questions: z.array(z.object({ id: z.string(), text: z.string(), options: z.array(option.extend({ score: z.number() })) })),
    }),
  },
  handler: async ({ headers }) => {
    const locale = preferredLocale(headers);
    return { body: questionnaireView(locale), headers: { 'Content-Language': locale, Vary: 'Accept-Language' } };
  },
});
