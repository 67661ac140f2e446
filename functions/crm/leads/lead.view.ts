import { z } from 'zod';
import { emailSchema, phoneSchema } from '../../../shared/validation/contact.js';
import { leadStatuses, type LeadRecord } from './lead.repo.js';

export const leadStatusSchema = z.enum(leadStatuses);

/** The lead fields an RM types in; null clears an optional one on update. */
export const leadFieldsSchema = {
  fullname: z.string().trim().min(2).max(200),
  phone: phoneSchema.nullable(),
  email: emailSchema.nullable(),
  source: z.string().trim().min(1).max(100).nullable(),
  notes: z.string().trim().max(2000).nullable(),
  nextFollowUpAt: z.iso.datetime({ offset: true }).nullable(),
};

export const leadSchema = z.object({
  id: z.number().int(),
  companyId: z.number().int(),
  fullname: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  source: z.string().nullable(),
  notes: z.string().nullable(),
  status: leadStatusSchema,
  ownerId: z.number().int(),
  investorId: z.uuid().nullable(),
  nextFollowUpAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LeadView = z.infer<typeof leadSchema>;

export function leadView(l: LeadRecord): LeadView {
  return {
    id: l.id,
    companyId: l.companyId,
    fullname: l.fullname,
    phone: l.phone,
    email: l.email,
    source: l.source,
    notes: l.notes,
    status: l.status,
    ownerId: l.ownerId,
    investorId: l.investorId,
    nextFollowUpAt: l.nextFollowUpAt?.toISOString() ?? null,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}
