import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { auth, freshIp, otpCode, recordEvents, strongPassword, userWithTrustedDevice } from '../../../test/support/auth.js';
import { asTenant } from '../../../test/support/notify.js';
import { createCompany, ownerQuery } from '../../../test/support/owner.js';
import { uniqueContact } from '../../../test/support/users.js';
import { maskPhone } from '../../../shared/mask.js';

/**
 * POST /auth/verify-otp and /auth/resend-otp against the real database: codes come from real flows
 * (registration, the new-device login challenge, reset) and are read the way notify reads them.
 */
const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A client address of its own (IPv6 documentation prefix): per-IP limits never meet another test's. */

/** Any six digits but the right ones. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function register(ip = freshIp()) {
  const company = await createCompany();
  const contact = uniqueContact();
  const deviceId = `device-${randomUUID()}`;
  const res = await auth()
    .post('/auth/register')
    .set('X-Forwarded-For', ip)
    .send({ companyId: company.id, fullname: 'Budi Santoso', email: contact.email, phone: contact.phone, password: strongPassword, deviceId })
    .expect(201);
  return { companyId: company.id, ...contact, deviceId, userId: res.body.userId as number, otp: res.body.otp as { ottId: string; channel: string; destination: string; expiresAt: string } };
}

function verify(body: { ottId: string; code: string; deviceId?: string }, ip = freshIp()) {
  return auth().post('/auth/verify-otp').set('X-Forwarded-For', ip).send(body);
}

function resend(ottId: string, ip = freshIp()) {
  return auth().post('/auth/resend-otp').set('X-Forwarded-For', ip).send({ ottId });
}

/** Moves a code's creation back, as if the resend cooldown had passed. */
async function age(companyId: number, ottId: string, seconds: number): Promise<void> {
  await asTenant(companyId, `update auth_ott set created_at = created_at - make_interval(secs => $2::int) where id = $1::uuid`, [ottId, seconds]);
}

