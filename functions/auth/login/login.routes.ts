import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { deviceIdSchema, identifierSchema, platformSchema } from '../users/user.view.js';
import { tokenPairSchema } from '../sessions/token-pair.js';
import { otpViewSchema } from '../otp/issue-otp.js';
import { login } from './login.js';

export const loginRoute = defineRoute({
  method: 'POST',
  path: '/auth/login',
  operationId: 'login',
  summary: 'Sign in with email or phone and password; a new device answers 202 with an OTP challenge',
  tags: ['Auth'],
  access: 'public',
  csrf: true,
  body: z.strictObject({
    identifier: identifierSchema,
    password: z.string().min(1).max(1024),
    deviceId: deviceIdSchema,
    platform: platformSchema.optional(),
    deviceName: z.string().trim().min(1).max(100).optional(),
  }),
  errors: ['INVALID_CREDENTIALS', 'ACCOUNT_PENDING_VERIFICATION', 'ACCOUNT_PENDING_APPROVAL', 'ACCOUNT_REJECTED', 'ACCOUNT_INACTIVE', 'ACCOUNT_LOCKED', 'RATE_LIMITED'],
  response: {
    status: 200,
    description: 'Signed in (200), or 202 {challenge:"NEW_DEVICE", otp} for a device not trusted yet',
    schema: z.union([tokenPairSchema, z.object({ challenge: z.literal('NEW_DEVICE'), otp: otpViewSchema })]),
  },
  handler: async ({ body, ip, userAgent }) => {
    const result = await login({ ...body, ip, userAgent });
    if (result.kind === 'tokens') return { body: result.tokens };
    return { status: 202, body: { challenge: 'NEW_DEVICE', otp: result.otp } };
  },
});
