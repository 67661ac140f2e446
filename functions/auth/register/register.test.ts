import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { auth, freshIp, otpCode, recordEvents, strongPassword } from '../../../test/support/auth.js';
import { asTenant } from '../../../test/support/notify.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../../../test/support/owner.js';
import { createUser, uniqueContact } from '../../../test/support/users.js';
import { verifyPassword } from '../passwords/password-hasher.js';

/**
 * POST /auth/register, the REGISTER code of POST /auth/verify-otp, and POST /auth/verify-unique, through the
 * Functions Framework test server against the real database. Every test comes from its own client address
 * (per-IP limits are shared by the whole run) and uses fresh identifiers.
 */

interface Registration {
  companyId: number;
  fullname: string;
  email: string;
  phone: string;
  password: string;
  deviceId: string;
  platform?: string;
  deviceName?: string;
  [extra: string]: unknown;
}

function registration(companyId: number, over: Partial<Registration> = {}): Registration {
  return {
    companyId,
    fullname: 'Sari Wulandari',
    ...uniqueContact(),
    password: strongPassword,
    deviceId: `device-${randomUUID()}`,
    platform: 'ANDROID',
    deviceName: 'Pixel 8',
    ...over,
  };
}

const register = (body: Record<string, unknown>, ip = freshIp()) => auth().post('/auth/register').set('X-Forwarded-For', ip).send(body);
const login = (body: Record<string, unknown>, ip = freshIp()) => auth().post('/auth/login').set('X-Forwarded-For', ip).send(body);
const verifyOtp = (body: Record<string, unknown>, ip = freshIp()) => auth().post('/auth/verify-otp').set('X-Forwarded-For', ip).send(body);

