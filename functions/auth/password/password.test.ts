import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { reloadConfig } from '../../../shared/config.js';
import { maskEmail, maskPhone } from '../../../shared/mask.js';
import { auth, bearer, freshIp, otpCode, recordEvents, strongPassword, strongPasswordHash, trustDevice, userWithTrustedDevice } from '../../../test/support/auth.js';
import { asTenant } from '../../../test/support/notify.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../../../test/support/owner.js';
import { createUser, uniqueContact, type TestUser } from '../../../test/support/users.js';
import { hashPassword } from '../passwords/password-hasher.js';

/**
 * POST /auth/reset-password (start and finish) and PUT /auth/change-setting, through the test server
 * against the real database.
 */
const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Passwords the policy accepts for any test user (no personal data, not common, long enough). */
const passwords = ['gajah biru menari di hutan', 'secangkir teh manis hangat', 'sepeda ontel kakek tua', 'pantai kuta senja jingga', 'nasi uduk betawi pedas', 'layang layang putus tali'];

type OtpView = { ottId: string; channel: string; destination: string; expiresAt: string };

const startReset = (identifier: string, ip = freshIp()) => auth().post('/auth/reset-password').set('X-Forwarded-For', ip).send({ identifier });
const finishReset = (resetToken: string, newPassword: string, ip = freshIp()) => auth().post('/auth/reset-password').set('X-Forwarded-For', ip).send({ resetToken, newPassword });
const verify = (body: { ottId: string; code: string; deviceId?: string }, ip = freshIp()) => auth().post('/auth/verify-otp').set('X-Forwarded-For', ip).send(body);
const resend = (ottId: string, ip = freshIp()) => auth().post('/auth/resend-otp').set('X-Forwarded-For', ip).send({ ottId });
const login = (identifier: string, password: string, deviceId: string, ip = freshIp()) => auth().post('/auth/login').set('X-Forwarded-For', ip).send({ identifier, password, deviceId });
const changeSetting = (token: string, body: object, ip = freshIp()) => auth().put('/auth/change-setting').set('X-Forwarded-For', ip).set(bearer(token)).send(body);

/** An active user with a password and a trusted device, in a fresh company. */
const activeUser = async () => userWithTrustedDevice({ companyId: (await createCompany()).id });

/** Signs the user in on a trusted device (a new one unless given): one more session. */
async function sessionOn(user: TestUser & { password: string; deviceId: string }, deviceId = `device-${randomUUID()}`) {
  if (deviceId !== user.deviceId) await trustDevice(user, deviceId);
  const res = await login(user.email, user.password, deviceId).expect(200);
  return { deviceId, accessToken: res.body.accessToken as string, refreshToken: res.body.refreshToken as string };
}

/** Start → code → verify: a reset token for the user. */
async function resetToken(identifier: string): Promise<{ resetToken: string; expiresAt: string }> {
  const start = await startReset(identifier).expect(202);
  const { ottId } = start.body.otp as OtpView;
  const res = await verify({ ottId, code: await otpCode(ottId) }).expect(200);
  return res.body;
}

const ageReal = (companyId: number, ottId: string) =>
  asTenant(companyId, `update auth_ott set created_at = created_at - interval '61 seconds' where id = $1::uuid`, [ottId]);
const ageDecoy = (ottId: string) => ownerQuery(`update auth_ott_decoy set created_at = created_at - interval '61 seconds' where id = $1::uuid`, [ottId]);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

