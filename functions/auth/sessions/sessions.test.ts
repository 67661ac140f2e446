import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { auth, bearer, freshIp, recordEvents, trustDevice, userWithTrustedDevice } from '../../../test/support/auth.js';
import { asTenant } from '../../../test/support/notify.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../../../test/support/owner.js';
import { agentUserBody, type Role, type TestUser } from '../../../test/support/users.js';

/**
 * Refresh-token rotation, logout, the session list and revocation, GET /auth/me and /auth/companyIds, and the
 * per-request session check, through the Functions Framework test server against the real database.
 */



interface Session {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}
type Signed = TestUser & { password: string; deviceId: string } & Session;

/** A new session of the user on one of its trusted devices (from an address of its own: per-IP limits). */
async function newSession(user: { email: string; password: string; deviceId: string }, deviceId = user.deviceId): Promise<Session> {
  const res = await auth().post('/auth/login').set('X-Forwarded-For', freshIp()).send({ identifier: user.email, password: user.password, deviceId }).expect(200);
  return { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken, sessionId: decodeJwt(res.body.accessToken).sid as string };
}

async function signedIn(opts: { companyId: number; role?: Role; extraCompanyIds?: number[] }): Promise<Signed> {
  const user = await userWithTrustedDevice(opts);
  return { ...user, ...(await newSession(user)) };
}

const refresh = (refreshToken: string) => auth().post('/auth/refresh-token').set('X-Forwarded-For', freshIp()).send({ refreshToken });
const me = (accessToken: string) => auth().get('/auth/me').set(bearer(accessToken));

async function sessionRow(companyId: number, id: string) {
  const [row] = await asTenant<{ revoked_at: Date | null; revoked_reason: string | null; last_used_at: Date; ip: string | null }>(
    companyId,
    `select revoked_at, revoked_reason, last_used_at, host(ip) as ip from auth_session where id = $1::uuid`,
    [id],
  );
  return row!;
}

