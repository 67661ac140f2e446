import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { config, reloadConfig } from '../../../shared/config.js';
import { verifyAccessToken } from '../../../shared/auth/access-token.js';
import { auth, freshIp, recordEvents, strongPassword, trustDevice, userWithTrustedDevice } from '../../../test/support/auth.js';
import { asTenant } from '../../../test/support/notify.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../../../test/support/owner.js';
import { agentUserBody, createUser, uniqueContact, type UserStatus } from '../../../test/support/users.js';
import { hashPassword, hasherStats, resetHasherStats, verifyPassword } from '../passwords/password-hasher.js';
import { lockSecondsAfter } from './lockout.js';

/**
 * POST /auth/login through the Functions Framework test server against the real database. Every test comes
 * from its own client address (per-IP limits are shared by the whole run) and uses fresh users.
 */
const wrongPassword = 'bukan kata sandi yang benar';

const login = (body: Record<string, unknown>, ip = freshIp()) => auth().post('/auth/login').set('X-Forwarded-For', ip).send(body);

async function userState(id: number) {
  const [row] = await ownerQuery<{ login_fail_count: number; locked_until: Date | null; last_login: Date | null; last_failed_login: Date | null }>(
    `select login_fail_count, locked_until, last_login, last_failed_login from auth_user where id = $1::bigint`,
    [id],
  );
  return row!;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('POST /auth/login', () => {
  const events = recordEvents();
  let company: { id: number };

  before(async () => {
    company = await createCompany();
  });

  it('signs in on a trusted device: 200 with the token pair and the user', async () => {
    const user = await userWithTrustedDevice({ companyId: company.id });
    const res = await login({ identifier: user.email, password: user.password, deviceId: user.deviceId }).expect(200);
    assert.deepEqual(Object.keys(res.body).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'tokenType', 'user']);
    assert.equal(res.body.tokenType, 'Bearer');
    assert.equal(res.body.expiresIn, 900);
    assert.match(res.body.refreshToken, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(res.body.user, agentUserBody(user, company.id, res.body.user.createdAt));
    assert.ok(Date.parse(res.body.user.createdAt) <= Date.now());
    const claims = await verifyAccessToken(res.body.accessToken);
    assert.equal(claims.userId, user.id);
    assert.equal(claims.role, 'RM_AGENT');
    assert.equal((claims.expiresAt.getTime() - claims.issuedAt.getTime()) / 1000, 900);
    const sessions = await asTenant<{ id: string; device_id: string; revoked_at: Date | null }>(company.id, `select id, device_id, revoked_at from auth_session where user_id = $1::bigint`, [user.id]);
    assert.deepEqual(sessions, [{ id: claims.sessionId, device_id: user.deviceId, revoked_at: null }]);
    assert.ok((await userState(user.id)).last_login instanceof Date);
  });

  it('takes the phone number as identifier', async () => {
    const user = await userWithTrustedDevice({ companyId: company.id });
    const res = await login({ identifier: user.phone, password: user.password, deviceId: user.deviceId }).expect(200);
    assert.equal(res.body.user.id, user.id);
  });

  it('takes the email in any case, with surrounding spaces', async () => {
    const user = await userWithTrustedDevice({ companyId: company.id });
    const res = await login({ identifier: `  ${user.email.toUpperCase()} `, password: user.password, deviceId: user.deviceId }).expect(200);
    assert.equal(res.body.user.id, user.id);
  });

  it('gives an unknown identifier and a wrong password the same 401, apart from the request id', async () => {
    const user = await userWithTrustedDevice({ companyId: company.id });
    const unknown = await login({ identifier: uniqueContact().email, password: user.password, deviceId: user.deviceId }).expect(401);
    const wrong = await login({ identifier: user.email, password: wrongPassword, deviceId: user.deviceId }).expect(401);
    assert.equal(unknown.body.code, 'INVALID_CREDENTIALS');
    assert.notEqual(unknown.body.requestId, wrong.body.requestId);
    const { requestId: _a, ...unknownRest } = unknown.body as Record<string, unknown>;
    const { requestId: _b, ...wrongRest } = wrong.body as Record<string, unknown>;
    assert.deepEqual(unknownRest, wrongRest);
    assert.equal(unknown.headers['content-type'], wrong.headers['content-type']);
    assert.equal(unknown.headers['www-authenticate'], wrong.headers['www-authenticate']);
    assert.equal(unknown.headers['retry-after'], wrong.headers['retry-after']);
  });

  it('refuses a body with unknown fields or a malformed identifier: 400', async () => {
    const user = await userWithTrustedDevice({ companyId: company.id });
    for (const body of [
      { identifier: user.email, password: user.password, deviceId: user.deviceId, companyId: company.id },
      { identifier: '08123456789', password: user.password, deviceId: user.deviceId },
      { identifier: user.email, password: '', deviceId: user.deviceId },
      { identifier: user.email, password: user.password },
    ]) {
      const res = await login(body).expect(400);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    }
    assert.equal((await userState(user.id)).login_fail_count, 0);
  });

  it('upgrades a hash made with older argon2 parameters on a successful sign-in, and only then', async () => {
    process.env.ARGON2_MEMORY_KIB = '4096';
    process.env.ARGON2_TIME_COST = '1';
    reloadConfig();
    let oldHash: string;
    try {
      oldHash = await hashPassword(strongPassword);
    } finally {
      delete process.env.ARGON2_MEMORY_KIB;
      delete process.env.ARGON2_TIME_COST;
      reloadConfig();
    }
    assert.match(oldHash, /^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
    const user = await createUser({ companyId: company.id, passwordHash: oldHash });
    const deviceId = `device-${randomUUID()}`;
    await trustDevice(user, deviceId);
    const stored = async () =>
      (await ownerQuery<{ password_hash: string; password_changed_at: Date | null }>(`select password_hash, password_changed_at from auth_user where id = $1::bigint`, [user.id]))[0]!;
    const changedAt = (await stored()).password_changed_at;
    const ip = freshIp();

    await login({ identifier: user.email, password: wrongPassword, deviceId }, ip).expect(401);
    assert.equal((await stored()).password_hash, oldHash, 'a wrong password changes nothing');

    await login({ identifier: user.email, password: strongPassword, deviceId }, ip).expect(200);
    const upgraded = await stored();
    assert.match(upgraded.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.ok(await verifyPassword(upgraded.password_hash, strongPassword));
    assert.deepEqual(upgraded.password_changed_at, changedAt, 'not a password change');

    await login({ identifier: user.email, password: strongPassword, deviceId }, ip).expect(200);
    assert.equal((await stored()).password_hash, upgraded.password_hash, 'a current hash is kept');
  });

  describe('account states, revealed only with the right password', () => {
    const cases: Array<{ name: string; status?: UserStatus; companyInactive?: boolean; code: string }> = [
      { name: 'PENDING_VERIFICATION', status: 'PENDING_VERIFICATION', code: 'ACCOUNT_PENDING_VERIFICATION' },
      { name: 'PENDING_APPROVAL', status: 'PENDING_APPROVAL', code: 'ACCOUNT_PENDING_APPROVAL' },
      { name: 'REJECTED', status: 'REJECTED', code: 'ACCOUNT_REJECTED' },
      { name: 'INACTIVE', status: 'INACTIVE', code: 'ACCOUNT_INACTIVE' },
      { name: 'ACTIVE in an INACTIVE company', companyInactive: true, code: 'ACCOUNT_INACTIVE' },
    ];
    for (const c of cases) {
      it(`${c.name}: 403 ${c.code} with the right password, 401 with a wrong one`, async () => {
        const home = c.companyInactive ? await createCompany({ status: 'INACTIVE' }) : company;
        const user = await userWithTrustedDevice({ companyId: home.id, status: c.status ?? 'ACTIVE' });
        const ip = freshIp();
        const right = await login({ identifier: user.email, password: user.password, deviceId: user.deviceId }, ip).expect(403);
        assert.equal(right.body.code, c.code);
        assert.equal(right.body.accessToken, undefined);
        const wrong = await login({ identifier: user.email, password: wrongPassword, deviceId: user.deviceId }, ip).expect(401);
        assert.equal(wrong.body.code, 'INVALID_CREDENTIALS');
        const sessions = await asTenant(home.id, `select id from auth_session where user_id = $1::bigint`, [user.id]);
        assert.deepEqual(sessions, [], 'no session is started');
      });
    }
  });

  describe('lockout', () => {
    const growth: Array<[number, number]> = [
      [0, 0],
      [4, 0],
      [5, 60],
      [9, 60],
      [10, 900],
      [19, 900],
      [20, 3600],
      [50, 3600],
    ];
    for (const [failures, seconds] of growth) {
      it(`locks for ${seconds} s after ${failures} consecutive failures`, () => {
        assert.equal(lockSecondsAfter(failures), seconds);
      });
    }

    it('locks for a minute at the 5th failure, refuses even the right password with 423, and clears on success', async () => {
      const user = await userWithTrustedDevice({ companyId: company.id });
      const ip = freshIp();
      const attempt = (password: string) => login({ identifier: user.email, password, deviceId: user.deviceId }, ip);
      for (let i = 1; i <= 4; i++) {
        assert.equal((await attempt(wrongPassword).expect(401)).body.code, 'INVALID_CREDENTIALS');
        const state = await userState(user.id);
        assert.equal(state.login_fail_count, i);
        assert.equal(state.locked_until, null);
      }
      const fifth = await attempt(wrongPassword).expect(401);
      assert.equal(fifth.body.code, 'INVALID_CREDENTIALS');
      const locked = await userState(user.id);
      assert.equal(locked.login_fail_count, 5);
      assert.ok(locked.locked_until instanceof Date);
      const ahead = (locked.locked_until.getTime() - Date.now()) / 1000;
      assert.ok(ahead > 50 && ahead <= 61, `locked ~60 s ahead, got ${ahead}`);

      const refused = await attempt(user.password).expect(423);
      assert.equal(refused.body.code, 'ACCOUNT_LOCKED');
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter >= 55 && retryAfter <= 60, `Retry-After ≈ 60, got ${refused.headers['retry-after']}`);
      assert.equal(refused.body.retryAfter, retryAfter);
      // While locked the password is not even checked: a wrong one is not counted either.
      assert.equal((await attempt(wrongPassword).expect(423)).body.code, 'ACCOUNT_LOCKED');
      assert.equal((await userState(user.id)).login_fail_count, 5);

      await asSuperAdmin((c) => c.query(`update auth_user set locked_until = now() - interval '1 second' where id = $1::bigint`, [user.id]));
      await attempt(user.password).expect(200);
      const cleared = await userState(user.id);
      assert.equal(cleared.login_fail_count, 0);
      assert.equal(cleared.locked_until, null);
    });

    it('locks again for a minute at the 6th failure once a lock ran out', async () => {
      const user = await userWithTrustedDevice({ companyId: company.id });
      await asSuperAdmin((c) => c.query(`update auth_user set login_fail_count = 5, locked_until = now() - interval '1 second' where id = $1::bigint`, [user.id]));
      await login({ identifier: user.email, password: wrongPassword, deviceId: user.deviceId }).expect(401);
      const state = await userState(user.id);
      assert.equal(state.login_fail_count, 6);
      const ahead = (state.locked_until!.getTime() - Date.now()) / 1000;
      assert.ok(ahead > 50 && ahead <= 61, `locked ~60 s ahead, got ${ahead}`);
    });

    it('locks for 15 minutes at the 10th failure', async () => {
      const user = await userWithTrustedDevice({ companyId: company.id });
      await asSuperAdmin((c) => c.query(`update auth_user set login_fail_count = 9 where id = $1::bigint`, [user.id]));
      await login({ identifier: user.email, password: wrongPassword, deviceId: user.deviceId }).expect(401);
      const ahead = ((await userState(user.id)).locked_until!.getTime() - Date.now()) / 1000;
      assert.ok(ahead > 890 && ahead <= 901, `locked ~900 s ahead, got ${ahead}`);
    });
  });

  it('logs FAIL rows and one OK row with the device and the client address from X-Forwarded-For', async () => {
    const user = await userWithTrustedDevice({ companyId: company.id });
    const client = `198.51.100.${1 + Math.floor(Math.random() * 254)}`;
    // The right-most entry is the one our proxy appended; what the client put further left is ignored.
    const forwarded = `10.9.8.7, ${client}`;
    const otherDevice = `device-${randomUUID()}`;
    await login({ identifier: user.email, password: wrongPassword, deviceId: otherDevice }, forwarded).expect(401);
    await login({ identifier: user.email, password: wrongPassword, deviceId: user.deviceId }, forwarded).expect(401);
    await login({ identifier: user.email, password: user.password, deviceId: user.deviceId }, forwarded).expect(200);
    const rows = await asTenant<{ login_status: string; device_id: string; ip: string; company_id: number }>(
      company.id,
      `select login_status, device_id, host(ip) as ip, company_id from auth_login_log where user_id = $1::bigint order by id`,
      [user.id],
    );
    assert.deepEqual(rows, [
      { login_status: 'FAIL', device_id: otherDevice, ip: client, company_id: company.id },
      { login_status: 'FAIL', device_id: user.deviceId, ip: client, company_id: company.id },
      { login_status: 'OK', device_id: user.deviceId, ip: client, company_id: company.id },
    ]);
    const [session] = await asTenant<{ ip: string }>(company.id, `select host(ip) as ip from auth_session where user_id = $1::bigint`, [user.id]);
    assert.equal(session!.ip, client);
  });

  it('logs nothing for an unknown identifier or a refused body', async () => {
    const user = await userWithTrustedDevice({ companyId: company.id });
    await login({ identifier: user.email, password: user.password, deviceId: user.deviceId, extra: true }).expect(400);
    await login({ identifier: uniqueContact().email, password: user.password, deviceId: user.deviceId }).expect(401);
    assert.deepEqual(await asTenant(company.id, `select id from auth_login_log where user_id = $1::bigint`, [user.id]), []);
  });

  it('allows 10 attempts a minute per identifier, from any address, then answers 429', async () => {
    const identifier = uniqueContact().email;
    for (let i = 0; i < 10; i++) {
      // Five failures lock an identifier (unknown ones too); the limit counts the locked answers as well.
      const res = await login({ identifier: i % 2 ? identifier.toUpperCase() : identifier, password: wrongPassword, deviceId: 'd' }).expect(i < 5 ? 401 : 423);
      assert.equal(res.body.code, i < 5 ? 'INVALID_CREDENTIALS' : 'ACCOUNT_LOCKED');
    }
    const limited = await login({ identifier, password: wrongPassword, deviceId: 'd' }).expect(429);
    assert.equal(limited.body.code, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${limited.headers['retry-after']}`);
    // The limit is the identifier's: another one goes through.
    await login({ identifier: uniqueContact().email, password: wrongPassword, deviceId: 'd' }).expect(401);
  });

  it('locks an unknown identifier after five failures as it locks an account, so 423 reveals nothing', async () => {
    const known = await userWithTrustedDevice({ companyId: company.id });
    const unknown = uniqueContact().email;
    const statuses = async (identifier: string) => {
      const out: number[] = [];
      for (let i = 0; i < 6; i++) out.push((await login({ identifier, password: wrongPassword, deviceId: 'd' })).status);
      return out;
    };
    assert.deepEqual(await statuses(known.email), [401, 401, 401, 401, 401, 423]);
    assert.deepEqual(await statuses(unknown), [401, 401, 401, 401, 401, 423]);
  });

  describe('new device', () => {
    const cases: Array<{ role: 'ADMIN' | 'RM_AGENT' | 'SUPER_ADMIN'; channel: 'EMAIL' | 'SMS' }> = [
      { role: 'ADMIN', channel: 'EMAIL' },
      { role: 'SUPER_ADMIN', channel: 'EMAIL' },
      { role: 'RM_AGENT', channel: 'SMS' },
    ];
    for (const c of cases) {
      it(`challenges an ${c.role} on a new device by ${c.channel}: 202 and no tokens`, async () => {
        const user = await userWithTrustedDevice({ companyId: company.id, role: c.role });
        const deviceId = `device-${randomUUID()}`;
        const res = await login({ identifier: user.email, password: user.password, deviceId, platform: 'WEB', deviceName: 'Chrome' }).expect(202);
        assert.deepEqual(Object.keys(res.body).sort(), ['challenge', 'otp']);
        assert.equal(res.body.challenge, 'NEW_DEVICE');
        const destination = c.channel === 'EMAIL' ? user.email : user.phone;
        const masked = c.channel === 'EMAIL' ? `${user.email[0]}***@example.test` : `+62***${user.phone.slice(-4)}`;
        assert.equal(res.body.otp.channel, c.channel);
        assert.equal(res.body.otp.destination, masked);
        const sent = events.messages.filter((m) => m.topic === 'otp.requested' && (m.data as { ottId: string }).ottId === res.body.otp.ottId);
        assert.deepEqual(sent.map((m) => m.data), [{ ottId: res.body.otp.ottId, channel: c.channel, destination, purpose: 'NEW_DEVICE', locale: 'id' }]);
        // The device is known now, but not trusted; no session was started.
        const devices = await asTenant<{ platform: string; device_name: string; trusted_at: Date | null }>(
          company.id,
          `select platform, device_name, trusted_at from device_info where user_id = $1::bigint and device_id = $2::text`,
          [user.id, deviceId],
        );
        assert.deepEqual(devices, [{ platform: 'WEB', device_name: 'Chrome', trusted_at: null }]);
        assert.deepEqual(await asTenant(company.id, `select id from auth_session where user_id = $1::bigint`, [user.id]), []);
      });
    }
  });

  it('takes about as long for an unknown identifier as for a wrong password (a dummy argon2 verify runs)', async function () {
    this.timeout(30_000);
    const user = await userWithTrustedDevice({ companyId: company.id });
    const ip = freshIp();
    const time = async (identifier: string) => {
      const started = process.hrtime.bigint();
      await login({ identifier, password: wrongPassword, deviceId: user.deviceId }, ip).expect(401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    // Warm-up: the dummy hash is made on first use.
    await time(uniqueContact().email);
    const unknown: number[] = [];
    const wrong: number[] = [];
    // Five wrong passwords stay under the lock (it applies from the next attempt on).
    for (let i = 0; i < 5; i++) {
      unknown.push(await time(uniqueContact().email));
      wrong.push(await time(user.email));
    }
    const [u, w] = [median(unknown), median(wrong)];
    // One argon2 verify on this machine, measured now: an absolute threshold would depend on the host.
    const hash = await hashPassword(strongPassword);
    const verifies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = process.hrtime.bigint();
      await verifyPassword(hash, wrongPassword);
      verifies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const v = median(verifies);
    assert.ok(u >= 0.8 * v && w >= 0.8 * v, `both run argon2 (one verify ${v.toFixed(1)} ms): unknown ${u.toFixed(1)} ms, wrong ${w.toFixed(1)} ms`);
    assert.ok(Math.max(u, w) / Math.min(u, w) <= 2, `medians within a factor of 2: unknown ${u.toFixed(1)} ms, wrong ${w.toFixed(1)} ms`);
  });
});

describe('POST /auth/login under load', () => {
  recordEvents();

  it('answers 200 concurrent logins (20 users × 10) correctly with at most ARGON2_MAX_CONCURRENCY hashes at once', async function () {
    this.timeout(60_000);
    const company = await createCompany();
    const users = await Promise.all(Array.from({ length: 20 }, () => userWithTrustedDevice({ companyId: company.id })));
    // 8 right and 2 wrong passwords per user; each user signs in from an address of its own (10 a minute).
    const attempts = users.flatMap((user) => {
      const ip = freshIp();
      return Array.from({ length: 10 }, (_, i) => ({ user, ip, right: i % 5 !== 4 }));
    });
    resetHasherStats();
    const started = Date.now();
    const results = await Promise.all(
      attempts.map(async (a) => {
        const res = await login({ identifier: a.user.email, password: a.right ? a.user.password : wrongPassword, deviceId: a.user.deviceId }, a.ip);
        return { ...a, status: res.status, body: res.body as { code?: string; user?: { id: number } } };
      }),
    );
    const elapsed = Date.now() - started;
    const stats = hasherStats();
    const wrongAnswers = results.filter((r) => (r.right ? r.status !== 200 || r.body.user?.id !== r.user.id : r.status !== 401 || r.body.code !== 'INVALID_CREDENTIALS'));
    assert.deepEqual(wrongAnswers.map((r) => [r.right, r.status, r.body.code]), []);
    assert.ok(stats.peakRunning >= 1 && stats.peakRunning <= config().ARGON2_MAX_CONCURRENCY, `peak ${stats.peakRunning} hashes at once`);
    assert.equal(config().ARGON2_MAX_CONCURRENCY, 2);
    assert.ok(elapsed < 20_000, `took ${elapsed} ms`);
    const [counts] = await asTenant<{ ok: number; fail: number; sessions: number }>(
      company.id,
      `select count(*) filter (where login_status = 'OK')::int as ok, count(*) filter (where login_status = 'FAIL')::int as fail,
              (select count(*)::int from auth_session where company_id = $1::bigint) as sessions
         from auth_login_log where company_id = $1::bigint`,
      [company.id],
    );
    assert.deepEqual(counts, { ok: 160, fail: 40, sessions: 160 });
  });
});
