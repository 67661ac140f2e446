import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { emailSchema, identifierSchema, phoneSchema } from '../users/user.view.js';
import { otpViewSchema } from '../otp/issue-otp.js';
import { changeSetting } from '../settings/change-setting.js';
import { finishPasswordReset, startPasswordReset } from './reset-password.js';

export const resetPasswordRoute = defineRoute({
  method: 'POST',
  path: '/auth/reset-password',
  operationId: 'resetPassword',
  summary: 'Start a reset ({identifier} → 202 with an OTP, also for unknown identifiers) or finish it ({resetToken, newPassword} → 204)',
  tags: ['Auth'],
  access: 'public',
  csrf: true,
  body: z.union([
    z.strictObject({ identifier: identifierSchema }),
    z.strictObject({ resetToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/), newPassword: z.string().min(1).max(1024) }),
  ]),
  errors: ['TOKEN_INVALID', 'PASSWORD_REJECTED', 'RATE_LIMITED'],
  response: { status: 202, description: 'Start: a code is on its way (if the account exists). Finish: 204, every session revoked', schema: z.object({ otp: otpViewSchema }) },
  handler: async ({ body, ip }) => {
    if ('identifier' in body) return { status: 202, body: { otp: await startPasswordReset({ identifier: body.identifier, ip }) } };
    await finishPasswordReset({ ...body, ip });
    return { status: 204 };
  },
});

export const changeSettingRoute = defineRoute({
  method: 'PUT',
  path: '/auth/change-setting',
  operationId: 'changeSetting',
  summary: 'Change the password (current one required; other sessions end), or the phone or email (OTP to the new value)',
  tags: ['Auth'],
  access: 'private',
  permission: 'profile:write',
  body: z.union([
    z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) }),
    z.strictObject({ phone: phoneSchema }),
    z.strictObject({ email: emailSchema }),
  ]),
  errors: ['CURRENT_PASSWORD_WRONG', 'PASSWORD_REJECTED', 'IDENTIFIER_TAKEN', 'ACCOUNT_LOCKED', 'RATE_LIMITED'],
  response: { status: 202, description: 'Password: 204. Phone or email: 202 with the code sent to the new value', schema: z.object({ otp: otpViewSchema }) },
  handler: async ({ body, principal, ip }) => {
    const p = requirePrincipal(principal);
    const result = await changeSetting({ principal: p, actor: actorOf(p, ip), change: body });
    return result.kind === 'otp' ? { status: 202, body: { otp: result.otp } } : { status: 204 };
  },
});