describe('auth sessions', () => {
  recordEvents();
  let company: { id: number };

  before(async () => {
    company = await createCompany();
  });

  describe('POST /auth/refresh-token', () => {
    it('hands out a new pair for the same session; the old access token works until it expires', async () => {
      const user = await signedIn({ companyId: company.id });
      const before = await sessionRow(company.id, user.sessionId);
      const res = await refresh(user.refreshToken).set('X-Forwarded-For', '198.51.100.77').expect(200);
      assert.deepEqual(Object.keys(res.body).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'tokenType', 'user']);
      assert.equal(res.body.tokenType, 'Bearer');
      assert.equal(res.body.expiresIn, 900);
      assert.match(res.body.refreshToken, /^[A-Za-z0-9_-]{43}$/);
      assert.notEqual(res.body.refreshToken, user.refreshToken);
      assert.notEqual(res.body.accessToken, user.accessToken);
      assert.equal(decodeJwt(res.body.accessToken).sid, user.sessionId, 'the same session (refresh-token family)');
      assert.deepEqual(res.body.user, agentUserBody(user, company.id, res.body.user.createdAt));

      assert.equal((await me(user.accessToken).expect(200)).body.id, user.id);
      assert.equal((await me(res.body.accessToken).expect(200)).body.id, user.id);
      const after = await sessionRow(company.id, user.sessionId);
      assert.ok(after.last_used_at > before.last_used_at, 'the refresh counts as use');
      assert.equal(after.ip, '198.51.100.77');
      const tokens = await asTenant<{ used: boolean }>(company.id, `select used_at is not null as used from auth_refresh_token where session_id = $1::uuid order by id`, [user.sessionId]);
      assert.deepEqual(tokens, [{ used: true }, { used: false }]);
    });

    it('revokes the whole family when a spent token comes back: REFRESH_REUSED for it, the newest token and the newest access token', async () => {
      const user = await signedIn({ companyId: company.id });
      const other = await newSession(user);
      const first = await refresh(user.refreshToken).expect(200);
      const second = await refresh(first.body.refreshToken).expect(200);

      const reused = await refresh(user.refreshToken).expect(401);
      assert.equal(reused.body.code, 'REFRESH_REUSED');
      assert.equal((await refresh(second.body.refreshToken).expect(401)).body.code, 'REFRESH_REUSED');
      assert.equal((await refresh(first.body.refreshToken).expect(401)).body.code, 'REFRESH_REUSED');
      // The session check runs on every request: the 15-minute access tokens stop at once.
      for (const token of [second.body.accessToken, first.body.accessToken, user.accessToken]) {
        const res = await me(token).expect(401);
        assert.equal(res.body.code, 'UNAUTHENTICATED');
      }
      const row = await sessionRow(company.id, user.sessionId);
      assert.equal(row.revoked_reason, 'REFRESH_REUSED');
      // Another login of the same user is another family and keeps working.
      await me(other.accessToken).expect(200);
      await refresh(other.refreshToken).expect(200);
    });

    it('answers TOKEN_INVALID for a token it never issued, 400 for one of the wrong shape', async () => {
      const unknown = await refresh(randomBytes(32).toString('base64url')).expect(401);
      assert.equal(unknown.body.code, 'TOKEN_INVALID');
      const malformed = await refresh('not-a-refresh-token').expect(400);
      assert.equal(malformed.body.code, 'VALIDATION_FAILED');
    });

    const lifetimes: Array<{ name: string; set: string; refreshes: boolean }> = [
      { name: 'past its absolute lifetime', set: `expires_at = now() - interval '1 second'`, refreshes: false },
      { name: 'idle for 8 days', set: `last_used_at = now() - interval '8 days'`, refreshes: false },
      { name: 'idle for 6 days', set: `last_used_at = now() - interval '6 days'`, refreshes: true },
    ];
    for (const l of lifetimes) {
      it(`${l.refreshes ? 'refreshes' : 'ends'} a session ${l.name}`, async () => {
        const user = await signedIn({ companyId: company.id });
        await asTenant(company.id, `update auth_session set ${l.set} where id = $1::uuid`, [user.sessionId]);
        if (l.refreshes) {
          await refresh(user.refreshToken).expect(200);
          return;
        }
        const res = await refresh(user.refreshToken).expect(401);
        assert.equal(res.body.code, 'SESSION_EXPIRED');
        assert.equal((await sessionRow(company.id, user.sessionId)).revoked_reason, 'EXPIRED');
        // Once ended it stays ended.
        assert.equal((await refresh(user.refreshToken).expect(401)).body.code, 'SESSION_EXPIRED');
        await me(user.accessToken).expect(401);
      });
    }

    it('refuses a deactivated user: refresh 403 ACCOUNT_INACTIVE, and a live access token stops at once', async () => {
      const user = await signedIn({ companyId: company.id });
      await me(user.accessToken).expect(200);
      await asSuperAdmin((c) => c.query(`update auth_user set status = 'INACTIVE' where id = $1::bigint`, [user.id]));
      const res = await refresh(user.refreshToken).expect(403);
      assert.equal(res.body.code, 'ACCOUNT_INACTIVE');
      const denied = await me(user.accessToken).expect(401);
      assert.equal(denied.body.code, 'UNAUTHENTICATED');
      assert.match(String(denied.headers['www-authenticate']), /^Bearer/);
    });
  });

  describe('logout', () => {
    const ways: Array<['GET' | 'POST', (token: string) => ReturnType<ReturnType<typeof auth>['get']>]> = [
      ['GET', (token) => auth().get('/auth/logout').set(bearer(token))],
      ['POST', (token) => auth().post('/auth/logout').set(bearer(token))],
    ];
    for (const [method, logout] of ways) {
      it(`${method} /auth/logout ends the session: 204, then its access and refresh tokens answer 401`, async () => {
        const user = await signedIn({ companyId: company.id });
        const other = await newSession(user);
        const res = await logout(user.accessToken).expect(204);
        assert.equal(res.text, '');
        assert.equal((await me(user.accessToken).expect(401)).body.code, 'UNAUTHENTICATED');
        assert.equal((await refresh(user.refreshToken).expect(401)).body.code, 'SESSION_EXPIRED');
        assert.equal((await sessionRow(company.id, user.sessionId)).revoked_reason, 'LOGOUT');
        // Only this session: the user's other login goes on.
        await me(other.accessToken).expect(200);
        // A second logout with the same token is refused like any dead token.
        await logout(user.accessToken).expect(401);
      });
    }

    it('POST /auth/logout takes an empty JSON body and refuses unknown fields', async () => {
      const user = await signedIn({ companyId: company.id });
      await auth().post('/auth/logout').set(bearer(user.accessToken)).send({ everywhere: true }).expect(400);
      await auth().post('/auth/logout').set(bearer(user.accessToken)).send({}).expect(204);
    });
  });

  describe('GET /auth/sessions', () => {
    it("lists the caller's live sessions, newest first, marking the current one, and pages with limit", async () => {
      const user = await signedIn({ companyId: company.id });
      const laptop = `device-${randomUUID()}`;
      await trustDevice(user, laptop);
      const second = await newSession(user, laptop);
      const ended = await newSession(user);
      await auth().get('/auth/logout').set(bearer(ended.accessToken)).expect(204);
      const stranger = await signedIn({ companyId: company.id });
      const third = await newSession(user);

      const res = await auth().get('/auth/sessions').set(bearer(second.accessToken)).expect(200);
      assert.deepEqual(
        (res.body.items as Array<{ id: string; current: boolean; deviceId: string }>).map((s) => [s.id, s.current, s.deviceId]),
        [
          [third.sessionId, false, user.deviceId],
          [second.sessionId, true, laptop],
          [user.sessionId, false, user.deviceId],
        ],
      );
      assert.equal(res.body.nextCursor, null);
      const item = res.body.items[1] as Record<string, unknown>;
      assert.deepEqual(Object.keys(item).sort(), ['createdAt', 'current', 'deviceId', 'deviceName', 'expiresAt', 'id', 'ip', 'lastUsedAt', 'userAgent']);
      const days = (Date.parse(item.expiresAt as string) - Date.parse(item.createdAt as string)) / 86_400_000;
      assert.ok(Math.abs(days - 30) < 0.01, `absolute lifetime SESSION_MAX_DAYS (30), got ${days}`);
      assert.ok(!JSON.stringify(res.body).includes(stranger.sessionId));
      assert.ok(!JSON.stringify(res.body).includes(ended.sessionId));

      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 5; page++) {
        const req = auth().get('/auth/sessions').query(cursor ? { limit: 1, cursor } : { limit: 1 }).set(bearer(second.accessToken));
        const body = (await req.expect(200)).body as { items: Array<{ id: string }>; nextCursor: string | null };
        assert.equal(body.items.length, 1);
        seen.push(body.items[0]!.id);
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      assert.deepEqual(seen, [third.sessionId, second.sessionId, user.sessionId]);
      assert.equal((await auth().get('/auth/sessions').query({ cursor: 'garbage' }).set(bearer(second.accessToken)).expect(400)).body.code, 'VALIDATION_FAILED');
    });

    it('pages through sessions started within the same millisecond without skipping any (microsecond keys)', async () => {
      const user = await signedIn({ companyId: company.id });
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      const starts = ['2026-01-02 03:04:05.678901+00', '2026-01-02 03:04:05.678500+00', '2026-01-02 03:04:05.678100+00'];
      for (const [i, id] of ids.entries()) {
        await asTenant(
          company.id,
          `insert into auth_session (id, company_id, user_id, device_id, created_at, last_used_at, expires_at)
           values ($1::uuid, $2::bigint, $3::bigint, $4::text, $5::timestamptz, now(), now() + interval '1 day')`,
          [id, company.id, user.id, user.deviceId, starts[i]],
        );
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page++) {
        const req = auth().get('/auth/sessions').query(cursor ? { limit: 1, cursor } : { limit: 1 }).set(bearer(user.accessToken));
        const body = (await req.expect(200)).body as { items: Array<{ id: string }>; nextCursor: string | null };
        seen.push(...body.items.map((s) => s.id));
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      assert.deepEqual(seen, [user.sessionId, ...ids]);
      const all = (await auth().get('/auth/sessions').set(bearer(user.accessToken)).expect(200)).body.items as Array<{ id: string; createdAt: string }>;
      assert.deepEqual(all.map((s) => s.id), [user.sessionId, ...ids]);
      assert.equal(all[1]!.createdAt, '2026-01-02T03:04:05.678Z', 'createdAt stays an ISO timestamp in the answer');
    });
  });

  describe('DELETE /auth/sessions/{id}', () => {
    it("ends another of the caller's sessions: 204, and that session's tokens answer 401", async () => {
      const user = await signedIn({ companyId: company.id });
      const lost = await newSession(user);
      await auth().delete(`/auth/sessions/${lost.sessionId}`).set(bearer(user.accessToken)).expect(204);
      assert.equal((await me(lost.accessToken).expect(401)).body.code, 'UNAUTHENTICATED');
      assert.equal((await refresh(lost.refreshToken).expect(401)).body.code, 'SESSION_EXPIRED');
      assert.equal((await sessionRow(company.id, lost.sessionId)).revoked_reason, 'REVOKED_BY_USER');
      await me(user.accessToken).expect(200);
      // Already ended: nothing left to end.
      assert.equal((await auth().delete(`/auth/sessions/${lost.sessionId}`).set(bearer(user.accessToken)).expect(404)).body.code, 'NOT_FOUND');
    });

    it("answers 404 for another user's session, in the same company or not, and leaves it alone", async () => {
      const user = await signedIn({ companyId: company.id });
      const colleague = await signedIn({ companyId: company.id });
      const elsewhere = await signedIn({ companyId: (await createCompany()).id });
      for (const victim of [colleague, elsewhere]) {
        const res = await auth().delete(`/auth/sessions/${victim.sessionId}`).set(bearer(user.accessToken)).expect(404);
        assert.equal(res.body.code, 'NOT_FOUND');
        await me(victim.accessToken).expect(200);
      }
      await auth().delete(`/auth/sessions/${randomUUID()}`).set(bearer(user.accessToken)).expect(404);
      await auth().delete('/auth/sessions/not-a-uuid').set(bearer(user.accessToken)).expect(400);
    });
  });

  describe('GET /auth/me and /auth/companyIds', () => {
    it('returns the signed-in user', async () => {
      const user = await signedIn({ companyId: company.id });
      const res = await me(user.accessToken).expect(200);
      assert.deepEqual(res.body, agentUserBody(user, company.id, res.body.createdAt));
      assert.deepEqual((await auth().get('/auth/companyIds').set(bearer(user.accessToken)).expect(200)).body, { items: [company.id] });
    });

    it('lists both companies of an ADMIN with two, ascending', async () => {
      const second = await createCompany();
      const admin = await signedIn({ companyId: second.id, role: 'ADMIN', extraCompanyIds: [company.id] });
      const expected = [company.id, second.id].sort((a, b) => a - b);
      assert.deepEqual((await auth().get('/auth/companyIds').set(bearer(admin.accessToken)).expect(200)).body, { items: expected });
      assert.deepEqual((await me(admin.accessToken).expect(200)).body.companyIds, expected);
    });

    it('leaves an inactive company out, in /auth/companyIds, /auth/me and the login answer alike', async () => {
      const dormant = await createCompany({ status: 'INACTIVE' });
      const user = await userWithTrustedDevice({ companyId: company.id, role: 'ADMIN', extraCompanyIds: [dormant.id] });
      const login = await auth().post('/auth/login').set('X-Forwarded-For', freshIp()).send({ identifier: user.email, password: user.password, deviceId: user.deviceId }).expect(200);
      assert.deepEqual(login.body.user.companyIds, [company.id]);
      assert.deepEqual((await auth().get('/auth/companyIds').set(bearer(login.body.accessToken)).expect(200)).body, { items: [company.id] });
      assert.deepEqual((await me(login.body.accessToken).expect(200)).body.companyIds, [company.id]);
    });

    it('gives a SUPER_ADMIN every active company, and no inactive one', async () => {
      const dormant = await createCompany({ status: 'INACTIVE' });
      const fresh = await createCompany();
      const root = await signedIn({ companyId: company.id, role: 'SUPER_ADMIN' });
      const active = (await ownerQuery<{ id: number }>(`select id from auth_company where status = 'ACTIVE' order by id`)).map((r) => Number(r.id));
      const { items } = (await auth().get('/auth/companyIds').set(bearer(root.accessToken)).expect(200)).body as { items: number[] };
      assert.deepEqual(items, active);
      assert.ok(items.includes(fresh.id) && !items.includes(dormant.id));
      assert.deepEqual((await me(root.accessToken).expect(200)).body.companyIds, active);
    });
  });

  describe('private routes', () => {
    const routes: Array<[string, (a: ReturnType<typeof auth>) => ReturnType<ReturnType<typeof auth>['get']>]> = [
      ['GET /auth/me', (a) => a.get('/auth/me')],
      ['GET /auth/companyIds', (a) => a.get('/auth/companyIds')],
      ['GET /auth/sessions', (a) => a.get('/auth/sessions')],
      ['GET /auth/logout', (a) => a.get('/auth/logout')],
      ['POST /auth/logout', (a) => a.post('/auth/logout')],
      ['DELETE /auth/sessions/{id}', (a) => a.delete(`/auth/sessions/${randomUUID()}`)],
    ];
    for (const [name, call] of routes) {
      it(`${name} answers 401 with WWW-Authenticate without a token, with a garbage token and with a refresh token`, async () => {
        const none = await call(auth()).expect(401);
        assert.equal(none.body.code, 'UNAUTHENTICATED');
        assert.equal(none.headers['www-authenticate'], 'Bearer');
        const garbage = await call(auth()).set(bearer('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl')).expect(401);
        assert.equal(garbage.body.code, 'UNAUTHENTICATED');
        assert.equal(garbage.headers['www-authenticate'], 'Bearer error="invalid_token"');
        await call(auth()).set(bearer(randomBytes(32).toString('base64url'))).expect(401);
        await call(auth()).set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
      });
    }
  });
});

