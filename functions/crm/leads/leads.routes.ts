import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { pageQuery } from '../../../shared/http/pagination.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { notFound } from '../crm-access.js';
import { investorSchema, investorTypeSchema, investorView } from '../investors/investor.view.js';
import { findLead } from './lead.repo.js';
import { leadFieldsSchema, leadSchema, leadStatusSchema, leadView } from './lead.view.js';
import { createLead } from './create-lead.js';
import { deleteLeadOfCaller, updateLeadOfCaller } from './update-lead.js';
import { listLeadsOfCaller } from './list-leads.js';
import { convertLead } from './convert-lead.js';

const tags = ['Leads'];
const leadIdParams = z.strictObject({ id: z.coerce.number().int().positive() });
const ownerIdSchema = z.number().int().positive();

export const listLeadsRoute = defineRoute({
  method: 'GET',
  path: '/crm/leads',
  operationId: 'listLeads',
  summary: 'Leads, newest first: an agent’s own, an admin’s companies’ (filters: status, q in name/email/phone, ownerId)',
  tags,
  access: 'private',
  permission: 'lead:read',
  query: z.strictObject({
    status: leadStatusSchema.optional(),
    q: z.string().trim().min(1).max(100).optional(),
    ownerId: z.coerce.number().int().positive().optional(),
    ...pageQuery,
  }),
  response: { status: 200, description: 'A page of <lead>', schema: z.object({ items: z.array(leadSchema), nextCursor: z.string().nullable() }) },
  handler: async ({ query, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: await listLeadsOfCaller({ principal: p, actor: actorOf(p, ip), ...query }) };
  },
});

export const createLeadRoute = defineRoute({
  method: 'POST',
  path: '/crm/leads',
  operationId: 'createLead',
  summary: 'A NEW lead, owned by the calling agent (an admin names the owning agent with ownerId)',
  tags,
  access: 'private',
  permission: 'lead:write',
  body: z.strictObject({
    fullname: leadFieldsSchema.fullname,
    phone: leadFieldsSchema.phone.optional(),
    email: leadFieldsSchema.email.optional(),
    source: leadFieldsSchema.source.optional(),
    notes: leadFieldsSchema.notes.optional(),
    nextFollowUpAt: leadFieldsSchema.nextFollowUpAt.optional(),
    ownerId: ownerIdSchema.optional(),
  }),
  response: { status: 201, description: '<lead>', schema: leadSchema },
  handler: async ({ body, principal, ip }) => {
    const p = requirePrincipal(principal);
    const { ownerId, ...fields } = body;
    const lead = await createLead({ principal: p, actor: actorOf(p, ip), fields, ownerId });
    return { status: 201, body: leadView(lead), headers: { Location: `/crm/leads/${lead.id}` } };
  },
});

export const getLeadRoute = defineRoute({
  method: 'GET',
  path: '/crm/leads/{id}',
  operationId: 'getLead',
  summary: 'One lead of the caller (agents: their own)',
  tags,
  access: 'private',
  permission: 'lead:read',
  params: leadIdParams,
  errors: ['NOT_FOUND'],
  response: { status: 200, description: '<lead>', schema: leadSchema },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    const lead = await withTransaction(actorOf(p, ip), (tx) => findLead(tx, params.id));
    if (!lead) throw notFound('lead');
    return { body: leadView(lead) };
  },
});

export const updateLeadRoute = defineRoute({
  method: 'PUT',
  path: '/crm/leads/{id}',
  operationId: 'updateLead',
  summary: 'Edit a lead, move it along NEW → CONTACTED → INTERESTED (or LOST), or (admins) reassign it to another agent of its company',
  tags,
  access: 'private',
  permission: 'lead:write',
  params: leadIdParams,
  body: z
    .strictObject({
      fullname: leadFieldsSchema.fullname.optional(),
      phone: leadFieldsSchema.phone.optional(),
      email: leadFieldsSchema.email.optional(),
      source: leadFieldsSchema.source.optional(),
      notes: leadFieldsSchema.notes.optional(),
      nextFollowUpAt: leadFieldsSchema.nextFollowUpAt.optional(),
      status: leadStatusSchema.optional(),
      ownerId: ownerIdSchema.optional(),
    })
    .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change'),
  errors: ['NOT_FOUND', 'CONFLICT'],
  response: { status: 200, description: '<lead>', schema: leadSchema },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: leadView(await updateLeadOfCaller({ principal: p, actor: actorOf(p, ip), id: params.id, changes: body })) };
  },
});

export const deleteLeadRoute = defineRoute({
  method: 'DELETE',
  path: '/crm/leads/{id}',
  operationId: 'deleteLead',
  summary: 'Delete a lead that was not converted (the audit trail keeps it)',
  tags,
  access: 'private',
  permission: 'lead:write',
  params: leadIdParams,
  errors: ['NOT_FOUND', 'CONFLICT'],
  response: { status: 204, description: 'Deleted' },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    await deleteLeadOfCaller({ actor: actorOf(p, ip), id: params.id });
    return { status: 204 };
  },
});

export const convertLeadRoute = defineRoute({
  method: 'POST',
  path: '/crm/leads/{id}/convert',
  operationId: 'convertLead',
  summary: 'Convert an INTERESTED lead: a DRAFT investor prefilled from it, linked both ways; complete it with POST /crm/investors {leadId}',
  tags,
  access: 'private',
  permission: 'lead:write',
  params: leadIdParams,
  body: z.strictObject({ type: investorTypeSchema.default('INDIVIDUAL') }).default({ type: 'INDIVIDUAL' }),
  errors: ['NOT_FOUND', 'CONFLICT'],
  response: { status: 201, description: 'The converted lead and its draft investor', schema: z.object({ lead: leadSchema, investor: investorSchema }) },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    const { lead, investor } = await convertLead({ actor: actorOf(p, ip), id: params.id, type: body.type });
    return { status: 201, body: { lead: leadView(lead), investor: investorView(investor, []) }, headers: { Location: `/crm/investors/${investor.id}` } };
  },
});

export const leadRoutes = [listLeadsRoute, createLeadRoute, getLeadRoute, updateLeadRoute, deleteLeadRoute, convertLeadRoute];
