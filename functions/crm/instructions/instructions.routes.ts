import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { pageQuery } from '../../../shared/http/pagination.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { cancelInstruction } from './cancel-instruction.js';
import { createInstruction } from './create-instruction.js';
import { createInstructionSchema } from './instruction-input.js';
import { instructionSchema, instructionStatusSchema, instructionView } from './instruction.view.js';
import { getInstruction, listInstructionsOfCaller } from './list-instructions.js';
import { resendSignatureLink } from './resend-link.js';

const tags = ['Instructions'];
const instructionIdParams = z.strictObject({ id: z.uuid() });

export const listInstructionsRoute = defineRoute({
  method: 'GET',
  path: '/crm/instructions',
  operationId: 'listInstructions',
  summary: 'Instructions, newest first: an agent’s own, an admin’s companies’ (filters: status, investorId)',
  tags,
  access: 'private',
  permission: 'instruction:read',
  query: z.strictObject({ status: instructionStatusSchema.optional(), investorId: z.uuid().optional(), ...pageQuery }),
  response: { status: 200, description: 'A page of <instruction>', schema: z.object({ items: z.array(instructionSchema), nextCursor: z.string().nullable() }) },
  handler: async ({ query, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: await listInstructionsOfCaller({ principal: p, actor: actorOf(p, ip), ...query }) };
  },
});

export const createInstructionRoute = defineRoute({
  method: 'POST',
  path: '/crm/instructions',
  operationId: 'createInstruction',
  summary:
    'Prepare a subscription, redemption or switch for an approved investor (licensed RMs only); the investor is emailed a link to approve and sign it. ' +
    'amount (2 decimals) and units (4 decimals) are JSON numbers or decimal strings; a product above the investor’s risk profile needs riskAcknowledged: true',
  tags,
  access: 'private',
  permission: 'instruction:create',
  body: createInstructionSchema,
  errors: ['NOT_FOUND', 'BUSINESS_RULE', 'LICENCE_REQUIRED', 'UNSUITABLE_PRODUCT'],
  response: { status: 201, description: '<instruction>, PENDING_SIGNATURE', schema: instructionSchema },
  handler: async ({ body, principal, ip }) => {
    const p = requirePrincipal(principal);
    const instruction = await createInstruction({ principal: p, actor: actorOf(p, ip), input: body });
    return { status: 201, body: instructionView(instruction), headers: { Location: `/crm/instructions/${instruction.id}` } };
  },
});

export const getInstructionRoute = defineRoute({
  method: 'GET',
  path: '/crm/instructions/{id}',
  operationId: 'getInstruction',
  summary: 'One instruction (agents: their own)',
  tags,
  access: 'private',
  permission: 'instruction:read',
  params: instructionIdParams,
  errors: ['NOT_FOUND'],
  response: { status: 200, description: '<instruction>', schema: instructionSchema },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: await getInstruction({ actor: actorOf(p, ip), id: params.id }) };
  },
});

export const cancelInstructionRoute = defineRoute({
  method: 'POST',
  path: '/crm/instructions/{id}/cancel',
  operationId: 'cancelInstruction',
  summary: 'Cancel an instruction the investor has not signed or rejected yet; its link stops working',
  tags,
  access: 'private',
  permission: 'instruction:manage',
  params: instructionIdParams,
  body: z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).default({}),
  errors: ['NOT_FOUND', 'CONFLICT'],
  response: { status: 200, description: '<instruction>, CANCELLED', schema: instructionSchema },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: instructionView(await cancelInstruction({ actor: actorOf(p, ip), id: params.id, reason: body.reason })) };
  },
});

export const resendInstructionLinkRoute = defineRoute({
  method: 'POST',
  path: '/crm/instructions/{id}/resend-link',
  operationId: 'resendInstructionLink',
  summary: 'Email the investor a new signature link with a fresh lifetime; the previous link stops working (5 per instruction per hour)',
  tags,
  access: 'private',
  permission: 'instruction:manage',
  params: instructionIdParams,
  errors: ['NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'],
  response: { status: 200, description: '<instruction> with its new linkExpiresAt', schema: instructionSchema },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: instructionView(await resendSignatureLink({ actor: actorOf(p, ip), id: params.id })) };
  },
});

export const instructionRoutes = [listInstructionsRoute, createInstructionRoute, getInstructionRoute, cancelInstructionRoute, resendInstructionLinkRoute];
