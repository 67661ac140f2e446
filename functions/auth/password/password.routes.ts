import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { emailSchema, identifierSchema, phoneSchema } from '../users/user.view.js';
import { otpViewSchema } from '../otp/issue-otp.js';
import { changeSetting } from '../settings/change-setting.js';
import { finishPasswordReset, startPasswordReset } from './reset-password.js';
import { setInvitedPassword } from './set-password.js';
import { setPasswordPage, setPasswordPageCsp } from './set-password.page.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { opaqueTokenPattern } from '../../../shared/auth/opaque-token.js';

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

export const setPasswordRoute = defineRoute({
  method: 'POST',
  path: '/auth/set-password',
  operationId: 'setPassword',
  summary: 'An invited user chooses a password with the token of the emailed link (single use, expires)',
  tags: ['Auth'],
  access: 'public',
  csrf: true,
  body: z.strictObject({ token: z.string().regex(opaqueTokenPattern), newPassword: z.string().min(1).max(1024) }),
  errors: ['TOKEN_INVALID', 'PASSWORD_REJECTED', 'ACCOUNT_INACTIVE', 'RATE_LIMITED'],
  response: { status: 204, description: 'The password is set and the email confirmed; sign in with it' },
  handler: async ({ body, ip }) => {
    await enforceLimits([{ name: 'set-password:ip', subject: ip, windowSeconds: 900, limit: 20 }]);
    await setInvitedPassword({ token: body.token, newPassword: body.newPassword, ip });
    return { status: 204 };
  },
});

export const setPasswordPageRoute = defineRoute({
  method: 'GET',
  path: '/auth/set-password',
  operationId: 'setPasswordPage',
  summary: 'The page the invitation email links to (the token stays in the URL fragment)',
  tags: ['Auth'],
  access: 'public',
  response: { status: 200, description: 'HTML form posting to POST /auth/set-password', contentType: 'text/html' },
  handler: async () => ({
    body: setPasswordPage,
    contentType: 'text/html; charset=utf-8',
    headers: { 'Content-Security-Policy': setPasswordPageCsp },
  }),
});
