import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { investorSchema } from './investor.view.js';
import { investorIdParams } from './investors.routes.js';
import { linkExternalId } from './link-external-id.js';
import { requestBibSync } from './request-bib-sync.js';

const tags = ['Investors'];

export const linkExternalIdRoute = defineRoute({
  method: 'PUT',
  path: '/crm/investor/{id}/externalId',
  operationId: 'linkInvestorExternalId',
  summary: 'Link an approved investor to its Bib id by hand; the sync respects the link',
  tags,
  access: 'private',
  permission: 'investor:sync',
  params: investorIdParams,
  body: z.strictObject({ externalId: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'Letters, digits and . _ : - (at most 64)') }),
  errors: ['NOT_FOUND', 'CONFLICT'],
  response: { status: 200, description: '<investor>', schema: investorSchema },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: await linkExternalId({ actor: actorOf(p, ip), id: params.id, externalId: body.externalId }) };
  },
});

export const requestBibSyncRoute = defineRoute({
  method: 'POST',
  path: '/crm/investor/sync-bib',
  operationId: 'requestBibSync',
  summary: 'Queue a Bib sync now, of the named approved investors or of everything due',
  tags,
  access: 'private',
  permission: 'investor:sync',
  body: z.strictObject({ investorIds: z.array(z.uuid()).min(1).max(500).optional() }).default({}),
  errors: ['NOT_FOUND', 'CONFLICT'],
  response: { status: 202, description: 'How many investors the queued sync covers', schema: z.object({ queued: z.number().int() }) },
  handler: async ({ body, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { status: 202, body: await requestBibSync({ actor: actorOf(p, ip), investorIds: body.investorIds }) };
  },
});
