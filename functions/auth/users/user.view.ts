import { z } from 'zod';
import type { UserRecord } from './user.repo.js';

/** <user> of API.md. */
export const userSchema = z.object({
  id: z.number().int(),
  fullname: z.string(),
  email: z.string(),
  phone: z.string(),
  role: z.enum(['RM_AGENT', 'ADMIN', 'SUPER_ADMIN']),
  status: z.enum(['PENDING_VERIFICATION', 'PENDING_APPROVAL', 'ACTIVE', 'REJECTED', 'INACTIVE']),
  /** The home company; companyIds adds the others an admin acts in. */
  companyId: z.number().int(),
  companyIds: z.array(z.number().int()),
  licence: z.object({ number: z.string(), expiresOn: z.iso.date(), expired: z.boolean() }).nullable(),
  rejectedReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  approvedAt: z.iso.datetime().nullable(),
});
export type UserView = z.infer<typeof userSchema>;

export function userView(u: UserRecord): UserView {
  return {
    id: u.id,
    fullname: u.fullname,
    email: u.email,
    phone: u.phone,
    role: u.role,
    status: u.status,
    companyId: u.companyId,
    companyIds: u.companyIds,
    licence: u.licence,
    rejectedReason: u.rejectedReason,
    createdAt: u.createdAt.toISOString(),
    approvedAt: u.approvedAt?.toISOString() ?? null,
  };
}

/** A WAPERD licence as admins and agents send it: the number as printed, the expiry date. */
export const licenceSchema = z.strictObject({
  number: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9./ -]{2,63}$/, 'Letters, digits, dots, slashes, dashes and spaces; 3 to 64'),
  expiresOn: z.iso.date(),
});

/** E.164 phone and email as the API takes them; emails are compared lowercase. */
export { emailSchema, phoneSchema } from '../../../shared/validation/contact.js';
export const fullnameSchema = z.string().trim().min(2).max(200);
export const deviceIdSchema = z.string().min(1).max(200);
export const platformSchema = z.enum(['ANDROID', 'IOS', 'WEB']);

/** Login and reset identify a user by email or E.164 phone. */
export const identifierSchema = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .transform((v) => (v.includes('@') ? v.toLowerCase() : v))
  .refine((v) => (v.includes('@') ? z.email().safeParse(v).success : /^\+[1-9]\d{7,14}$/.test(v)), 'An email address or an E.164 phone number');