describe('auth passwords (reset-password, change-setting)', () => {
  const events = recordEvents();

  describe('starting a reset', () => {
    for (const kind of ['email', 'phone'] as const) {
      it(`answers a known and an unknown ${kind} alike: 202, same shape, the identifier masked`, async () => {
        const known = await activeUser();
        const unknown = uniqueContact()[kind];
        const mask = kind === 'email' ? maskEmail : maskPhone;
        const channel = kind === 'email' ? 'EMAIL' : 'SMS';
        const answers = [];
        for (const identifier of [known[kind], unknown]) {
          const res = await startReset(identifier).expect(202);
          assert.deepEqual(Object.keys(res.body), ['otp']);
          const otp = res.body.otp as OtpView;
          assert.deepEqual(Object.keys(otp).sort(), ['channel', 'destination', 'expiresAt', 'ottId']);
          assert.match(otp.ottId, uuidV4);
          assert.equal(otp.channel, channel);
          assert.equal(otp.destination, mask(identifier));
          const ttl = (Date.parse(otp.expiresAt) - Date.now()) / 1000;
          assert.ok(ttl > 290 && ttl <= 301, `expires in about 300 s (got ${ttl})`);
          answers.push({ status: res.status, contentType: res.headers['content-type'], cache: res.headers['cache-control'] });
        }
        assert.deepEqual(answers[0], answers[1]);
      });
    }

    it('takes an email in any case and resets the account it names', async () => {
      const user = await activeUser();
      const res = await startReset(user.email.toUpperCase()).expect(202);
      const [row] = await ownerQuery<{ user_id: string; purpose: string }>(`select user_id, purpose from auth_ott where id = $1::uuid`, [res.body.otp.ottId]);
      assert.equal(Number(row!.user_id), user.id);
      assert.equal(row!.purpose, 'RESET_PASSWORD');
    });

    it('gives accounts that cannot reset (inactive, rejected, unverified) the decoy answer', async () => {
      const company = await createCompany();
      for (const status of ['INACTIVE', 'REJECTED', 'PENDING_VERIFICATION'] as const) {
        const user = await createUser({ companyId: company.id, status, passwordHash: await strongPasswordHash() });
        const res = await startReset(user.email).expect(202);
        const rows = await ownerQuery(`select 1 from auth_ott where id = $1::uuid`, [res.body.otp.ottId]);
        assert.equal(rows.length, 0, `${status}: no real code`);
        const decoys = await ownerQuery(`select 1 from auth_ott_decoy where id = $1::uuid`, [res.body.otp.ottId]);
        assert.equal(decoys.length, 1, `${status}: a decoy`);
      }
    });

    it('a decoy verifies exactly like a real code: OTP_INVALID 4, 3, 2, 1, then OTP_LOCKED', async () => {
      const known = await activeUser();
      const transcripts: Array<Array<[number, string, unknown]>> = [];
      for (const identifier of [known.email, uniqueContact().email]) {
        const { ottId } = (await startReset(identifier).expect(202)).body.otp as OtpView;
        const real = (await ownerQuery(`select 1 from auth_ott where id = $1::uuid`, [ottId])).length > 0;
        // A wrong guess for the real code; for the decoy, any six digits are wrong.
        const guess = real ? wrong(await otpCode(ottId)) : '000000';
        const transcript: Array<[number, string, unknown]> = [];
        for (let i = 0; i < 7; i++) {
          const res = await verify({ ottId, code: guess });
          transcript.push([res.status, res.body.code, res.body.attemptsLeft]);
        }
        transcripts.push(transcript);
      }
      const expected = [
        [400, 'OTP_INVALID', 4],
        [400, 'OTP_INVALID', 3],
        [400, 'OTP_INVALID', 2],
        [400, 'OTP_INVALID', 1],
        [429, 'OTP_LOCKED', undefined],
        [429, 'OTP_LOCKED', undefined],
        [429, 'OTP_LOCKED', undefined],
      ];
      assert.deepEqual(transcripts[0], expected, 'real');
      assert.deepEqual(transcripts[1], expected, 'decoy');
    });

    it('a decoy never verifies, whatever the code', async () => {
      const { ottId } = (await startReset(uniqueContact().phone).expect(202)).body.otp as OtpView;
      const res = await Promise.all(['000000', '123456', '999999', '424242'].map((code) => verify({ ottId, code })));
      assert.ok(res.every((r) => r.status === 400 && r.body.code === 'OTP_INVALID'));
      assert.deepEqual(res.map((r) => r.body.attemptsLeft as number).sort(), [1, 2, 3, 4]);
    });

    it('an expired decoy answers OTP_EXPIRED like an expired code', async () => {
      const { ottId } = (await startReset(uniqueContact().email).expect(202)).body.otp as OtpView;
      await ownerQuery(`update auth_ott_decoy set expires_at = now() - interval '1 second' where id = $1::uuid`, [ottId]);
      assert.equal((await verify({ ottId, code: '123456' }).expect(410)).body.code, 'OTP_EXPIRED');
    });

    it('a decoy resends like a real code: cooldown 429 with Retry-After, then a new id; the old one expires', async () => {
      const known = await activeUser();
      const transcripts = [];
      for (const identifier of [known.phone, uniqueContact().phone]) {
        const first = (await startReset(identifier).expect(202)).body.otp as OtpView;
        const real = (await ownerQuery(`select 1 from auth_ott where id = $1::uuid`, [first.ottId])).length > 0;
        const early = await resend(first.ottId);
        const retryAfter = Number(early.headers['retry-after']);
        assert.ok(retryAfter >= 55 && retryAfter <= 60, `Retry-After ${early.headers['retry-after']}`);
        await (real ? ageReal(known.companyId, first.ottId) : ageDecoy(first.ottId));
        const later = await resend(first.ottId);
        const next = later.body.otp as OtpView;
        // Asking again through the replaced id, seconds after the new code: still the cooldown.
        const again = await resend(first.ottId);
        const old = await verify({ ottId: first.ottId, code: '123456' });
        const fresh = await verify({ ottId: next.ottId, code: real ? wrong(await otpCode(next.ottId)) : '123456' });
        transcripts.push({
          early: [early.status, early.body.code, typeof early.body.retryAfter],
          later: [later.status, Object.keys(next).sort(), next.channel, next.destination, next.ottId !== first.ottId && uuidV4.test(next.ottId)],
          again: [again.status, again.body.code],
          old: [old.status, old.body.code],
          fresh: [fresh.status, fresh.body.code, fresh.body.attemptsLeft],
        });
      }
      assert.deepEqual(transcripts[0], {
        early: [429, 'RATE_LIMITED', 'number'],
        later: [202, ['channel', 'destination', 'expiresAt', 'ottId'], 'SMS', maskPhone(known.phone), true],
        again: [429, 'RATE_LIMITED'],
        old: [410, 'OTP_EXPIRED'],
        fresh: [400, 'OTP_INVALID', 4],
      });
      assert.deepEqual({ ...transcripts[1], later: transcripts[1]!.later.filter((_, i) => i !== 3) }, { ...transcripts[0], later: transcripts[0]!.later.filter((_, i) => i !== 3) });
    });

    it('a decoy counts against the destination’s hourly cap like a real code', async () => {
      const unknown = uniqueContact().email;
      let { ottId } = (await startReset(unknown).expect(202)).body.otp as OtpView;
      for (let i = 2; i <= 5; i++) {
        await ageDecoy(ottId);
        ottId = ((await resend(ottId).expect(202)).body.otp as OtpView).ottId;
      }
      await ageDecoy(ottId);
      assert.equal((await resend(ottId).expect(429)).body.code, 'RATE_LIMITED');
    });

    it('answers known and unknown identifiers after the same minimum time', async function () {
      this.timeout(60_000);
      const saved = process.env.RESET_MIN_RESPONSE_MS;
      process.env.RESET_MIN_RESPONSE_MS = '300';
      reloadConfig();
      try {
        const company = await createCompany();
        const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
        for (let i = 0; i < 5; i++) {
          const user = await createUser({ companyId: company.id, passwordHash: await strongPasswordHash() });
          for (const [kind, identifier] of [['known', user.email], ['unknown', uniqueContact().email]] as const) {
            const t0 = performance.now();
            await startReset(identifier).expect(202);
            times[kind].push(performance.now() - t0);
          }
        }
        for (const t of [...times.known, ...times.unknown]) assert.ok(t >= 300, `every answer takes at least 300 ms (${t.toFixed(0)})`);
        const gap = Math.abs(median(times.known) - median(times.unknown));
        assert.ok(gap < 100, `medians ${median(times.known).toFixed(0)} and ${median(times.unknown).toFixed(0)} ms differ by ${gap.toFixed(0)}`);
      } finally {
        if (saved === undefined) delete process.env.RESET_MIN_RESPONSE_MS;
        else process.env.RESET_MIN_RESPONSE_MS = saved;
        reloadConfig();
      }
    });

    it('limits resets per identifier (5 an hour) for known and unknown identifiers alike', async () => {
      const known = await activeUser();
      for (const identifier of [known.email, uniqueContact().email]) {
        for (let i = 0; i < 5; i++) await startReset(identifier).expect(202);
        const res = await startReset(identifier).expect(429);
        assert.equal(res.body.code, 'RATE_LIMITED');
        assert.ok(Number(res.headers['retry-after']) >= 1);
      }
    });

    it('rejects an identifier that is neither an email nor an E.164 phone', async () => {
      for (const identifier of ['not-an-identifier', '081234567890', '']) {
        const res = await startReset(identifier).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
      }
    });
  });

  describe('finishing a reset', () => {
    it('verifying the code gives a reset token valid for ten minutes', async () => {
      const user = await activeUser();
      const { resetToken: token, expiresAt } = await resetToken(user.email);
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      const ttl = (Date.parse(expiresAt) - Date.now()) / 1000;
      assert.ok(ttl > 590 && ttl <= 601, `about 600 s (got ${ttl})`);
      const stored = await ownerQuery<{ token_hash: string }>(`select token_hash from auth_user_token where user_id = $1::bigint`, [user.id]);
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0]!.token_hash, token, 'only a hash is stored');
    });

    it('refuses a weak password with 422 PASSWORD_REJECTED and keeps the token usable', async () => {
      const user = await activeUser();
      const { resetToken: token } = await resetToken(user.phone);
      const cases: Array<[string, string]> = [
        ['password', 'COMMON'],
        ['short', 'TOO_SHORT'],
        [`${user.email} rahasia`, 'CONTAINS_PERSONAL_DATA'],
      ];
      for (const [newPassword, reason] of cases) {
        const res = await finishReset(token, newPassword).expect(422);
        assert.equal(res.body.code, 'PASSWORD_REJECTED');
        assert.ok((res.body.reasons as string[]).includes(reason), `${newPassword}: ${JSON.stringify(res.body.reasons)}`);
        assert.equal(res.body.errors[0].field, 'newPassword');
      }
      await finishReset(token, passwords[0]!).expect(204);
    });

    it('sets the password, revokes every session, and the new password signs in', async () => {
      const user = await activeUser();
      const first = await sessionOn(user, user.deviceId);
      const second = await sessionOn(user);
      await auth().get('/auth/me').set(bearer(first.accessToken)).expect(200);
      const { resetToken: token } = await resetToken(user.email);
      await finishReset(token, passwords[1]!).expect(204);

      for (const s of [first, second]) {
        const me = await auth().get('/auth/me').set(bearer(s.accessToken)).expect(401);
        assert.equal(me.body.code, 'UNAUTHENTICATED');
        const refresh = await auth().post('/auth/refresh-token').set('X-Forwarded-For', freshIp()).send({ refreshToken: s.refreshToken }).expect(401);
        assert.equal(refresh.body.code, 'SESSION_EXPIRED');
      }
      const sessions = await ownerQuery<{ revoked_reason: string | null }>(`select revoked_reason from auth_session where user_id = $1::bigint`, [user.id]);
      assert.deepEqual(sessions.map((s) => s.revoked_reason), ['PASSWORD_RESET', 'PASSWORD_RESET']);

      assert.equal((await login(user.email, strongPassword, user.deviceId).expect(401)).body.code, 'INVALID_CREDENTIALS');
      const ok = await login(user.email, passwords[1]!, user.deviceId).expect(200);
      await auth().get('/auth/me').set(bearer(ok.body.accessToken)).expect(200);

      const mail = events.messages.filter((m) => m.topic === 'email.requested' && (m.data as { template: string }).template === 'PASSWORD_CHANGED' && (m.data as { to: string }).to === user.email);
      assert.equal(mail.length, 1, 'one PASSWORD_CHANGED email');
      assert.equal(mail[0]!.attributes.companyId, String(user.companyId));
      assert.ok(!JSON.stringify(mail[0]!.data).includes(passwords[1]!), 'the password is not in the email');
    });

    it('a reset token is single use', async () => {
      const user = await activeUser();
      const { resetToken: token } = await resetToken(user.email);
      await finishReset(token, passwords[2]!).expect(204);
      const again = await finishReset(token, passwords[3]!).expect(401);
      assert.equal(again.body.code, 'TOKEN_INVALID');
      await login(user.email, passwords[2]!, user.deviceId).expect(200);
    });

    it('two concurrent finishes with one token: exactly one succeeds', async () => {
      const user = await activeUser();
      const { resetToken: token } = await resetToken(user.email);
      const results = await Promise.all([finishReset(token, passwords[2]!), finishReset(token, passwords[3]!)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [204, 401]);
    });

    const invalid: Array<{ name: string; token: (user: TestUser) => Promise<string> }> = [
      {
        name: 'an expired token',
        token: async (user) => {
          const { resetToken: token } = await resetToken(user.email);
          await asTenant(user.companyId, `update auth_user_token set expires_at = now() - interval '1 second' where user_id = $1::bigint`, [user.id]);
          return token;
        },
      },
      {
        name: 'a token replaced by a newer one',
        token: async (user) => {
          const { resetToken: token } = await resetToken(user.email);
          await resetToken(user.phone);
          return token;
        },
      },
      { name: 'an unknown token', token: async () => randomBytes(32).toString('base64url') },
    ];
    for (const c of invalid) {
      it(`answers 401 TOKEN_INVALID for ${c.name}`, async () => {
        const user = await activeUser();
        const res = await finishReset(await c.token(user), passwords[4]!).expect(401);
        assert.equal(res.body.code, 'TOKEN_INVALID');
        await login(user.email, strongPassword, user.deviceId).expect(200);
      });
    }

    it('a locked account can reset, and the reset clears the lock', async () => {
      const user = await activeUser();
      await asSuperAdmin((c) => c.query(`update auth_user set locked_until = now() + interval '1 hour', login_fail_count = 5 where id = $1::bigint`, [user.id]));
      assert.equal((await login(user.email, strongPassword, user.deviceId).expect(423)).body.code, 'ACCOUNT_LOCKED');
      const start = await startReset(user.email).expect(202);
      assert.equal((await ownerQuery(`select 1 from auth_ott where id = $1::uuid`, [start.body.otp.ottId])).length, 1, 'a real code, not a decoy');
      const { ottId } = start.body.otp as OtpView;
      const { resetToken: token } = (await verify({ ottId, code: await otpCode(ottId) }).expect(200)).body;
      await finishReset(token, passwords[5]!).expect(204);
      const [row] = await ownerQuery<{ locked_until: Date | null; login_fail_count: number }>(`select locked_until, login_fail_count from auth_user where id = $1::bigint`, [user.id]);
      assert.deepEqual(row, { locked_until: null, login_fail_count: 0 });
      await login(user.email, passwords[5]!, user.deviceId).expect(200);
    });

    it('refuses the last five passwords (RECENTLY_USED); the password log keeps exactly five', async function () {
      this.timeout(60_000);
      const user = await activeUser();
      // The account was created with strongPassword; five more passwords push it out of the history.
      for (const p of passwords.slice(0, 5)) {
        const hash = await hashPassword(p);
        await asSuperAdmin((c) => c.query(`update auth_user set password_hash = $2::text where id = $1::bigint`, [user.id, hash]));
      }
      const log = await asTenant<{ n: string }>(user.companyId, `select count(*) as n from auth_password_log where user_id = $1::bigint`, [user.id]);
      assert.equal(Number(log[0]!.n), 5);

      const { resetToken: token } = await resetToken(user.email);
      // The current password and four before it.
      for (const p of passwords.slice(0, 5)) {
        const res = await finishReset(token, p).expect(422);
        assert.equal(res.body.code, 'PASSWORD_REJECTED');
        assert.deepEqual(res.body.reasons, ['RECENTLY_USED']);
      }
      // The sixth-newest is allowed again.
      await finishReset(token, strongPassword).expect(204);
      await login(user.email, strongPassword, user.deviceId).expect(200);
      const after = await asTenant<{ n: string }>(user.companyId, `select count(*) as n from auth_password_log where user_id = $1::bigint`, [user.id]);
      assert.equal(Number(after[0]!.n), 5);
    });
  });

  describe('change-setting', () => {
    it('needs a token: 401 without one', async () => {
      for (const body of [{ currentPassword: strongPassword, newPassword: passwords[0] }, { phone: uniqueContact().phone }, { email: uniqueContact().email }]) {
        const res = await auth().put('/auth/change-setting').send(body).expect(401);
        assert.equal(res.body.code, 'UNAUTHENTICATED');
      }
    });

    it('refuses a wrong current password with 403 CURRENT_PASSWORD_WRONG, counted towards the lock', async () => {
      const user = await activeUser();
      const s = await sessionOn(user, user.deviceId);
      const res = await changeSetting(s.accessToken, { currentPassword: 'bukan sandi yang benar', newPassword: passwords[0] }).expect(403);
      assert.equal(res.body.code, 'CURRENT_PASSWORD_WRONG');
      const [row] = await ownerQuery<{ login_fail_count: number }>(`select login_fail_count from auth_user where id = $1::bigint`, [user.id]);
      assert.equal(row!.login_fail_count, 1);
      await login(user.email, strongPassword, user.deviceId).expect(200);
    });

    it('changes the password: the caller’s session keeps working, the user’s other sessions end', async () => {
      const user = await activeUser();
      const mine = await sessionOn(user, user.deviceId);
      const other = await sessionOn(user);
      await changeSetting(mine.accessToken, { currentPassword: strongPassword, newPassword: passwords[0] }).expect(204);

      await auth().get('/auth/me').set(bearer(mine.accessToken)).expect(200);
      const refreshed = await auth().post('/auth/refresh-token').set('X-Forwarded-For', freshIp()).send({ refreshToken: mine.refreshToken }).expect(200);
      await auth().get('/auth/me').set(bearer(refreshed.body.accessToken)).expect(200);

      assert.equal((await auth().get('/auth/me').set(bearer(other.accessToken)).expect(401)).body.code, 'UNAUTHENTICATED');
      assert.equal((await auth().post('/auth/refresh-token').set('X-Forwarded-For', freshIp()).send({ refreshToken: other.refreshToken }).expect(401)).body.code, 'SESSION_EXPIRED');
      const [revoked] = await ownerQuery<{ revoked_reason: string }>(`select revoked_reason from auth_session where user_id = $1::bigint and device_id = $2::text`, [user.id, other.deviceId]);
      assert.equal(revoked!.revoked_reason, 'PASSWORD_CHANGED');

      await login(user.email, passwords[0]!, other.deviceId).expect(200);
      const mail = events.messages.find((m) => m.topic === 'email.requested' && (m.data as { template: string }).template === 'PASSWORD_CHANGED' && (m.data as { to: string }).to === user.email);
      assert.ok(mail, 'PASSWORD_CHANGED email');
    });

    it('applies the password policy and the reuse check to a change', async () => {
      const user = await activeUser();
      const s = await sessionOn(user, user.deviceId);
      const weak = await changeSetting(s.accessToken, { currentPassword: strongPassword, newPassword: 'password' }).expect(422);
      assert.ok((weak.body.reasons as string[]).includes('COMMON'));
      const same = await changeSetting(s.accessToken, { currentPassword: strongPassword, newPassword: strongPassword }).expect(422);
      assert.deepEqual(same.body.reasons, ['RECENTLY_USED']);
    });

    it('a locked account cannot change its password (423)', async () => {
      const user = await activeUser();
      const s = await sessionOn(user, user.deviceId);
      await asSuperAdmin((c) => c.query(`update auth_user set locked_until = now() + interval '1 hour' where id = $1::bigint`, [user.id]));
      const res = await changeSetting(s.accessToken, { currentPassword: strongPassword, newPassword: passwords[0] }).expect(423);
      assert.equal(res.body.code, 'ACCOUNT_LOCKED');
    });

    for (const field of ['phone', 'email'] as const) {
      const channel = field === 'phone' ? 'SMS' : 'EMAIL';
      const mask = field === 'phone' ? maskPhone : maskEmail;
      const purpose = field === 'phone' ? 'CHANGE_PHONE' : 'CHANGE_EMAIL';

      it(`changes the ${field} after a code sent to the new one (${channel})`, async () => {
        const user = await activeUser();
        const s = await sessionOn(user, user.deviceId);
        const value = uniqueContact()[field];
        const res = await changeSetting(s.accessToken, { [field]: value }).expect(202);
        const otp = res.body.otp as OtpView;
        assert.equal(otp.channel, channel);
        assert.equal(otp.destination, mask(value));
        const [row] = await ownerQuery<{ destination: string; purpose: string; channel: string }>(`select destination, purpose, channel from auth_ott where id = $1::uuid`, [otp.ottId]);
        assert.deepEqual(row, { destination: value, purpose, channel });
        const sent = events.messages.find((m) => m.topic === 'otp.requested' && (m.data as { ottId: string }).ottId === otp.ottId);
        assert.equal((sent!.data as { destination: string }).destination, value);

        const before = await auth().get('/auth/me').set(bearer(s.accessToken)).expect(200);
        assert.equal(before.body[field], user[field], 'nothing changes before the code is verified');

        const ok = await verify({ ottId: otp.ottId, code: await otpCode(otp.ottId) }).expect(200);
        assert.equal(ok.body.user.id, user.id);
        assert.equal(ok.body.user[field], value);
        assert.equal((await auth().get('/auth/me').set(bearer(s.accessToken)).expect(200)).body[field], value);
        // The new value identifies the user from now on.
        await login(field === 'email' ? value : user.email, strongPassword, user.deviceId).expect(200);
        if (field === 'phone') await login(value, strongPassword, user.deviceId).expect(200);
      });

      it(`refuses ${field === 'email' ? 'an' : 'a'} ${field} another user has with 409 IDENTIFIER_TAKEN`, async () => {
        const user = await activeUser();
        const s = await sessionOn(user, user.deviceId);
        const other = await createUser({ companyId: (await createCompany()).id });
        const res = await changeSetting(s.accessToken, { [field]: other[field] }).expect(409);
        assert.equal(res.body.code, 'IDENTIFIER_TAKEN');
        assert.equal(res.body.errors[0].field, field);
      });

      it(`answers 409 IDENTIFIER_TAKEN at verify when someone took the ${field} meanwhile, and keeps the old one`, async () => {
        const user = await activeUser();
        const s = await sessionOn(user, user.deviceId);
        const value = uniqueContact()[field];
        const otp = (await changeSetting(s.accessToken, { [field]: value }).expect(202)).body.otp as OtpView;
        const code = await otpCode(otp.ottId);
        await createUser({ companyId: (await createCompany()).id, [field]: value });
        const res = await verify({ ottId: otp.ottId, code }).expect(409);
        assert.equal(res.body.code, 'IDENTIFIER_TAKEN');
        assert.equal(res.body.errors[0].field, field);
        const [row] = await ownerQuery<Record<string, string>>(`select phone, email from auth_user where id = $1::bigint`, [user.id]);
        assert.equal(row![field], user[field]);
      });

      it(`refuses the user's own current ${field} (400)`, async () => {
        const user = await activeUser();
        const s = await sessionOn(user, user.deviceId);
        const res = await changeSetting(s.accessToken, { [field]: user[field] }).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
      });
    }

    it('rejects a body mixing kinds of change', async () => {
      const user = await activeUser();
      const s = await sessionOn(user, user.deviceId);
      const res = await changeSetting(s.accessToken, { phone: uniqueContact().phone, email: uniqueContact().email }).expect(400);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    });
  });
});
