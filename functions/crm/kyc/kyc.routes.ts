import { z } from 'zod';
import type { IncomingHttpHeaders } from 'node:http';
import { defineRoute } from '../../../shared/http/route.js';
import { kycOptionsView } from './kyc-options.js';
import { questionnaireView } from './risk-questionnaire.js';

// The lists change with a release, not during one; clients may keep them for an hour, per language.
const formDataCache = 'public, max-age=3600';
const tags = ['Master data'];

/** Indonesian unless the client prefers English before Indonesian (Accept-Language, q-values honoured). */
export function preferredLocale(headers: IncomingHttpHeaders): 'id' | 'en' {
  const ranked = (headers['accept-language'] ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { lang: tag.split('-')[0], q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((l) => (l.lang === 'id' || l.lang === 'en') && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.lang === 'en' ? 'en' : 'id';
}

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
