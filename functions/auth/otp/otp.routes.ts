import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { userSchema, deviceIdSchema } from '../users/user.view.js';
import { tokenPairSchema } from '../sessions/token-pair.js';
import { otpViewSchema } from './issue-otp.js';
import { verifyOtp } from './verify-otp.js';
import { resendOtp } from './resend-otp.js';

export const verifyOtpRoute = defineRoute({
  method: 'POST',
  path: '/auth/verify-otp',
  operationId: 'verifyOtp',
  summary: 'Verify a one-time code; what it returns depends on its purpose',
  tags: ['Auth'],
  access: 'public',
  csrf: true,
  body: z.strictObject({
    ottId: z.uuid(),
    code: z.string().regex(/^\d{6}$/, 'Six digits'),
    deviceId: deviceIdSchema.optional(),
  }),
  errors: ['OTP_INVALID', 'OTP_EXPIRED', 'OTP_USED', 'OTP_LOCKED', 'RATE_LIMITED', 'IDENTIFIER_TAKEN'],
  response: {
    status: 200,
    description: 'REGISTER {status}, NEW_DEVICE <token pair>, RESET_PASSWORD {resetToken, expiresAt}, CHANGE_PHONE/CHANGE_EMAIL {user}',
    schema: z.union([
      z.object({ status: z.literal('PENDING_APPROVAL') }),
      tokenPairSchema,
      z.object({ resetToken: z.string(), expiresAt: z.string() }),
      z.object({ user: userSchema }),
    ]),
  },
  handler: async ({ body, ip, userAgent }) => ({ body: await verifyOtp({ ...body, ip, userAgent }) }),
});

export const resendOtpRoute = defineRoute({
  method: 'POST',
  path: '/auth/resend-otp',
  operationId: 'resendOtp',
  summary: 'Send a new code for the same purpose (cooldown and hourly cap); the previous code stops working',
  tags: ['Auth'],
  access: 'public',
  csrf: true,
  body: z.strictObject({ ottId: z.uuid() }),
  errors: ['OTP_EXPIRED', 'OTP_USED', 'RATE_LIMITED'],
  response: { status: 202, description: 'A new code is on its way', schema: z.object({ otp: otpViewSchema }) },
  handler: async ({ body, ip }) => ({ status: 202, body: { otp: await resendOtp({ ottId: body.ottId, ip }) } }),
});
