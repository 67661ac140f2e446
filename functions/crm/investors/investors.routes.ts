import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { pageQuery } from '../../../shared/http/pagination.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { investorSchema, investorStatusSchema, investorTypeSchema } from './investor.view.js';
import { submitInvestorSchema } from './kyc-input.js';
import { submitInvestor } from './submit-investor.js';
import { getInvestor, listInvestorsOfCaller } from './list-investors.js';
import { decideInvestors } from './decide-investors.js';
import { revealInvestorPii } from './reveal-investor-pii.js';

const tags = ['Investors'];
export const investorIdParams = z.strictObject({ id: z.uuid() });

export const listInvestorsRoute = defineRoute({
  method: 'GET',
  path: '/crm/investors',
  operationId: 'listInvestors',
  summary: 'Investors, newest first: an agent’s own, an admin’s companies’ (filters: status, type, agentId, q in name/email/phone or a whole NIK/NPWP)',
  tags,
  access: 'private',
  permission: 'investor:read',
  query: z.strictObject({
    status: investorStatusSchema.optional(),
    type: investorTypeSchema.optional(),
    agentId: z.coerce.number().int().positive().optional(),
    q: z.string().trim().min(1).max(100).optional(),
    ...pageQuery,
  }),
  response: { status: 200, description: 'A page of <investor>', schema: z.object({ items: z.array(investorSchema), nextCursor: z.string().nullable() }) },
  handler: async ({ query, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: await listInvestorsOfCaller({ principal: p, actor: actorOf(p, ip), ...query }) };
  },
});

export const submitInvestorRoute = defineRoute({
  method: 'POST',
  path: '/crm/investors',
  operationId: 'submitInvestor',
  summary: 'Submit an investor’s KYC (individual or institutional) with risk profile and bank accounts for approval; leadId completes a converted lead’s draft',
  tags,
  access: 'private',
  permission: 'investor:write',
  body: submitInvestorSchema,
  errors: ['NOT_FOUND', 'CONFLICT'],
  response: { status: 201, description: '<investor>, SUBMITTED', schema: investorSchema },
  handler: async ({ body, principal, ip }) => {
    const p = requirePrincipal(principal);
    const investor = await submitInvestor({ principal: p, actor: actorOf(p, ip), input: body });
    return { status: 201, body: investor, headers: { Location: `/crm/investors/${investor.id}` } };
  },
});

export const getInvestorRoute = defineRoute({
  method: 'GET',
  path: '/crm/investors/{id}',
  operationId: 'getInvestor',
  summary: 'One investor (agents: their own), sensitive numbers masked',
  tags,
  access: 'private',
  permission: 'investor:read',
  params: investorIdParams,
  errors: ['NOT_FOUND'],
  response: { status: 200, description: '<investor>', schema: investorSchema },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: await getInvestor({ actor: actorOf(p, ip), id: params.id }) };
  },
});

export const decideInvestorsRoute = defineRoute({
  method: 'PATCH',
  path: '/crm/investors',
  operationId: 'decideInvestors',
  summary: 'Approve or reject submitted investors, one or many, all or none (a reason is required to reject); each agent gets a push',
  tags,
  access: 'private',
  permission: 'investor:approve',
  body: z
    .strictObject({
      ids: z.array(z.uuid()).min(1).max(100),
      decision: z.enum(['APPROVE', 'REJECT']),
      reason: z.string().trim().min(3).max(500).optional(),
    })
    .refine((b) => b.decision === 'APPROVE' || b.reason !== undefined, { path: ['reason'], message: 'Give the reason for a rejection' })
    .refine((b) => b.decision === 'REJECT' || b.reason === undefined, { path: ['reason'], message: 'Only a rejection carries a reason' }),
  errors: ['NOT_FOUND', 'CONFLICT'],
  response: { status: 200, description: 'The decided investors', schema: z.object({ items: z.array(investorSchema) }) },
  handler: async ({ body, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: { items: await decideInvestors({ actor: actorOf(p, ip), ...body }) } };
  },
});

export const revealInvestorPiiRoute = defineRoute({
  method: 'GET',
  path: '/crm/investors/{id}/pii',
  operationId: 'revealInvestorPii',
  summary: 'The full NIK, NPWP, mother’s maiden name, US TIN, account numbers and authorized persons’ NIKs; each reading is audited',
  tags,
  access: 'private',
  permission: 'investor:reveal',
  params: investorIdParams,
  errors: ['NOT_FOUND'],
  response: {
    status: 200,
    description: 'The sensitive values',
    schema: z.object({
      nik: z.string().nullable(),
      npwp: z.string().nullable(),
      motherMaidenName: z.string().nullable(),
      usTin: z.string().nullable(),
      bankAccounts: z.array(z.object({ id: z.number().int(), bankCode: z.string(), accountNumber: z.string() })),
      authorizedPersons: z.array(z.object({ id: z.number().int(), name: z.string(), nik: z.string() })),
    }),
  },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: await revealInvestorPii({ actor: actorOf(p, ip), id: params.id }) };
  },
});
