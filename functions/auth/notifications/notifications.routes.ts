import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { AppError } from '../../../shared/errors.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { decodeCursor, pageQuery, toPage } from '../../../shared/http/pagination.js';
import { deviceIdSchema } from '../users/user.view.js';
import { disablePush, setPushToken } from '../devices/device.repo.js';
import { findUser } from '../users/user.repo.js';
import { listInbox, markRead } from './notification.repo.js';

const item = z.object({
  id: z.number().int(),
  type: z.string(),
  title: z.string(),
  body: z.string(),
  data: z.record(z.string(), z.string()),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});

export const listNotificationsRoute = defineRoute({
  method: 'GET',
  path: '/auth/notifications',
  operationId: 'listNotifications',
  summary: "The caller's notification inbox, newest first",
  tags: ['Notifications'],
  access: 'private',
  permission: 'profile:read',
  query: z.strictObject(pageQuery),
  response: { status: 200, description: 'Inbox page', schema: z.object({ items: z.array(item), nextCursor: z.string().nullable() }) },
  handler: async ({ query, principal, ip }) => {
    const p = requirePrincipal(principal);
    const after = decodeCursor(query.cursor, z.tuple([z.iso.datetime(), z.number().int().positive()]));
    const rows = await withTransaction(actorOf(p, ip), (tx) => listInbox(tx, p.userId, after, query.limit + 1));
    return {
      // The cursor carries created_at to the microsecond (cursorAt), not the millisecond Date.
      body: toPage(rows, query.limit, (r) => [r.cursorAt, r.id], ({ cursorAt: _cursorAt, ...r }) => ({
        ...r,
        readAt: r.readAt?.toISOString() ?? null,
        createdAt: r.createdAt.toISOString(),
      })),
    };
  },
});

export const markNotificationReadRoute = defineRoute({
  method: 'PATCH',
  path: '/auth/notifications/{id}/read',
  operationId: 'markNotificationRead',
  summary: 'Mark one notification read',
  tags: ['Notifications'],
  access: 'private',
  permission: 'profile:write',
  params: z.strictObject({ id: z.coerce.number().int().positive() }),
  errors: ['NOT_FOUND'],
  response: { status: 204, description: 'Marked read' },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    if (!(await withTransaction(actorOf(p, ip), (tx) => markRead(tx, p.userId, params.id)))) throw new AppError('NOT_FOUND');
    return { status: 204 };
  },
});

export const registerPushTokenRoute = defineRoute({
  method: 'PUT',
  path: '/auth/devices/{deviceId}/push-token',
  operationId: 'registerPushToken',
  summary: "Register or replace the FCM token of one of the caller's devices (turns its pushes on)",
  tags: ['Notifications'],
  access: 'private',
  permission: 'profile:write',
  params: z.strictObject({ deviceId: deviceIdSchema }),
  body: z.strictObject({ pushToken: z.string().min(10).max(4096) }),
  response: { status: 204, description: 'Stored' },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    await withTransaction(actorOf(p, ip), async (tx) => {
      const user = await findUser(tx, p.userId);
      if (!user) throw new AppError('UNAUTHENTICATED');
      await setPushToken(tx, { companyId: user.companyId, userId: user.id, deviceId: params.deviceId, pushToken: body.pushToken });
    });
    return { status: 204 };
  },
});

export const unsubscribePushRoute = defineRoute({
  method: 'POST',
  path: '/auth/notifications/unsub',
  operationId: 'unsubscribePush',
  summary: 'Stop push notifications to one of the caller\'s devices (the inbox still fills)',
  tags: ['Notifications'],
  access: 'private',
  permission: 'profile:write',
  body: z.strictObject({ deviceId: deviceIdSchema }),
  errors: ['NOT_FOUND'],
  response: { status: 204, description: 'Unsubscribed' },
  handler: async ({ body, principal, ip }) => {
    const p = requirePrincipal(principal);
    if (!(await withTransaction(actorOf(p, ip), (tx) => disablePush(tx, p.userId, body.deviceId)))) {
      throw new AppError('NOT_FOUND', { detail: 'No such device for this user' });
    }
    return { status: 204 };
  },
});
