import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { auth, bearer, freshIp, recordEvents, userWithTrustedDevice } from '../../../test/support/auth.js';
import { asTenant } from '../../../test/support/notify.js';
import { createCompany } from '../../../test/support/owner.js';
import { createUser, type TestUser } from '../../../test/support/users.js';
import { encodeCursor } from '../../../shared/http/pagination.js';

/**
 * The in-app inbox (GET /auth/notifications, PATCH …/{id}/read) and push registration (PUT
 * /auth/devices/{deviceId}/push-token, POST /auth/notifications/unsub), against the real database.
 */

interface Signed extends TestUser {
  deviceId: string;
  accessToken: string;
}

/** Signs a fresh user in on a trusted device, from an address of its own (per-IP login limits). */
async function signedIn(companyId?: number): Promise<Signed> {
  const user = await userWithTrustedDevice({ companyId: companyId ?? (await createCompany()).id });
  const res = await auth().post('/auth/login').set('X-Forwarded-For', freshIp()).send({ identifier: user.email, password: user.password, deviceId: user.deviceId }).expect(200);
  return { ...user, accessToken: res.body.accessToken };
}

/** Inserts notifications for a user as the owner, in the user's tenant; `at` is an SQL timestamptz expression per row. */
async function notify(user: TestUser, rows: Array<{ at?: string; type?: string; data?: Record<string, string> }>): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, r] of rows.entries()) {
    const [row] = await asTenant<{ id: string }>(
      user.companyId,
      `insert into notification (company_id, user_id, type, title, body, data, event_id, created_at)
       values ($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $6::jsonb, $7::text, ${r.at ?? 'now()'}) returning id`,
      [user.companyId, user.id, r.type ?? 'TEST', `Title ${i}`, `Body ${i}`, JSON.stringify(r.data ?? {}), randomUUID()],
    );
    ids.push(Number(row!.id));
  }
  return ids;
}

type Item = { id: number; type: string; title: string; body: string; data: Record<string, string>; readAt: string | null; createdAt: string };

const list = (token: string, query: Record<string, string | number> = {}) => auth().get('/auth/notifications').query(query).set(bearer(token));

/** Follows nextCursor to the end; returns the pages. */
async function allPages(token: string, limit: number): Promise<Item[][]> {
  const pages: Item[][] = [];
  let cursor: string | undefined;
  do {
    const res = await list(token, { limit, ...(cursor ? { cursor } : {}) }).expect(200);
    pages.push(res.body.items);
    cursor = res.body.nextCursor ?? undefined;
    assert.ok(pages.length < 50, 'pagination ends');
  } while (cursor);
  return pages;
}

