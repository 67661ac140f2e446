import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { AppError } from '../../../shared/errors.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { deviceIdSchema, emailSchema, fullnameSchema, licenceSchema, phoneSchema, platformSchema } from '../users/user.view.js';
import { identifiersTaken } from '../users/subjects.js';
import { otpViewSchema } from '../otp/issue-otp.js';
import { register } from './register.js';

export const registerRoute = defineRoute({
  method: 'POST',
  path: '/auth/register',
  operationId: 'register',
  summary: 'An RM agent signs up into an active company; an OTP goes to the phone',
  tags: ['Auth'],
  access: 'public',
  csrf: true,
  body: z.strictObject({
    companyId: z.number().int().positive(),
    fullname: fullnameSchema,
    email: emailSchema,
    phone: phoneSchema,
    password: z.string().min(1).max(1024),
    deviceId: deviceIdSchema,
    platform: platformSchema.optional(),
    deviceName: z.string().trim().min(1).max(100).optional(),
    locale: z.enum(['id', 'en']).optional(),
    // The agent's WAPERD licence; an admin can record it later, but approval needs it.
    licence: licenceSchema.optional(),
  }),
  errors: ['COMPANY_UNAVAILABLE', 'IDENTIFIER_TAKEN', 'PASSWORD_REJECTED', 'RATE_LIMITED'],
  response: {
    status: 201,
    description: 'The account waits for the code sent by SMS',
    schema: z.object({ userId: z.number().int(), status: z.literal('PENDING_VERIFICATION'), otp: otpViewSchema }),
  },
  handler: async ({ body, ip }) => ({ status: 201, body: await register({ ...body, ip }) }),
});

export const verifyUniqueRoute = defineRoute({
  method: 'POST',
  path: '/auth/verify-unique',
  operationId: 'verifyUnique',
  summary: 'Whether an email and/or phone number is still available (rate limited)',
  tags: ['Auth'],
  access: 'public',
  body: z.strictObject({ email: emailSchema.optional(), phone: phoneSchema.optional() }),
  errors: ['RATE_LIMITED'],
  response: {
    status: 200,
    description: 'Availability of each value given',
    schema: z.object({ email: z.object({ available: z.boolean() }).optional(), phone: z.object({ available: z.boolean() }).optional() }),
  },
  handler: async ({ body, ip }) => {
    if (!body.email && !body.phone) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'body', message: 'Give email, phone or both' }] });
    await enforceLimits([
      { name: 'verify-unique:ip', subject: ip, windowSeconds: 60, limit: 20 },
      { name: 'verify-unique:ip', subject: ip, windowSeconds: 3600, limit: 200 },
    ]);
    const taken = await identifiersTaken(body.email ?? null, body.phone ?? null);
    return {
      body: {
        ...(body.email ? { email: { available: !taken.emailTaken } } : {}),
        ...(body.phone ? { phone: { available: !taken.phoneTaken } } : {}),
      },
    };
  },
});