describe('POST /auth/register', () => {
  const events = recordEvents();
  let company: { id: number; name: string };

  before(async () => {
    company = await createCompany();
  });

  it('answers 201 with the pending account and a masked SMS challenge', async () => {
    const reg = registration(company.id);
    const started = Date.now();
    const res = await register(reg).expect(201);
    assert.deepEqual(Object.keys(res.body).sort(), ['otp', 'status', 'userId']);
    assert.equal(typeof res.body.userId, 'number');
    assert.equal(res.body.status, 'PENDING_VERIFICATION');
    assert.deepEqual(Object.keys(res.body.otp).sort(), ['channel', 'destination', 'expiresAt', 'ottId']);
    assert.match(res.body.otp.ottId, /^[0-9a-f-]{36}$/);
    assert.equal(res.body.otp.channel, 'SMS');
    assert.equal(res.body.otp.destination, `+62***${reg.phone.slice(-4)}`);
    const expiresIn = Date.parse(res.body.otp.expiresAt) - started;
    assert.ok(expiresIn > 240_000 && expiresIn <= 310_000, `the code lives OTP_TTL_SECONDS (300 s), got ${expiresIn} ms`);
  });

  it('stores the user PENDING_VERIFICATION with an argon2id hash, its membership and an untrusted device', async () => {
    const reg = registration(company.id);
    const res = await register(reg).expect(201);
    const userId = res.body.userId as number;
    const [user] = await ownerQuery<{ company_id: number; email: string; phone: string; fullname: string; role: string; status: string; password_hash: string; phone_verified_at: Date | null }>(
      `select company_id, email, phone, fullname, role, status, password_hash, phone_verified_at from auth_user where id = $1::bigint`,
      [userId],
    );
    assert.ok(user);
    assert.deepEqual(
      { company_id: user.company_id, email: user.email, phone: user.phone, fullname: user.fullname, role: user.role, status: user.status, phone_verified_at: user.phone_verified_at },
      { company_id: company.id, email: reg.email, phone: reg.phone, fullname: reg.fullname, role: 'RM_AGENT', status: 'PENDING_VERIFICATION', phone_verified_at: null },
    );
    assert.match(user.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    assert.ok(!user.password_hash.includes(reg.password), 'the password itself is never stored');
    assert.ok(await verifyPassword(user.password_hash, reg.password));

    const memberships = await ownerQuery<{ company_id: number }>(`select company_id from auth_user_company where user_id = $1::bigint`, [userId]);
    assert.deepEqual(memberships, [{ company_id: company.id }]);

    const devices = await asTenant<{ device_id: string; platform: string; device_name: string; trusted_at: Date | null; company_id: number }>(
      company.id,
      `select device_id, platform, device_name, trusted_at, company_id from device_info where user_id = $1::bigint`,
      [userId],
    );
    assert.deepEqual(devices, [{ device_id: reg.deviceId, platform: 'ANDROID', device_name: 'Pixel 8', trusted_at: null, company_id: company.id }]);

    const [ott] = await ownerQuery<{ purpose: string; channel: string; destination: string; device_id: string; user_id: number }>(
      `select purpose, channel, destination, device_id, user_id from auth_ott where id = $1::uuid`,
      [res.body.otp.ottId],
    );
    assert.deepEqual(ott, { purpose: 'REGISTER', channel: 'SMS', destination: reg.phone, device_id: reg.deviceId, user_id: userId });
  });

  it('publishes otp.requested for the phone, without the code', async () => {
    const reg = registration(company.id);
    const res = await register(reg).expect(201);
    const ottId = res.body.otp.ottId as string;
    const sent = events.messages.filter((m) => m.topic === 'otp.requested' && (m.data as { ottId: string }).ottId === ottId);
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0]!.data, { ottId, channel: 'SMS', destination: reg.phone, purpose: 'REGISTER', locale: 'id' });
    assert.equal(sent[0]!.attributes.companyId, String(company.id));
    const code = await otpCode(ottId);
    assert.match(code, /^\d{6}$/);
    assert.ok(!JSON.stringify(sent[0]).includes(code), 'the code never travels in the event');
  });

  describe('refusals', () => {
    let inactive: { id: number };
    let taken: { email: string; phone: string };

    before(async () => {
      inactive = await createCompany({ status: 'INACTIVE' });
      taken = await createUser({ companyId: company.id });
    });

    const cases: Array<{ name: string; body: () => Record<string, unknown>; status: number; code: string; fields?: string[]; reasons?: string[] }> = [
      { name: 'an inactive company', body: () => registration(inactive.id), status: 422, code: 'COMPANY_UNAVAILABLE', fields: ['companyId'] },
      { name: 'an unknown company', body: () => registration(2_000_000_000), status: 422, code: 'COMPANY_UNAVAILABLE', fields: ['companyId'] },
      { name: 'a taken email', body: () => registration(company.id, { email: taken.email }), status: 409, code: 'IDENTIFIER_TAKEN', fields: ['email'] },
      { name: 'a taken email in other case', body: () => registration(company.id, { email: taken.email.toUpperCase() }), status: 409, code: 'IDENTIFIER_TAKEN', fields: ['email'] },
      { name: 'a taken phone', body: () => registration(company.id, { phone: taken.phone }), status: 409, code: 'IDENTIFIER_TAKEN', fields: ['phone'] },
      { name: 'a taken email and phone', body: () => registration(company.id, { email: taken.email, phone: taken.phone }), status: 409, code: 'IDENTIFIER_TAKEN', fields: ['email', 'phone'] },
      { name: 'a too short password', body: () => registration(company.id, { password: 'kopi!' }), status: 422, code: 'PASSWORD_REJECTED', fields: ['password'], reasons: ['TOO_SHORT'] },
      { name: 'a common password', body: () => registration(company.id, { password: 'password123' }), status: 422, code: 'PASSWORD_REJECTED', fields: ['password'], reasons: ['COMMON'] },
      {
        name: 'a password containing the email local part',
        body: () => {
          const r = registration(company.id);
          return { ...r, password: `rahasia ${r.email.split('@')[0]} saja` };
        },
        status: 422,
        code: 'PASSWORD_REJECTED',
        fields: ['password'],
        reasons: ['CONTAINS_PERSONAL_DATA'],
      },
      {
        name: 'a password containing the name',
        body: () => registration(company.id, { fullname: 'Wirajaya Kusuma', password: 'wirajaya selalu senang' }),
        status: 422,
        code: 'PASSWORD_REJECTED',
        fields: ['password'],
        reasons: ['CONTAINS_PERSONAL_DATA'],
      },
      { name: 'a phone not in E.164', body: () => registration(company.id, { phone: '0812-3456-7890' }), status: 400, code: 'VALIDATION_FAILED', fields: ['body.phone'] },
      { name: 'a malformed email', body: () => registration(company.id, { email: 'sari.example.test' }), status: 400, code: 'VALIDATION_FAILED', fields: ['body.email'] },
      { name: 'an unknown field', body: () => ({ ...registration(company.id), role: 'ADMIN' }), status: 400, code: 'VALIDATION_FAILED', fields: ['body.role'] },
    ];

    for (const c of cases) {
      it(`refuses ${c.name}: ${c.status} ${c.code}`, async () => {
        const body = c.body();
        const res = await register(body).expect(c.status);
        assert.equal(res.body.code, c.code);
        if (c.fields) assert.deepEqual((res.body.errors as Array<{ field: string }>).map((e) => e.field), c.fields);
        if (c.reasons) assert.deepEqual(res.body.reasons, c.reasons);
        // Nothing was created for the refused registration.
        if (typeof body.email === 'string' && body.email !== taken.email && body.email !== taken.email.toUpperCase()) {
          assert.deepEqual(await ownerQuery(`select id from auth_user where email = lower($1::text)`, [body.email]), []);
        }
      });
    }
  });

  it('lets only one of two concurrent registrations of one email through; the other gets the same 409', async () => {
    const email = uniqueContact().email;
    const results = await Promise.all([register(registration(company.id, { email })), register(registration(company.id, { email }))]);
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409]);
    const refused = results.find((r) => r.status === 409)!;
    assert.equal(refused.body.code, 'IDENTIFIER_TAKEN');
    assert.deepEqual(refused.body.errors, [{ field: 'email', message: 'This email is already in use' }]);
    assert.equal((await ownerQuery(`select id from auth_user where email = $1::text`, [email])).length, 1);
  });

  it('limits registrations per phone to 5 an hour, whatever the address: 429 with Retry-After', async () => {
    const inactive = await createCompany({ status: 'INACTIVE' });
    const phone = uniqueContact().phone;
    for (let i = 0; i < 5; i++) {
      const res = await register(registration(inactive.id, { phone })).expect(422);
      assert.equal(res.body.code, 'COMPANY_UNAVAILABLE');
    }
    const limited = await register(registration(company.id, { phone })).expect(429);
    assert.equal(limited.body.code, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${limited.headers['retry-after']}`);
    assert.equal(limited.body.retryAfter, retryAfter);
    assert.deepEqual(await ownerQuery(`select id from auth_user where phone = $1::text`, [phone]), []);
    // Another phone is not limited.
    await register(registration(company.id)).expect(201);
  });
});

describe('registration verified by SMS', () => {
  const events = recordEvents();

  it('moves the account to PENDING_APPROVAL, trusts the device and marks the phone verified', async () => {
    const company = await createCompany();
    const reg = registration(company.id);
    const { body } = await register(reg).expect(201);
    const res = await verifyOtp({ ottId: body.otp.ottId, code: await otpCode(body.otp.ottId) }).expect(200);
    assert.deepEqual(res.body, { status: 'PENDING_APPROVAL' });
    const [user] = await ownerQuery<{ status: string; phone_verified_at: Date | null }>(`select status, phone_verified_at from auth_user where id = $1::bigint`, [body.userId]);
    assert.equal(user!.status, 'PENDING_APPROVAL');
    assert.ok(user!.phone_verified_at instanceof Date && Math.abs(user!.phone_verified_at.getTime() - Date.now()) < 60_000);
    const [device] = await asTenant<{ trusted_at: Date | null }>(company.id, `select trusted_at from device_info where user_id = $1::bigint and device_id = $2::text`, [body.userId, reg.deviceId]);
    assert.ok(device!.trusted_at instanceof Date);
  });

  it("tells each ACTIVE admin of the company by email and in one push, and nobody else", async () => {
    const company = await createCompany();
    const other = await createCompany();
    const admin1 = await createUser({ companyId: company.id, role: 'ADMIN' });
    const admin2 = await createUser({ companyId: company.id, role: 'ADMIN' });
    const inactiveAdmin = await createUser({ companyId: company.id, role: 'ADMIN', status: 'INACTIVE' });
    const colleague = await createUser({ companyId: company.id, role: 'RM_AGENT' });
    const otherAdmin = await createUser({ companyId: other.id, role: 'ADMIN' });
    const reg = registration(company.id);
    const { body } = await register(reg).expect(201);
    await verifyOtp({ ottId: body.otp.ottId, code: await otpCode(body.otp.ottId) }).expect(200);

    const emails = events.messages.filter((m) => m.topic === 'email.requested' && (m.data as { variables: { agentEmail?: string } }).variables.agentEmail === reg.email);
    assert.deepEqual(emails.map((m) => (m.data as { to: string }).to).sort(), [admin1.email, admin2.email].sort());
    for (const m of emails) {
      assert.equal(m.attributes.companyId, String(company.id));
      assert.deepEqual(m.data, {
        template: 'RM_REGISTRATION_RECEIVED',
        to: (m.data as { to: string }).to,
        variables: { agentName: reg.fullname, agentEmail: reg.email, agentPhone: reg.phone, companyName: company.name },
        locale: 'id',
        entity: { type: 'user', id: String(body.userId) },
      });
    }
    const pushes = events.messages.filter((m) => m.topic === 'push.requested' && (m.data as { data: { userId?: string } }).data.userId === String(body.userId));
    assert.equal(pushes.length, 1);
    const push = pushes[0]!.data as { userIds: number[]; type: string };
    assert.deepEqual([...push.userIds].sort((a, b) => a - b), [admin1.id, admin2.id].sort((a, b) => a - b));
    assert.equal(push.type, 'RM_REGISTRATION');
    const everyone = JSON.stringify(events.messages);
    for (const nobody of [inactiveAdmin, colleague, otherAdmin]) {
      assert.ok(!everyone.includes(nobody.email), `${nobody.role} ${nobody.email} is not told`);
      assert.ok(!push.userIds.includes(nobody.id));
    }
  });

  it('also tells an admin whose home company is another but who is a member of this one', async () => {
    const company = await createCompany();
    const member = await createUser({ companyId: (await createCompany()).id, role: 'ADMIN', extraCompanyIds: [company.id] });
    const reg = registration(company.id);
    const { body } = await register(reg).expect(201);
    await verifyOtp({ ottId: body.otp.ottId, code: await otpCode(body.otp.ottId) }).expect(200);
    const emails = events.messages.filter((m) => m.topic === 'email.requested' && (m.data as { variables: { agentEmail?: string } }).variables.agentEmail === reg.email);
    assert.deepEqual(emails.map((m) => (m.data as { to: string }).to), [member.email]);
  });

  it('sends nothing to admins when the company has none', async () => {
    const company = await createCompany();
    const reg = registration(company.id);
    const { body } = await register(reg).expect(201);
    await verifyOtp({ ottId: body.otp.ottId, code: await otpCode(body.otp.ottId) }).expect(200);
    const told = events.messages.filter((m) => m.attributes.companyId === String(company.id) && m.topic !== 'otp.requested');
    assert.deepEqual(told, []);
  });

  it('reveals the account state only with the right password, through every stage up to a trusted sign-in', async () => {
    const company = await createCompany();
    const reg = registration(company.id);
    const { body } = await register(reg).expect(201);
    const ip = freshIp();
    const attempt = (password: string, deviceId = reg.deviceId) => login({ identifier: reg.email, password, deviceId }, ip);

    // Before the code: the right password learns the state, a wrong one learns nothing.
    assert.equal((await attempt(reg.password).expect(403)).body.code, 'ACCOUNT_PENDING_VERIFICATION');
    assert.equal((await attempt('salah sekali kata sandinya').expect(401)).body.code, 'INVALID_CREDENTIALS');

    await verifyOtp({ ottId: body.otp.ottId, code: await otpCode(body.otp.ottId) }).expect(200);
    assert.equal((await attempt(reg.password).expect(403)).body.code, 'ACCOUNT_PENDING_APPROVAL');
    assert.equal((await attempt('salah sekali kata sandinya').expect(401)).body.code, 'INVALID_CREDENTIALS');

    await asSuperAdmin((c) => c.query(`update auth_user set status = 'ACTIVE' where id = $1::bigint`, [body.userId]));
    const signedIn = await attempt(reg.password).expect(200);
    assert.equal(signedIn.body.tokenType, 'Bearer');
    assert.equal(signedIn.body.user.id, body.userId);
    assert.equal(signedIn.body.user.status, 'ACTIVE');
    assert.deepEqual(signedIn.body.user.companyIds, [company.id]);

    const elsewhere = await attempt(reg.password, `device-${randomUUID()}`).expect(202);
    assert.equal(elsewhere.body.challenge, 'NEW_DEVICE');
    assert.equal(elsewhere.body.otp.channel, 'SMS');
    assert.equal(elsewhere.body.otp.destination, `+62***${reg.phone.slice(-4)}`);
    assert.equal(elsewhere.body.accessToken, undefined);
  });
});

describe('POST /auth/verify-unique', () => {
  recordEvents();
  let existing: { email: string; phone: string };

  before(async () => {
    const company = await createCompany();
    existing = await createUser({ companyId: company.id });
  });

  const check = (body: Record<string, unknown>, ip = freshIp()) => auth().post('/auth/verify-unique').set('X-Forwarded-For', ip).send(body);

  const cases: Array<[string, () => Record<string, unknown>, Record<string, unknown>]> = [
    ['a free email', () => ({ email: uniqueContact().email }), { email: { available: true } }],
    ['a taken email', () => ({ email: existing.email }), { email: { available: false } }],
    ['a taken email in upper case', () => ({ email: existing.email.toUpperCase() }), { email: { available: false } }],
    ['a free phone', () => ({ phone: uniqueContact().phone }), { phone: { available: true } }],
    ['a taken phone', () => ({ phone: existing.phone }), { phone: { available: false } }],
    ['a taken email and a free phone', () => ({ email: existing.email, phone: uniqueContact().phone }), { email: { available: false }, phone: { available: true } }],
    ['a free email and a taken phone', () => ({ email: uniqueContact().email, phone: existing.phone }), { email: { available: true }, phone: { available: false } }],
  ];
  for (const [name, body, expected] of cases) {
    it(`answers ${name}`, async () => {
      const res = await check(body()).expect(200);
      assert.deepEqual(res.body, expected);
    });
  }

  it('wants an email, a phone or both: 400', async () => {
    const res = await check({}).expect(400);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    const bad = await check({ email: 'nope', phone: '0812' }).expect(400);
    assert.deepEqual((bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort(), ['body.email', 'body.phone']);
  });

  it('allows 20 checks a minute per address, then answers 429 with Retry-After', async () => {
    const ip = freshIp();
    for (let i = 0; i < 20; i++) await check({ email: uniqueContact().email }, ip).expect(200);
    const limited = await check({ email: uniqueContact().email }, ip).expect(429);
    assert.equal(limited.body.code, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${limited.headers['retry-after']}`);
    // Another address is not limited.
    await check({ email: uniqueContact().email }).expect(200);
  });
});