describe('auth OTP (verify-otp, resend-otp)', () => {
  const events = recordEvents();

  describe('issuing', () => {
    it('issues a six-digit code under a UUID v4 id and stores only its keyed hash', async () => {
      const reg = await register();
      const { otp } = reg;
      assert.match(otp.ottId, uuidV4);
      assert.equal(otp.channel, 'SMS');
      assert.equal(otp.destination, maskPhone(reg.phone));
      assert.ok(!otp.destination.includes(reg.phone.slice(3, -4)), 'the destination is masked');
      const ttl = (Date.parse(otp.expiresAt) - Date.now()) / 1000;
      assert.ok(ttl > 290 && ttl <= 301, `expires in about 300 s (got ${ttl})`);
      const code = await otpCode(otp.ottId);
      assert.match(code, /^\d{6}$/);
      const [row] = await ownerQuery<{ code_hash: string; code_encrypted: string; purpose: string; destination: string; attempts: number }>(
        `select code_hash, code_encrypted, purpose, destination, attempts from auth_ott where id = $1::uuid`,
        [otp.ottId],
      );
      assert.equal(row!.purpose, 'REGISTER');
      assert.equal(row!.destination, reg.phone);
      assert.equal(row!.attempts, 0);
      assert.notEqual(row!.code_hash, code);
      assert.ok(!row!.code_hash.includes(code), 'the hash does not contain the code');
      assert.ok(!row!.code_encrypted.includes(code), 'the encrypted code does not contain the code');
    });

    it('codes differ between issues', async () => {
      const codes = new Set<string>();
      const ids = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const { otp } = await register();
        ids.add(otp.ottId);
        codes.add(await otpCode(otp.ottId));
      }
      assert.equal(ids.size, 4);
      // Four draws from a million: a repeat is a one-in-100,000 event; three distinct values is the floor.
      assert.ok(codes.size >= 3, `codes look random: ${[...codes].join(', ')}`);
    });

    it('emits one otp.requested event per code, for the tenant, without the code', async () => {
      const reg = await register();
      const code = await otpCode(reg.otp.ottId);
      const sent = events.messages.filter((m) => m.topic === 'otp.requested' && (m.data as { ottId: string }).ottId === reg.otp.ottId);
      assert.equal(sent.length, 1);
      const msg = sent[0]!;
      assert.equal(msg.attributes.companyId, String(reg.companyId));
      assert.deepEqual(msg.data, { ottId: reg.otp.ottId, channel: 'SMS', destination: reg.phone, purpose: 'REGISTER', locale: 'id' });
      const rows = await ownerQuery<{ payload: Record<string, unknown>; company_id: string; published_at: Date | null }>(
        `select payload, company_id, published_at from outbox where topic = 'otp.requested' and payload ->> 'ottId' = $1::text`,
        [reg.otp.ottId],
      );
      assert.equal(rows.length, 1);
      assert.equal(Number(rows[0]!.company_id), reg.companyId);
      assert.ok(rows[0]!.published_at, 'published right after commit');
      for (const payload of [rows[0]!.payload, msg.data as Record<string, unknown>]) {
        assert.deepEqual(Object.keys(payload).sort(), ['channel', 'destination', 'locale', 'ottId', 'purpose']);
        assert.ok(!Object.values(payload).includes(code), 'no member is the code');
        const { ottId: _ottId, destination: _destination, ...rest } = payload;
        assert.ok(!JSON.stringify(rest).includes(code), 'the code appears nowhere in the payload');
      }

      // A resent code is a second event, with its own id.
      await age(reg.companyId, reg.otp.ottId, 61);
      const next = (await resend(reg.otp.ottId).expect(202)).body.otp as { ottId: string };
      const second = events.messages.filter((m) => m.topic === 'otp.requested' && (m.data as { ottId: string }).ottId === next.ottId);
      assert.equal(second.length, 1);
      assert.equal(second[0]!.attributes.companyId, String(reg.companyId));
      assert.ok(!JSON.stringify(second[0]!.data).includes(`"${await otpCode(next.ottId)}"`));
    });
  });

  describe('verifying', () => {
    it('counts wrong codes down (4, 3, 2, 1), then locks; the right code is refused once locked', async () => {
      const { otp } = await register();
      const code = await otpCode(otp.ottId);
      for (const attemptsLeft of [4, 3, 2, 1]) {
        const res = await verify({ ottId: otp.ottId, code: wrong(code) }).expect(400);
        assert.equal(res.body.code, 'OTP_INVALID');
        assert.equal(res.body.attemptsLeft, attemptsLeft);
      }
      const locked = await verify({ ottId: otp.ottId, code: wrong(code) }).expect(429);
      assert.equal(locked.body.code, 'OTP_LOCKED');
      const right = await verify({ ottId: otp.ottId, code }).expect(429);
      assert.equal(right.body.code, 'OTP_LOCKED');
      const [row] = await ownerQuery<{ attempts: number; used_at: Date | null }>(`select attempts, used_at from auth_ott where id = $1::uuid`, [otp.ottId]);
      assert.equal(row!.attempts, 5);
      assert.equal(row!.used_at, null);
    });

    it('accepts the right code once (REGISTER → PENDING_APPROVAL), then answers OTP_USED', async () => {
      const reg = await register();
      const code = await otpCode(reg.otp.ottId);
      const ok = await verify({ ottId: reg.otp.ottId, code }).expect(200);
      assert.deepEqual(ok.body, { status: 'PENDING_APPROVAL' });
      const again = await verify({ ottId: reg.otp.ottId, code }).expect(410);
      assert.equal(again.body.code, 'OTP_USED');
      const [user] = await ownerQuery<{ status: string; phone_verified_at: Date | null }>(`select status, phone_verified_at from auth_user where id = $1::bigint`, [reg.userId]);
      assert.equal(user!.status, 'PENDING_APPROVAL');
      assert.ok(user!.phone_verified_at);
      const [ott] = await ownerQuery<{ used_at: Date | null; code_encrypted: string | null }>(`select used_at, code_encrypted from auth_ott where id = $1::uuid`, [reg.otp.ottId]);
      assert.ok(ott!.used_at);
      assert.equal(ott!.code_encrypted, null, 'an undelivered code is wiped once used');
    });

    it('a wrong code after a successful one is still OTP_USED (no attempt is counted)', async () => {
      const reg = await register();
      const code = await otpCode(reg.otp.ottId);
      await verify({ ottId: reg.otp.ottId, code }).expect(200);
      const res = await verify({ ottId: reg.otp.ottId, code: wrong(code) }).expect(410);
      assert.equal(res.body.code, 'OTP_USED');
      const [ott] = await ownerQuery<{ attempts: number }>(`select attempts from auth_ott where id = $1::uuid`, [reg.otp.ottId]);
      assert.equal(ott!.attempts, 0);
    });

    it('spends a code once under concurrency: one 200, the rest OTP_USED', async () => {
      const reg = await register();
      const code = await otpCode(reg.otp.ottId);
      const results = await Promise.all(Array.from({ length: 6 }, () => verify({ ottId: reg.otp.ottId, code })));
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 410, 410, 410, 410, 410]);
      assert.ok(results.filter((r) => r.status === 410).every((r) => r.body.code === 'OTP_USED'));
    });

    it('counts concurrent wrong codes exactly: four OTP_INVALID (4, 3, 2, 1), the rest OTP_LOCKED', async () => {
      const { otp } = await register();
      const code = await otpCode(otp.ottId);
      const results = await Promise.all(Array.from({ length: 10 }, () => verify({ ottId: otp.ottId, code: wrong(code) })));
      const invalid = results.filter((r) => r.status === 400);
      assert.deepEqual(invalid.map((r) => r.body.attemptsLeft as number).sort(), [1, 2, 3, 4]);
      assert.ok(invalid.every((r) => r.body.code === 'OTP_INVALID'));
      const locked = results.filter((r) => r.status === 429);
      assert.equal(locked.length, 6);
      assert.ok(locked.every((r) => r.body.code === 'OTP_LOCKED'));
      const [row] = await ownerQuery<{ attempts: number }>(`select attempts from auth_ott where id = $1::uuid`, [otp.ottId]);
      assert.equal(row!.attempts, 5);
    });

    const gone: Array<{ name: string; arrange: () => Promise<{ ottId: string; code: string }> }> = [
      {
        name: 'an expired code',
        arrange: async () => {
          const reg = await register();
          const code = await otpCode(reg.otp.ottId);
          await asTenant(reg.companyId, `update auth_ott set expires_at = now() - interval '1 second' where id = $1::uuid`, [reg.otp.ottId]);
          return { ottId: reg.otp.ottId, code };
        },
      },
      { name: 'an unknown ottId', arrange: async () => ({ ottId: randomUUID(), code: '123456' }) },
    ];
    for (const c of gone) {
      it(`answers 410 OTP_EXPIRED for ${c.name}, even with the right code`, async () => {
        const { ottId, code } = await c.arrange();
        const res = await verify({ ottId, code }).expect(410);
        assert.equal(res.body.code, 'OTP_EXPIRED');
      });
    }

    it('leaves codes of other flows alone (an INVESTOR_SIGNATURE code is unknown here): not verified, resent, counted or spent', async () => {
      const reg = await register();
      const id = randomUUID();
      await asTenant(
        reg.companyId,
        `insert into auth_ott (id, company_id, user_id, purpose, channel, destination, code_hash, expires_at)
         select $1::uuid, company_id, user_id, 'INVESTOR_SIGNATURE', channel, destination, code_hash, now() + interval '5 minutes' from auth_ott where id = $2::uuid`,
        [id, reg.otp.ottId],
      );
      assert.equal((await verify({ ottId: id, code: '123456' }).expect(410)).body.code, 'OTP_EXPIRED');
      await age(reg.companyId, id, 61);
      assert.equal((await resend(id).expect(410)).body.code, 'OTP_EXPIRED');
      const [row] = await ownerQuery<{ attempts: number; used_at: Date | null; expires_at: Date }>(`select attempts, used_at, expires_at from auth_ott where id = $1::uuid`, [id]);
      assert.equal(row!.attempts, 0);
      assert.equal(row!.used_at, null);
      assert.ok(row!.expires_at.getTime() > Date.now(), 'not superseded');
    });

    it('rejects malformed bodies before looking anything up', async () => {
      for (const body of [{ ottId: 'not-a-uuid', code: '123456' }, { ottId: randomUUID(), code: '12345' }, { ottId: randomUUID(), code: '12345a' }, { ottId: randomUUID() }]) {
        const res = await auth().post('/auth/verify-otp').set('X-Forwarded-For', freshIp()).send(body).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED', JSON.stringify(body));
      }
    });
  });

  describe('NEW_DEVICE challenge', () => {
    it('verifies only on the device that asked; wrong devices count as attempts; the device is trusted afterwards', async () => {
      const company = await createCompany();
      const user = await userWithTrustedDevice({ companyId: company.id });
      const newDevice = `device-${randomUUID()}`;
      const ip = freshIp();
      const challenge = await auth().post('/auth/login').set('X-Forwarded-For', ip).send({ identifier: user.email, password: user.password, deviceId: newDevice }).expect(202);
      assert.equal(challenge.body.challenge, 'NEW_DEVICE');
      assert.equal(challenge.body.otp.channel, 'SMS', 'agents confirm by SMS');
      assert.equal(challenge.body.otp.destination, maskPhone(user.phone));
      const { ottId } = challenge.body.otp as { ottId: string };
      const code = await otpCode(ottId);

      const otherDevice = await verify({ ottId, code, deviceId: `device-${randomUUID()}` }).expect(400);
      assert.equal(otherDevice.body.code, 'OTP_INVALID');
      assert.equal(otherDevice.body.attemptsLeft, 4);
      const noDevice = await verify({ ottId, code }).expect(400);
      assert.equal(noDevice.body.code, 'OTP_INVALID');
      assert.equal(noDevice.body.attemptsLeft, 3);
      const trustedDevice = await verify({ ottId, code, deviceId: user.deviceId }).expect(400);
      assert.equal(trustedDevice.body.attemptsLeft, 2, 'even the user’s other trusted device cannot use it');

      const ok = await verify({ ottId, code, deviceId: newDevice }).expect(200);
      assert.equal(ok.body.tokenType, 'Bearer');
      assert.match(ok.body.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.match(ok.body.refreshToken, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(ok.body.user.id, user.id);
      const me = await auth().get('/auth/me').set('Authorization', `Bearer ${ok.body.accessToken}`).expect(200);
      assert.equal(me.body.id, user.id);

      const [device] = await asTenant<{ trusted_at: Date | null }>(company.id, `select trusted_at from device_info where user_id = $1::bigint and device_id = $2::text`, [user.id, newDevice]);
      assert.ok(device!.trusted_at, 'the device is trusted');
      const [session] = await ownerQuery<{ device_id: string }>(`select device_id from auth_session where user_id = $1::bigint order by created_at desc limit 1`, [user.id]);
      assert.equal(session!.device_id, newDevice);
      const second = await auth().post('/auth/login').set('X-Forwarded-For', ip).send({ identifier: user.email, password: user.password, deviceId: newDevice }).expect(200);
      assert.ok(second.body.accessToken, 'no challenge on a trusted device');

      const mail = events.messages.find((m) => m.topic === 'email.requested' && (m.data as { template: string; to: string }).template === 'NEW_DEVICE_LOGIN' && (m.data as { to: string }).to === user.email);
      assert.ok(mail, 'the owner is told about the new device');
    });

    it('a new challenge supersedes the previous one', async () => {
      const company = await createCompany();
      const user = await userWithTrustedDevice({ companyId: company.id });
      const device = `device-${randomUUID()}`;
      const login = () => auth().post('/auth/login').set('X-Forwarded-For', freshIp()).send({ identifier: user.email, password: user.password, deviceId: device }).expect(202);
      const first = (await login()).body.otp.ottId as string;
      const firstCode = await otpCode(first);
      const second = (await login()).body.otp.ottId as string;
      const stale = await verify({ ottId: first, code: firstCode, deviceId: device }).expect(410);
      assert.equal(stale.body.code, 'OTP_EXPIRED');
      await verify({ ottId: second, code: await otpCode(second), deviceId: device }).expect(200);
    });
  });

  describe('resending', () => {
    it('refuses within the cooldown with 429 and Retry-After, then sends a new code that replaces the old one', async () => {
      const reg = await register();
      const oldCode = await otpCode(reg.otp.ottId);
      const early = await resend(reg.otp.ottId).expect(429);
      assert.equal(early.body.code, 'RATE_LIMITED');
      const retryAfter = Number(early.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${early.headers['retry-after']}`);
      assert.equal(early.body.retryAfter, retryAfter);

      await age(reg.companyId, reg.otp.ottId, 61);
      const res = await resend(reg.otp.ottId).expect(202);
      const next = res.body.otp as { ottId: string; channel: string; destination: string; expiresAt: string };
      assert.match(next.ottId, uuidV4);
      assert.notEqual(next.ottId, reg.otp.ottId);
      assert.equal(next.channel, 'SMS');
      assert.equal(next.destination, reg.otp.destination);
      assert.ok(Date.parse(next.expiresAt) > Date.now() + 290_000);

      const stale = await verify({ ottId: reg.otp.ottId, code: oldCode }).expect(410);
      assert.equal(stale.body.code, 'OTP_EXPIRED');
      const [old] = await ownerQuery<{ code_encrypted: string | null }>(`select code_encrypted from auth_ott where id = $1::uuid`, [reg.otp.ottId]);
      assert.equal(old!.code_encrypted, null, 'the replaced code is wiped before delivery');

      // The new code has its own cooldown.
      assert.equal((await resend(next.ottId).expect(429)).body.code, 'RATE_LIMITED');
      const ok = await verify({ ottId: next.ottId, code: await otpCode(next.ottId) }).expect(200);
      assert.deepEqual(ok.body, { status: 'PENDING_APPROVAL' });
    });

    it('runs the cooldown from the newest code: resending the replaced one right after is refused', async () => {
      const reg = await register();
      await age(reg.companyId, reg.otp.ottId, 61);
      const next = (await resend(reg.otp.ottId).expect(202)).body.otp.ottId as string;
      // The first code is old, but a code went out seconds ago: asking again through the old id must wait too.
      const again = await resend(reg.otp.ottId).expect(429);
      assert.equal(again.body.code, 'RATE_LIMITED');
      assert.ok(Number(again.headers['retry-after']) >= 55);
      const codes = await ownerQuery<{ n: string }>(`select count(*) as n from auth_ott where user_id = $1::bigint`, [reg.userId]);
      assert.equal(Number(codes[0]!.n), 2);
      await verify({ ottId: next, code: await otpCode(next) }).expect(200);
    });

    it('two concurrent resends of one code send one new code', async () => {
      const reg = await register();
      await age(reg.companyId, reg.otp.ottId, 61);
      const results = await Promise.all([resend(reg.otp.ottId), resend(reg.otp.ottId)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [202, 429]);
      const codes = await ownerQuery<{ n: string }>(`select count(*) as n from auth_ott where user_id = $1::bigint`, [reg.userId]);
      assert.equal(Number(codes[0]!.n), 2);
    });

    it('keeps the purpose and device of a NEW_DEVICE code', async () => {
      const company = await createCompany();
      const user = await userWithTrustedDevice({ companyId: company.id });
      const device = `device-${randomUUID()}`;
      const first = (await auth().post('/auth/login').set('X-Forwarded-For', freshIp()).send({ identifier: user.phone, password: user.password, deviceId: device }).expect(202)).body.otp.ottId as string;
      await age(company.id, first, 61);
      const next = (await resend(first).expect(202)).body.otp.ottId as string;
      const code = await otpCode(next);
      assert.equal((await verify({ ottId: next, code, deviceId: `device-${randomUUID()}` }).expect(400)).body.code, 'OTP_INVALID');
      const ok = await verify({ ottId: next, code, deviceId: device }).expect(200);
      assert.equal(ok.body.user.id, user.id);
    });

    it('refuses to resend a used code (OTP_USED) and an unknown one (OTP_EXPIRED)', async () => {
      const reg = await register();
      await verify({ ottId: reg.otp.ottId, code: await otpCode(reg.otp.ottId) }).expect(200);
      await age(reg.companyId, reg.otp.ottId, 61);
      assert.equal((await resend(reg.otp.ottId).expect(410)).body.code, 'OTP_USED');
      assert.equal((await resend(randomUUID()).expect(410)).body.code, 'OTP_EXPIRED');
    });

    it('resends a locked code: the new one starts with five attempts', async () => {
      const reg = await register();
      const code = await otpCode(reg.otp.ottId);
      for (let i = 0; i < 5; i++) await verify({ ottId: reg.otp.ottId, code: wrong(code) });
      await age(reg.companyId, reg.otp.ottId, 61);
      const next = (await resend(reg.otp.ottId).expect(202)).body.otp.ottId as string;
      const nextCode = await otpCode(next);
      const res = await verify({ ottId: next, code: wrong(nextCode) }).expect(400);
      assert.equal(res.body.attemptsLeft, 4);
      await verify({ ottId: next, code: nextCode }).expect(200);
    });

    it('caps codes to one destination at five an hour, whoever asks and for whatever purpose', async () => {
      const company = await createCompany();
      const user = await userWithTrustedDevice({ companyId: company.id });
      const login = () =>
        auth().post('/auth/login').set('X-Forwarded-For', freshIp()).send({ identifier: user.email, password: user.password, deviceId: `device-${randomUUID()}` });
      const reset = () => auth().post('/auth/reset-password').set('X-Forwarded-For', freshIp()).send({ identifier: user.phone });
      // Five codes to the phone: three new-device challenges and two resets.
      for (const ask of [login, reset, login, reset, login]) {
        const res = await ask();
        assert.equal(res.status, 202, JSON.stringify(res.body));
      }
      const sixth = await login().expect(429);
      assert.equal(sixth.body.code, 'RATE_LIMITED');
      const retryAfter = Number(sixth.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${sixth.headers['retry-after']}`);
      assert.equal((await reset().expect(429)).body.code, 'RATE_LIMITED');
      const codes = await ownerQuery<{ n: string }>(`select count(*) as n from auth_ott where user_id = $1::bigint and destination = $2::text`, [user.id, user.phone]);
      assert.equal(Number(codes[0]!.n), 5, 'no sixth code was stored');
      // Another destination of the same user is not affected.
      await auth().post('/auth/reset-password').set('X-Forwarded-For', freshIp()).send({ identifier: user.email }).expect(202);
    });

    it('counts resends against the hourly cap: the sixth code is refused', async () => {
      const reg = await register();
      let ottId = reg.otp.ottId;
      for (let i = 2; i <= 5; i++) {
        await age(reg.companyId, ottId, 61);
        ottId = (await resend(ottId).expect(202)).body.otp.ottId as string;
      }
      await age(reg.companyId, ottId, 61);
      const sixth = await resend(ottId).expect(429);
      assert.equal(sixth.body.code, 'RATE_LIMITED');
      assert.ok(Number(sixth.headers['retry-after']) >= 1);
      // The refused resend left the current code working.
      const ok = await verify({ ottId, code: await otpCode(ottId) }).expect(200);
      assert.deepEqual(ok.body, { status: 'PENDING_APPROVAL' });
    });
  });
});