describe('auth notifications (inbox, push tokens)', () => {
  recordEvents();

  it('every route needs a token', async () => {
    const calls = [
      auth().get('/auth/notifications'),
      auth().patch('/auth/notifications/1/read'),
      auth().put('/auth/devices/some-device/push-token').send({ pushToken: 'x'.repeat(20) }),
      auth().post('/auth/notifications/unsub').send({ deviceId: 'some-device' }),
    ];
    for (const res of await Promise.all(calls)) {
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'UNAUTHENTICATED');
    }
  });

  describe('listing', () => {
    it('lists the caller’s notifications newest first, with every field', async () => {
      const me = await signedIn();
      const [older, newer] = await notify(me, [
        { at: `now() - interval '2 minutes'`, type: 'RM_APPROVED', data: { userId: '7' } },
        { at: `now() - interval '1 minute'`, type: 'RM_REGISTRATION', data: { userId: '8' } },
      ]);
      const res = await list(me.accessToken).expect(200);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.body.nextCursor, null);
      const items = res.body.items as Item[];
      assert.deepEqual(items.map((i) => i.id), [newer, older]);
      assert.deepEqual(Object.keys(items[0]!).sort(), ['body', 'createdAt', 'data', 'id', 'readAt', 'title', 'type']);
      assert.deepEqual(items[0], { id: newer, type: 'RM_REGISTRATION', title: 'Title 1', body: 'Body 1', data: { userId: '8' }, readAt: null, createdAt: items[0]!.createdAt });
      assert.ok(Math.abs(Date.parse(items[0]!.createdAt) - (Date.now() - 60_000)) < 10_000);
    });

    it('an empty inbox is an empty page', async () => {
      const me = await signedIn();
      const res = await list(me.accessToken).expect(200);
      assert.deepEqual(res.body, { items: [], nextCursor: null });
    });

    it('pages with limit and nextCursor, newest first, without duplicates or gaps', async () => {
      const me = await signedIn();
      const ids = await notify(
        me,
        Array.from({ length: 5 }, (_, i) => ({ at: `now() - make_interval(secs => ${10 - i})` })),
      );
      const pages = await allPages(me.accessToken, 2);
      assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
      assert.deepEqual(pages.flat().map((i) => i.id), [...ids].reverse());
    });

    it('an exact last page has no nextCursor', async () => {
      const me = await signedIn();
      await notify(me, [{ at: `now() - interval '2 seconds'` }, { at: `now() - interval '1 second'` }]);
      const res = await list(me.accessToken, { limit: 2 }).expect(200);
      assert.equal(res.body.items.length, 2);
      assert.equal(res.body.nextCursor, null);
    });

    const ties: Array<{ name: string; at: string[] }> = [
      // Rows one producer transaction writes share now(): the id decides their order.
      { name: 'share one timestamp', at: Array.from({ length: 5 }, () => `'2026-03-01 10:00:00.123456+00'`) },
      // Postgres keeps microseconds; a cursor cut to milliseconds would skip the rows between.
      { name: 'differ in microseconds only', at: ['.123100', '.123900', '.123500', '.123700', '.123300'].map((us) => `'2026-03-01 10:00:00${us}+00'`) },
    ];
    for (const t of ties) {
      it(`pages through rows that ${t.name} without losing any`, async () => {
        const me = await signedIn();
        const ids = await notify(me, t.at.map((at) => ({ at })));
        const expected = await asTenant<{ id: string }>(me.companyId, `select id from notification where user_id = $1::bigint order by created_at desc, id desc`, [me.id]);
        for (const limit of [1, 2, 3]) {
          const pages = await allPages(me.accessToken, limit);
          const seen = pages.flat().map((i) => i.id);
          assert.deepEqual(seen, expected.map((r) => Number(r.id)), `limit ${limit}`);
          assert.equal(new Set(seen).size, ids.length);
        }
      });
    }

    it('never shows another user’s notifications, in the same company or another', async () => {
      const company = await createCompany();
      const me = await signedIn(company.id);
      const colleague = await createUser({ companyId: company.id });
      const stranger = await createUser({ companyId: (await createCompany()).id });
      const mine = await notify(me, [{ at: `now() - interval '3 seconds'` }, { at: `now() - interval '1 second'` }]);
      const theirs = [...(await notify(colleague, [{}, {}, {}])), ...(await notify(stranger, [{}, {}]))];
      const seen = (await allPages(me.accessToken, 1)).flat().map((i) => i.id);
      assert.deepEqual(seen, [...mine].reverse());
      assert.ok(!seen.some((id) => theirs.includes(id)));
      // A cursor built to point past their rows changes nothing.
      const crafted = encodeCursor([new Date(Date.now() + 60_000).toISOString(), Number.MAX_SAFE_INTEGER]);
      const res = await list(me.accessToken, { cursor: crafted }).expect(200);
      assert.deepEqual((res.body.items as Item[]).map((i) => i.id), [...mine].reverse());
    });

    const badQueries: Array<[string, Record<string, string | number>]> = [
      ['a cursor that is not base64 JSON', { cursor: '!!!not-a-cursor!!!' }],
      ['a cursor of the wrong shape', { cursor: encodeCursor(['x', 1]) }],
      ['a cursor with a negative id', { cursor: encodeCursor([new Date().toISOString(), -1]) }],
      ['a cursor with a string id', { cursor: Buffer.from(JSON.stringify([new Date().toISOString(), '1'])).toString('base64url') }],
      ['limit 0', { limit: 0 }],
      ['limit 101', { limit: 101 }],
      ['a limit that is not a number', { limit: 'ten' }],
      ['an unknown parameter', { sort: 'asc' }],
    ];
    for (const [name, query] of badQueries) {
      it(`answers 400 VALIDATION_FAILED for ${name}`, async () => {
        const me = await signedIn();
        const res = await list(me.accessToken, query).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
      });
    }

    it('defaults to 20 a page', async () => {
      const me = await signedIn();
      await asTenant(
        me.companyId,
        `insert into notification (company_id, user_id, type, title, body, event_id, created_at)
         select $1::bigint, $2::bigint, 'TEST', 'T', 'B', gen_random_uuid()::text, now() - make_interval(secs => g) from generate_series(1, 21) g`,
        [me.companyId, me.id],
      );
      const res = await list(me.accessToken).expect(200);
      assert.equal(res.body.items.length, 20);
      assert.ok(res.body.nextCursor);
      const rest = await list(me.accessToken, { cursor: res.body.nextCursor }).expect(200);
      assert.equal(rest.body.items.length, 1);
      assert.equal(rest.body.nextCursor, null);
    });
  });

  describe('marking read', () => {
    it('marks one notification read (204) and leaves the others unread; marking again keeps the first time', async () => {
      const me = await signedIn();
      const [a, b] = await notify(me, [{ at: `now() - interval '2 seconds'` }, { at: `now() - interval '1 second'` }]);
      await auth().patch(`/auth/notifications/${a}/read`).set(bearer(me.accessToken)).expect(204);
      const items = (await list(me.accessToken).expect(200)).body.items as Item[];
      const readA = items.find((i) => i.id === a)!;
      assert.ok(readA.readAt && Math.abs(Date.parse(readA.readAt) - Date.now()) < 10_000);
      assert.equal(items.find((i) => i.id === b)!.readAt, null);

      await auth().patch(`/auth/notifications/${a}/read`).set(bearer(me.accessToken)).expect(204);
      const again = ((await list(me.accessToken).expect(200)).body.items as Item[]).find((i) => i.id === a)!;
      assert.equal(again.readAt, readA.readAt, 'idempotent: the first read time stays');
    });

    it('answers 404 for another user’s notification (same company or not) and leaves it unread', async () => {
      const company = await createCompany();
      const me = await signedIn(company.id);
      const colleague = await createUser({ companyId: company.id });
      const stranger = await createUser({ companyId: (await createCompany()).id });
      for (const other of [colleague, stranger]) {
        const [id] = await notify(other, [{}]);
        const res = await auth().patch(`/auth/notifications/${id}/read`).set(bearer(me.accessToken)).expect(404);
        assert.equal(res.body.code, 'NOT_FOUND');
        const [row] = await asTenant<{ read_at: Date | null }>(other.companyId, `select read_at from notification where id = $1::bigint`, [id]);
        assert.equal(row!.read_at, null);
      }
    });

    it('answers 404 for an id that does not exist and 400 for one that is not a positive integer', async () => {
      const me = await signedIn();
      assert.equal((await auth().patch('/auth/notifications/999999999/read').set(bearer(me.accessToken)).expect(404)).body.code, 'NOT_FOUND');
      for (const id of ['abc', '0', '-5', '1.5']) {
        const res = await auth().patch(`/auth/notifications/${id}/read`).set(bearer(me.accessToken)).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED', id);
      }
    });
  });

  describe('push tokens', () => {
    const deviceRow = (user: TestUser, deviceId: string) =>
      asTenant<{ push_token: string | null; push_enabled: boolean; trusted_at: Date | null }>(
        user.companyId,
        `select push_token, push_enabled, trusted_at from device_info where user_id = $1::bigint and device_id = $2::text`,
        [user.id, deviceId],
      );
    const putToken = (token: string, deviceId: string, pushToken: string) =>
      auth().put(`/auth/devices/${encodeURIComponent(deviceId)}/push-token`).set(bearer(token)).send({ pushToken });
    const unsub = (token: string, deviceId: string) => auth().post('/auth/notifications/unsub').set(bearer(token)).send({ deviceId });

    it('stores the token on the caller’s device and turns pushes on; unsub turns them off; a new token turns them on again', async () => {
      const me = await signedIn();
      const pushToken = `fcm-${randomBytes(24).toString('hex')}`;
      await putToken(me.accessToken, me.deviceId, pushToken).expect(204);
      let [row] = await deviceRow(me, me.deviceId);
      assert.equal(row!.push_token, pushToken);
      assert.equal(row!.push_enabled, true);
      assert.ok(row!.trusted_at, 'the device stays trusted');

      await unsub(me.accessToken, me.deviceId).expect(204);
      [row] = await deviceRow(me, me.deviceId);
      assert.equal(row!.push_enabled, false);
      assert.equal(row!.push_token, pushToken, 'the token is kept; only pushes stop');

      const replaced = `fcm-${randomBytes(24).toString('hex')}`;
      await putToken(me.accessToken, me.deviceId, replaced).expect(204);
      [row] = await deviceRow(me, me.deviceId);
      assert.deepEqual([row!.push_token, row!.push_enabled], [replaced, true]);
    });

    it('registers a device it has not seen yet (untrusted)', async () => {
      const me = await signedIn();
      const deviceId = `browser-${randomUUID()}`;
      await putToken(me.accessToken, deviceId, `fcm-${randomBytes(24).toString('hex')}`).expect(204);
      const [row] = await deviceRow(me, deviceId);
      assert.equal(row!.push_enabled, true);
      assert.equal(row!.trusted_at, null, 'a push token does not make a device trusted');
    });

    it('moves a token that another user of the company held to the caller', async () => {
      const company = await createCompany();
      const previous = await signedIn(company.id);
      const me = await signedIn(company.id);
      const pushToken = `fcm-${randomBytes(24).toString('hex')}`;
      await putToken(previous.accessToken, previous.deviceId, pushToken).expect(204);
      await putToken(me.accessToken, me.deviceId, pushToken).expect(204);
      assert.equal((await deviceRow(previous, previous.deviceId))[0]!.push_token, null);
      assert.equal((await deviceRow(me, me.deviceId))[0]!.push_token, pushToken);
    });

    it('moves a token held by a user of another company too', async () => {
      const previous = await signedIn((await createCompany()).id);
      const me = await signedIn((await createCompany()).id);
      const pushToken = `fcm-${randomBytes(24).toString('hex')}`;
      await putToken(previous.accessToken, previous.deviceId, pushToken).expect(204);
      await putToken(me.accessToken, me.deviceId, pushToken).expect(204);
      assert.equal((await deviceRow(previous, previous.deviceId))[0]!.push_token, null);
      assert.equal((await deviceRow(me, me.deviceId))[0]!.push_token, pushToken);
    });

    it('rejects a token that is too short', async () => {
      const me = await signedIn();
      assert.equal((await putToken(me.accessToken, me.deviceId, 'short').expect(400)).body.code, 'VALIDATION_FAILED');
    });

    it('unsub answers 404 for an unknown device and for another user’s device', async () => {
      const company = await createCompany();
      const me = await signedIn(company.id);
      const other = await signedIn(company.id);
      assert.equal((await unsub(me.accessToken, `device-${randomUUID()}`).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await unsub(me.accessToken, other.deviceId).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await deviceRow(other, other.deviceId))[0]!.push_enabled, true);
    });
  });
});
