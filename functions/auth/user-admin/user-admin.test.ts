import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { decrypt } from '../../../shared/crypto/encryption.js';
import { encodeCursor } from '../../../shared/http/pagination.js';
import { auth, bearer, freshIp, recordEvents, signIn, strongPassword, strongPasswordHash, trustDevice, userWithTrustedDevice } from '../../../test/support/auth.js';
import { adminOfNewCompany, expiredLicence, login, me, refresh, validLicence } from '../../../test/support/idty.js';
import { asTenant } from '../../../test/support/notify.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../../../test/support/owner.js';
import { createUser, uniqueContact, type Role, type TestUser, type UserStatus } from '../../../test/support/users.js';

/**
 * GET/POST /idty/users, GET/PUT/DELETE /idty/users/{id}, the invitation (POST /idty/users/{id}/invite and
 * POST /auth/set-password), through the Functions Framework test server against the real database.
 */


type EmailEvent = { template: string; to: string; variables: Record<string, string>; secureLink?: string; locale: string; entity: { type: string; id: string } };

const setPassword = (token: string, newPassword: string, ip = freshIp()) => auth().post('/auth/set-password').set('X-Forwarded-For', ip).send({ token, newPassword });

const listUsers = (token: string, query: Record<string, string | number> = {}) => auth().get('/idty/users').set(bearer(token)).query(query);
const postUser = (token: string, body: object, ip = freshIp()) => auth().post('/idty/users').set('X-Forwarded-For', ip).set(bearer(token)).send(body);
const getUser = (token: string, id: number | string) => auth().get(`/idty/users/${id}`).set(bearer(token));
const putUser = (token: string, id: number | string, body: object) => auth().put(`/idty/users/${id}`).set(bearer(token)).send(body);
const deleteUser = (token: string, id: number | string) => auth().delete(`/idty/users/${id}`).set(bearer(token));
const resendInvite = (token: string, id: number | string) => auth().post(`/idty/users/${id}/invite`).set(bearer(token));

/** A body for POST /idty/users: an RM agent with a valid licence and unique contacts. */
function newUser(companyId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { companyId, fullname: 'Rina Marlina', ...uniqueContact(), role: 'RM_AGENT', licence: validLicence, ...overrides };
}

interface StoredUser {
  fullname: string;
  email: string;
  phone: string;
  role: string;
  status: string;
  waperd_number: string | null;
  waperd_expires_on: string | null;
  deleted_at: Date | null;
}

async function stored(id: number): Promise<StoredUser | undefined> {
  const [row] = await ownerQuery<StoredUser>(
    `select fullname, email, phone, role, status, waperd_number, to_char(waperd_expires_on, 'YYYY-MM-DD') as waperd_expires_on, deleted_at
       from auth_user where id = $1::bigint`,
    [id],
  );
  return row;
}

async function memberships(userId: number): Promise<number[]> {
  const rows = await ownerQuery<{ company_id: number }>(`select company_id from auth_user_company where user_id = $1::bigint order by company_id`, [userId]);
  return rows.map((r) => Number(r.company_id));
}

const byIdDesc = (ids: number[]) => [...ids].sort((a, b) => b - a);
const idsOf = (body: { items: Array<{ id: number }> }) => body.items.map((u) => u.id);

describe('identity admin: users (/idty/users)', () => {
  const events = recordEvents();

  /** The invitation emails sent to an address, oldest first. */
  const invitesTo = (email: string) =>
    events.messages.filter((m) => m.topic === 'email.requested' && (m.data as EmailEvent).template === 'USER_INVITE' && (m.data as EmailEvent).to === email).map((m) => m.data as EmailEvent);

  /** The set-password token of the newest invitation to an address, read from the encrypted link. */
  async function inviteToken(email: string): Promise<{ token: string; url: URL }> {
    const mail = invitesTo(email).at(-1);
    assert.ok(mail, `an invitation was sent to ${email}`);
    assert.ok(mail.secureLink, 'the link travels encrypted');
    const url = new URL(await decrypt(mail.secureLink, 'email.link'));
    const token = new URLSearchParams(url.hash.slice(1)).get('token');
    assert.ok(token, `the link carries #token= (${url.pathname})`);
    return { token, url };
  }

  describe('GET /idty/users', () => {
    it('lists the users of the admin’s company, newest first, and never those of another company', async () => {
      const { company, admin } = await adminOfNewCompany();
      const other = await createCompany();
      const mine = [admin.id];
      for (const status of ['ACTIVE', 'PENDING_APPROVAL', 'INACTIVE', 'REJECTED'] as const) mine.push((await createUser({ companyId: company.id, status })).id);
      mine.push((await createUser({ companyId: company.id, role: 'ADMIN' })).id);
      const theirs = [(await createUser({ companyId: other.id })).id, (await createUser({ companyId: other.id, role: 'ADMIN' })).id];

      const res = await listUsers(admin.accessToken).expect(200);
      assert.deepEqual(idsOf(res.body), byIdDesc(mine));
      assert.equal(res.body.nextCursor, null);
      for (const id of theirs) assert.ok(!idsOf(res.body).includes(id), `user ${id} of another company is not listed`);
      const first = res.body.items.find((u: { id: number }) => u.id === admin.id);
      assert.deepEqual(Object.keys(first).sort(), ['approvedAt', 'companyId', 'companyIds', 'createdAt', 'email', 'fullname', 'id', 'licence', 'phone', 'rejectedReason', 'role', 'status']);
      assert.equal(first.email, admin.email);
      assert.deepEqual(first.companyIds, [company.id]);
      assert.ok(!('passwordHash' in first));
    });

    it('filters by status and by role', async () => {
      const { company, admin } = await adminOfNewCompany();
      const pending = [(await createUser({ companyId: company.id, status: 'PENDING_APPROVAL' })).id, (await createUser({ companyId: company.id, status: 'PENDING_APPROVAL' })).id];
      const active = (await createUser({ companyId: company.id, status: 'ACTIVE' })).id;
      const inactiveAdmin = (await createUser({ companyId: company.id, role: 'ADMIN', status: 'INACTIVE' })).id;

      const cases: Array<[Record<string, string>, number[]]> = [
        [{ status: 'PENDING_APPROVAL' }, pending],
        [{ status: 'INACTIVE' }, [inactiveAdmin]],
        [{ status: 'REJECTED' }, []],
        [{ status: 'ACTIVE' }, [admin.id, active]],
        [{ role: 'ADMIN' }, [admin.id, inactiveAdmin]],
        [{ role: 'RM_AGENT' }, [...pending, active]],
        [{ role: 'SUPER_ADMIN' }, []],
        [{ role: 'ADMIN', status: 'ACTIVE' }, [admin.id]],
      ];
      for (const [query, expected] of cases) {
        const res = await listUsers(admin.accessToken, query).expect(200);
        assert.deepEqual(idsOf(res.body), byIdDesc(expected), JSON.stringify(query));
      }
      for (const query of [{ status: 'DELETED' }, { role: 'OWNER' }] as Array<Record<string, string>>) {
        assert.equal((await listUsers(admin.accessToken, query).expect(400)).body.code, 'VALIDATION_FAILED', JSON.stringify(query));
      }
    });

    it('searches q in the name (any case), the email and the phone, taking % and _ literally', async () => {
      const { company, admin } = await adminOfNewCompany();
      const u = async (fullname: string, contact: { email?: string; phone?: string } = {}) => (await createUser({ companyId: company.id, fullname, ...contact })).id;
      const siti = await u('Siti Nurhaliza');
      const sitiUpper = await u('SITI AMINAH');
      const percent = await u('Diskon 100% Nyata');
      const noPercent = await u('Diskon 1000 Nyata');
      const underscore = await u('Andi_Wijaya');
      const space = await u('Andi Wijaya');
      const contact = uniqueContact();
      const byContact = await u('Bambang Pamungkas', contact);
      const local = contact.email.split('@')[0]!;

      const cases: Array<[string, number[]]> = [
        ['siti', [siti, sitiUpper]],
        ['NURHALIZA', [siti]],
        ['100%', [percent]],
        ['Diskon 100', [percent, noPercent]],
        ['i_W', [underscore]],
        ['Andi', [underscore, space]],
        [local.toUpperCase(), [byContact]],
        [contact.email, [byContact]],
        [contact.phone.slice(3), [byContact]],
        [contact.phone, [byContact]],
        ['tidak ada yang cocok', []],
      ];
      for (const [q, expected] of cases) {
        const res = await listUsers(admin.accessToken, { q }).expect(200);
        assert.deepEqual(idsOf(res.body), byIdDesc(expected), `q=${q}`);
      }
      assert.equal((await listUsers(admin.accessToken, { q: '   ' }).expect(400)).body.code, 'VALIDATION_FAILED');
    });

    it('pages with limit and cursor: every user exactly once, newest first, nextCursor null at the end', async () => {
      const { company, admin } = await adminOfNewCompany();
      const agents: number[] = [];
      for (let i = 0; i < 9; i++) agents.push((await createUser({ companyId: company.id })).id);

      const walk = async (limit: number, query: Record<string, string> = {}) => {
        const pages: number[][] = [];
        let cursor: string | undefined;
        for (let guard = 0; guard < 20; guard++) {
          const res = await listUsers(admin.accessToken, { ...query, limit, ...(cursor ? { cursor } : {}) }).expect(200);
          pages.push(idsOf(res.body));
          cursor = res.body.nextCursor ?? undefined;
          if (!cursor) return pages;
          assert.equal(res.body.items.length, limit, 'a page with a next cursor is full');
        }
        throw new Error('the cursor never ended');
      };

      const all = byIdDesc([admin.id, ...agents]);
      const cases: Array<[number, Record<string, string>, number[], number[]]> = [
        [3, {}, all, [3, 3, 3, 1]],
        [5, {}, all, [5, 5]],
        [10, {}, all, [10]],
        [3, { role: 'RM_AGENT' }, byIdDesc(agents), [3, 3, 3]],
        [4, { role: 'RM_AGENT' }, byIdDesc(agents), [4, 4, 1]],
        [100, {}, all, [10]],
      ];
      for (const [limit, query, expected, sizes] of cases) {
        const pages = await walk(limit, query);
        assert.deepEqual(pages.map((p) => p.length), sizes, `limit ${limit} ${JSON.stringify(query)}`);
        assert.deepEqual(pages.flat(), expected, `limit ${limit} ${JSON.stringify(query)}: no duplicates, none missed`);
      }
      // Without a limit: 20.
      assert.deepEqual(idsOf((await listUsers(admin.accessToken).expect(200)).body), all);
    });

    it('refuses a cursor it did not make and a limit outside 1..100 with 400', async () => {
      const { admin } = await adminOfNewCompany();
      const bad: Array<Record<string, string | number>> = [
        { cursor: 'not-a-cursor' },
        { cursor: encodeCursor(['abc']) },
        { cursor: encodeCursor([-5]) },
        { cursor: encodeCursor([1, 2]) },
        { cursor: Buffer.from('{"id":1}').toString('base64url') },
        { limit: 0 },
        { limit: 101 },
        { limit: 'ten' },
        { unknown: 'x' },
      ];
      for (const query of bad) {
        const res = await listUsers(admin.accessToken, query).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED', JSON.stringify(query));
      }
    });

    it('leaves soft-deleted users out', async () => {
      const { company, admin } = await adminOfNewCompany();
      const kept = await createUser({ companyId: company.id });
      const gone = await createUser({ companyId: company.id });
      await deleteUser(admin.accessToken, gone.id).expect(204);
      const res = await listUsers(admin.accessToken).expect(200);
      assert.deepEqual(idsOf(res.body), byIdDesc([admin.id, kept.id]));
      assert.deepEqual(idsOf((await listUsers(admin.accessToken, { status: 'INACTIVE' }).expect(200)).body), []);
    });

    it('an admin of two companies sees the users of both, and can narrow to one with companyId', async () => {
      const home = await createCompany();
      const second = await createCompany();
      const third = await createCompany();
      const admin = await signIn({ companyId: home.id, role: 'ADMIN', extraCompanyIds: [second.id] });
      const atHome = (await createUser({ companyId: home.id })).id;
      const atSecond = [(await createUser({ companyId: second.id })).id, (await createUser({ companyId: second.id, role: 'ADMIN' })).id];
      const atThird = (await createUser({ companyId: third.id })).id;

      const all = await listUsers(admin.accessToken).expect(200);
      assert.deepEqual(idsOf(all.body), byIdDesc([admin.id, atHome, ...atSecond]));
      assert.ok(!idsOf(all.body).includes(atThird));
      assert.deepEqual(idsOf((await listUsers(admin.accessToken, { companyId: second.id }).expect(200)).body), byIdDesc(atSecond));
      assert.deepEqual(idsOf((await listUsers(admin.accessToken, { companyId: home.id }).expect(200)).body), byIdDesc([admin.id, atHome]));
      // Paging across both companies merges them by id.
      const first = await listUsers(admin.accessToken, { limit: 2 }).expect(200);
      const rest = await listUsers(admin.accessToken, { limit: 2, cursor: first.body.nextCursor }).expect(200);
      assert.deepEqual([...idsOf(first.body), ...idsOf(rest.body)], byIdDesc([admin.id, atHome, ...atSecond]));
      assert.equal(rest.body.nextCursor, null);
    });

    it('answers 404 NOT_FOUND for a companyId outside the admin’s companies (existing or not)', async () => {
      const { admin } = await adminOfNewCompany();
      const foreign = await createCompany();
      await createUser({ companyId: foreign.id });
      for (const companyId of [foreign.id, 999_999_999]) {
        const res = await listUsers(admin.accessToken, { companyId }).expect(404);
        assert.equal(res.body.code, 'NOT_FOUND');
        assert.equal(res.body.items, undefined);
      }
    });

    it('a super admin lists any company, deactivated ones too, and all of them without companyId', async () => {
      const superAdmin = await signIn({ companyId: (await createCompany()).id, role: 'SUPER_ADMIN' });
      const a = await createCompany();
      const b = await createCompany({ status: 'INACTIVE' });
      const tag = randomUUID().slice(0, 8);
      const inA = (await createUser({ companyId: a.id, fullname: `Agen ${tag} A` })).id;
      const inB = (await createUser({ companyId: b.id, fullname: `Agen ${tag} B` })).id;
      assert.deepEqual(idsOf((await listUsers(superAdmin.accessToken, { companyId: a.id }).expect(200)).body), [inA]);
      assert.deepEqual(idsOf((await listUsers(superAdmin.accessToken, { companyId: b.id }).expect(200)).body), [inB]);
      assert.deepEqual(idsOf((await listUsers(superAdmin.accessToken, { q: tag }).expect(200)).body), byIdDesc([inA, inB]));
    });

    it('is refused to an RM agent (403) and to a caller without a token (401)', async () => {
      const company = await createCompany();
      const agent = await signIn({ companyId: company.id, licence: validLicence });
      assert.equal((await listUsers(agent.accessToken).expect(403)).body.code, 'FORBIDDEN');
      assert.equal((await auth().get('/idty/users').expect(401)).body.code, 'UNAUTHENTICATED');
    });
  });

  describe('POST /idty/users', () => {
    it('creates an active user with a password (201, Location) who can sign in with it', async () => {
      const { company, admin } = await adminOfNewCompany();
      const body = newUser(company.id, { fullname: '  Rina Marlina ', password: strongPassword, locale: 'en' });
      const res = await postUser(admin.accessToken, { ...body, email: (body.email as string).toUpperCase() }).expect(201);
      const id = res.body.id as number;
      assert.equal(res.headers.location, `/idty/users/${id}`);
      assert.deepEqual(res.body, {
        id,
        fullname: 'Rina Marlina',
        email: body.email,
        phone: body.phone,
        role: 'RM_AGENT',
        status: 'ACTIVE',
        companyId: company.id,
        companyIds: [company.id],
        licence: { ...validLicence, expired: false },
        rejectedReason: null,
        createdAt: res.body.createdAt,
        approvedAt: null,
      });
      assert.ok(Math.abs(Date.parse(res.body.createdAt) - Date.now()) < 60_000);
      const [row] = await ownerQuery<{ password_hash: string; locale: string; created_by: number }>(`select password_hash, locale, created_by from auth_user where id = $1::bigint`, [id]);
      assert.match(row!.password_hash, /^\$argon2id\$/);
      assert.equal(row!.locale, 'en');
      assert.equal(Number(row!.created_by), admin.id);
      assert.deepEqual(invitesTo(body.email as string), [], 'no invitation when the admin set a password');

      // A new device is challenged, which already proves the password; on a trusted one the user is in.
      const deviceId = `device-${randomUUID()}`;
      assert.equal((await login(body.email as string, 'kata sandi yang salah', deviceId).expect(401)).body.code, 'INVALID_CREDENTIALS');
      assert.equal((await login(body.email as string, strongPassword, deviceId).expect(202)).body.challenge, 'NEW_DEVICE');
      const trusted = `device-${randomUUID()}`;
      await trustDevice({ id, companyId: company.id }, trusted);
      const signed = await login(body.email as string, strongPassword, trusted).expect(200);
      assert.equal(signed.body.user.id, id);
      assert.equal((await me(signed.body.accessToken).expect(200)).body.id, id);
    });

    it('creates an admin acting in further companies of the caller', async () => {
      const home = await createCompany();
      const second = await createCompany();
      const admin = await signIn({ companyId: home.id, role: 'ADMIN', extraCompanyIds: [second.id] });
      const res = await postUser(admin.accessToken, newUser(second.id, { role: 'ADMIN', licence: undefined, password: strongPassword, companyIds: [home.id] })).expect(201);
      assert.equal(res.body.companyId, second.id);
      assert.deepEqual(res.body.companyIds, [home.id, second.id].sort((a, b) => a - b));
      assert.deepEqual(await memberships(res.body.id), [home.id, second.id].sort((a, b) => a - b));
    });

    it('without a password emails a single-use set-password link; after it the user signs in', async () => {
      const { company, admin } = await adminOfNewCompany();
      const body = newUser(company.id, { role: 'ADMIN', licence: undefined, fullname: 'Yusuf Admin' });
      const res = await postUser(admin.accessToken, body).expect(201);
      const id = res.body.id as number;
      assert.equal(res.body.status, 'ACTIVE');
      const [row] = await ownerQuery<{ password_hash: string | null; email_verified_at: Date | null }>(`select password_hash, email_verified_at from auth_user where id = $1::bigint`, [id]);
      assert.equal(row!.password_hash, null);
      assert.equal(row!.email_verified_at, null);

      const mails = invitesTo(body.email as string);
      assert.equal(mails.length, 1);
      const mail = mails[0]!;
      assert.deepEqual(
        { ...mail, secureLink: undefined, variables: { ...mail.variables, expiresAt: undefined } },
        { template: 'USER_INVITE', to: body.email, variables: { fullname: 'Yusuf Admin', companyName: company.name, expiresAt: undefined }, secureLink: undefined, locale: 'id', entity: { type: 'user', id: String(id) } },
      );
      const ttlHours = (Date.parse(mail.variables.expiresAt!) - Date.now()) / 3_600_000;
      assert.ok(ttlHours > 1, `the link lasts hours (${ttlHours.toFixed(1)})`);
      const { token, url } = await inviteToken(body.email as string);
      assert.equal(url.pathname, '/auth/set-password');
      assert.equal(url.search, '');
      assert.ok(!JSON.stringify(mail).includes(token), 'the token is not in the event in the clear');
      const [tokenRow] = await ownerQuery<{ token_hash: string; purpose: string }>(`select token_hash, purpose from auth_user_token where user_id = $1::bigint`, [id]);
      assert.equal(tokenRow!.purpose, 'SET_PASSWORD');
      assert.notEqual(tokenRow!.token_hash, token, 'only a hash is stored');

      // The page the link opens.
      const page = await auth().get('/auth/set-password').expect(200);
      assert.match(page.headers['content-type']!, /^text\/html/);
      assert.ok(page.headers['content-security-policy']);

      // No password yet: the account cannot sign in.
      const deviceId = `device-${randomUUID()}`;
      await trustDevice({ id, companyId: company.id }, deviceId);
      assert.equal((await login(body.email as string, strongPassword, deviceId).expect(401)).body.code, 'INVALID_CREDENTIALS');

      // A weak password is refused and leaves the link usable.
      assert.equal((await setPassword(token, 'password').expect(422)).body.code, 'PASSWORD_REJECTED');
      await setPassword(token, strongPassword).expect(204);
      const again = await setPassword(token, 'gajah biru menari di hutan').expect(401);
      assert.equal(again.body.code, 'TOKEN_INVALID');

      const [after] = await ownerQuery<{ password_hash: string | null; email_verified_at: Date | null }>(`select password_hash, email_verified_at from auth_user where id = $1::bigint`, [id]);
      assert.match(after!.password_hash!, /^\$argon2id\$/);
      assert.ok(after!.email_verified_at instanceof Date, 'the link proved the email');
      const signed = await login(body.email as string, strongPassword, deviceId).expect(200);
      assert.equal(signed.body.user.id, id);
      // The second attempt's password was not set.
      assert.equal((await login(body.email as string, 'gajah biru menari di hutan', deviceId).expect(401)).body.code, 'INVALID_CREDENTIALS');
    });

    it('two concurrent uses of one link: exactly one sets the password', async () => {
      const { company, admin } = await adminOfNewCompany();
      const body = newUser(company.id);
      const { body: user } = await postUser(admin.accessToken, body).expect(201);
      const { token } = await inviteToken(body.email as string);
      const candidates = ['gajah biru menari di hutan', 'secangkir teh manis hangat', 'sepeda ontel kakek tua'];
      const answers = await Promise.all(candidates.map((p) => setPassword(token, p)));
      const won = answers.flatMap((r, i) => (r.status === 204 ? [candidates[i]!] : []));
      assert.equal(won.length, 1, `one winner (statuses ${answers.map((r) => r.status).join(', ')})`);
      assert.deepEqual(answers.filter((r) => r.status !== 204).map((r) => [r.status, r.body.code]), [
        [401, 'TOKEN_INVALID'],
        [401, 'TOKEN_INVALID'],
      ]);
      const deviceId = `device-${randomUUID()}`;
      await trustDevice({ id: user.id, companyId: company.id }, deviceId);
      await login(body.email as string, won[0]!, deviceId).expect(200);
      for (const lost of candidates.filter((p) => p !== won[0])) await login(body.email as string, lost, deviceId).expect(401);
    });

    it('an expired invitation link answers 401 TOKEN_INVALID', async () => {
      const { company, admin } = await adminOfNewCompany();
      const body = newUser(company.id);
      const { body: user } = await postUser(admin.accessToken, body).expect(201);
      const { token } = await inviteToken(body.email as string);
      await asTenant(company.id, `update auth_user_token set expires_at = now() - interval '1 second' where user_id = $1::bigint`, [user.id]);
      assert.equal((await setPassword(token, strongPassword).expect(401)).body.code, 'TOKEN_INVALID');
      // The link is checked before the password: a weak one learns nothing more.
      assert.equal((await setPassword(token, 'password').expect(401)).body.code, 'TOKEN_INVALID');
      assert.equal((await ownerQuery(`select 1 from auth_user where id = $1::bigint and password_hash is not null`, [user.id])).length, 0);
    });

    it('an invitation link of a user deactivated since answers 403 ACCOUNT_INACTIVE; an unknown token 401', async () => {
      const { company, admin } = await adminOfNewCompany();
      const body = newUser(company.id);
      const { body: user } = await postUser(admin.accessToken, body).expect(201);
      const { token } = await inviteToken(body.email as string);
      await deleteUser(admin.accessToken, user.id).expect(204);
      assert.equal((await setPassword(token, strongPassword).expect(403)).body.code, 'ACCOUNT_INACTIVE');
      const unknown = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      assert.equal((await setPassword(unknown, strongPassword).expect(401)).body.code, 'TOKEN_INVALID');
      assert.equal((await setPassword('short', strongPassword).expect(400)).body.code, 'VALIDATION_FAILED');
    });

    it('POST /idty/users/{id}/invite sends a new link that replaces the old one; 409 once a password is set', async () => {
      const { company, admin } = await adminOfNewCompany();
      const body = newUser(company.id);
      const { body: user } = await postUser(admin.accessToken, body).expect(201);
      const first = await inviteToken(body.email as string);

      const res = await resendInvite(admin.accessToken, user.id).expect(202);
      assert.deepEqual(Object.keys(res.body), ['expiresAt']);
      assert.ok(Date.parse(res.body.expiresAt) > Date.now());
      assert.equal(invitesTo(body.email as string).length, 2);
      const second = await inviteToken(body.email as string);
      assert.notEqual(second.token, first.token);

      assert.equal((await setPassword(first.token, strongPassword).expect(401)).body.code, 'TOKEN_INVALID');
      await setPassword(second.token, strongPassword).expect(204);

      const conflict = await resendInvite(admin.accessToken, user.id).expect(409);
      assert.equal(conflict.body.code, 'CONFLICT');
      assert.equal(invitesTo(body.email as string).length, 2, 'no third email');
    });

    it('POST /idty/users/{id}/invite: 409 for a user with a password or a deactivated one, 404 elsewhere, 403 for an agent', async () => {
      const { company, admin } = await adminOfNewCompany();
      const withPassword = await createUser({ companyId: company.id, passwordHash: await strongPasswordHash() });
      const inactive = await createUser({ companyId: company.id, status: 'INACTIVE' });
      const foreign = await createUser({ companyId: (await createCompany()).id });
      assert.equal((await resendInvite(admin.accessToken, withPassword.id).expect(409)).body.code, 'CONFLICT');
      assert.equal((await resendInvite(admin.accessToken, inactive.id).expect(409)).body.code, 'CONFLICT');
      assert.equal((await resendInvite(admin.accessToken, foreign.id).expect(404)).body.code, 'NOT_FOUND');
      const agent = await signIn({ companyId: company.id, licence: validLicence });
      assert.equal((await resendInvite(agent.accessToken, inactive.id).expect(403)).body.code, 'FORBIDDEN');
      for (const u of [withPassword, inactive, foreign]) assert.deepEqual(invitesTo(u.email), []);
    });

    it('audits the creation with the admin as actor and the request’s address, without the password hash', async () => {
      const { company, admin } = await adminOfNewCompany();
      const ip = `198.51.100.${1 + Math.floor(Math.random() * 254)}`;
      const body = newUser(company.id, { password: strongPassword });
      const { body: user } = await postUser(admin.accessToken, body, ip).expect(201);
      const rows = await asSuperAdmin(async (c) =>
        (
          await c.query<{ entity: string; action_name: string; actor_id: number | null; user_ip: string | null; company_id: number; next: Record<string, unknown>; text: string }>(
            `select entity, action_name, actor_id, host(user_ip) as user_ip, company_id, new_entity_value as next, new_entity_value::text as text
               from auth_user_action_log where entity in ('user', 'user_company') and entity_id = $1::text order by id`,
            [String(user.id)],
          )
        ).rows,
      );
      assert.deepEqual(
        rows.map((r) => [r.entity, r.action_name, r.actor_id, r.user_ip, r.company_id]),
        [
          ['user', 'add', admin.id, ip, company.id],
          ['user_company', 'add', admin.id, ip, company.id],
        ],
      );
      const added = rows[0]!.next;
      assert.equal(added.email, body.email);
      assert.equal(added.status, 'ACTIVE');
      assert.equal(added.waperd_number, validLicence.number);
      assert.ok(!('password_hash' in added));
      assert.ok(!rows[0]!.text.includes('$argon2'));
    });

    const refusals: Array<{ name: string; body: (ctx: { companyId: number; foreignId: number; taken: TestUser }) => Record<string, unknown>; status: number; code: string; field?: string }> = [
      { name: 'an RM agent without a licence', body: (c) => newUser(c.companyId, { licence: undefined }), status: 422, code: 'LICENCE_REQUIRED' },
      { name: 'an RM agent with an expired licence', body: (c) => newUser(c.companyId, { licence: expiredLicence }), status: 422, code: 'LICENCE_REQUIRED' },
      { name: 'a super admin, by an admin', body: (c) => newUser(c.companyId, { role: 'SUPER_ADMIN', licence: undefined }), status: 403, code: 'FORBIDDEN' },
      { name: 'a user in a company not the admin’s', body: (c) => newUser(c.foreignId), status: 404, code: 'NOT_FOUND' },
      { name: 'further companies not the admin’s', body: (c) => newUser(c.companyId, { role: 'ADMIN', licence: undefined, companyIds: [c.foreignId] }), status: 404, code: 'NOT_FOUND' },
      { name: 'an email in use (in another company)', body: (c) => newUser(c.companyId, { email: c.taken.email }), status: 409, code: 'IDENTIFIER_TAKEN', field: 'email' },
      { name: 'an email in use, in capitals', body: (c) => newUser(c.companyId, { email: c.taken.email.toUpperCase() }), status: 409, code: 'IDENTIFIER_TAKEN', field: 'email' },
      { name: 'a phone in use', body: (c) => newUser(c.companyId, { phone: c.taken.phone }), status: 409, code: 'IDENTIFIER_TAKEN', field: 'phone' },
      { name: 'a weak password', body: (c) => newUser(c.companyId, { password: 'password' }), status: 422, code: 'PASSWORD_REJECTED' },
      { name: 'a password made of the user’s name', body: (c) => newUser(c.companyId, { fullname: 'Rina Marlina Sukmawati', password: 'rinamarlinasukmawati' }), status: 422, code: 'PASSWORD_REJECTED' },
      { name: 'companyIds for an RM agent', body: (c) => newUser(c.companyId, { companyIds: [c.companyId] }), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'an unknown field', body: (c) => newUser(c.companyId, { status: 'ACTIVE' }), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'an unknown role', body: (c) => newUser(c.companyId, { role: 'OWNER' }), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'a local phone number', body: (c) => newUser(c.companyId, { phone: '081234567890' }), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'a malformed licence', body: (c) => newUser(c.companyId, { licence: { number: '#', expiresOn: '2099-12-31' } }), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'no companyId', body: (c) => newUser(c.companyId, { companyId: undefined }), status: 400, code: 'VALIDATION_FAILED' },
    ];
    for (const r of refusals) {
      it(`refuses ${r.name}: ${r.status} ${r.code}, nothing created or sent`, async () => {
        const { company, admin } = await adminOfNewCompany();
        const foreign = await createCompany();
        const taken = await createUser({ companyId: foreign.id });
        const body = r.body({ companyId: company.id, foreignId: foreign.id, taken });
        const before = events.messages.length;
        const res = await postUser(admin.accessToken, body).expect(r.status);
        assert.equal(res.body.code, r.code);
        if (r.field) assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), [r.field]);
        const email = String(body.email).toLowerCase();
        const rows = await ownerQuery<{ id: number }>(`select id from auth_user where email = $1::text or phone = $2::text`, [email, body.phone]);
        assert.deepEqual(rows.map((x) => Number(x.id)), email === taken.email || body.phone === taken.phone ? [taken.id] : [], 'no user was created');
        assert.equal(events.messages.slice(before).filter((m) => (m.data as EmailEvent).to === email).length, 0);
      });
    }

    it('takes a licence valid through today in Jakarta, and refuses one that ended yesterday there', async () => {
      const { company, admin } = await adminOfNewCompany();
      const jakartaDay = (offsetDays: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date(Date.now() + offsetDays * 86_400_000));
      const today = { number: 'WPR-777/OJK/2024', expiresOn: jakartaDay(0) };
      const ok = await postUser(admin.accessToken, newUser(company.id, { licence: today })).expect(201);
      assert.deepEqual(ok.body.licence, { ...today, expired: false });
      const refused = await postUser(admin.accessToken, newUser(company.id, { licence: { ...today, expiresOn: jakartaDay(-1) } })).expect(422);
      assert.equal(refused.body.code, 'LICENCE_REQUIRED');
    });

    it('a super admin creates a super admin, in any company; an inactive company is COMPANY_UNAVAILABLE', async () => {
      const superAdmin = await signIn({ companyId: (await createCompany()).id, role: 'SUPER_ADMIN' });
      const elsewhere = await createCompany();
      const res = await postUser(superAdmin.accessToken, newUser(elsewhere.id, { role: 'SUPER_ADMIN', licence: undefined, password: strongPassword })).expect(201);
      assert.equal(res.body.role, 'SUPER_ADMIN');
      assert.equal(res.body.companyId, elsewhere.id);
      const inactive = await createCompany({ status: 'INACTIVE' });
      const refused = await postUser(superAdmin.accessToken, newUser(inactive.id)).expect(422);
      assert.equal(refused.body.code, 'COMPANY_UNAVAILABLE');
    });

    it('is refused to an RM agent with 403', async () => {
      const company = await createCompany();
      const agent = await signIn({ companyId: company.id, licence: validLicence });
      const body = newUser(company.id);
      assert.equal((await postUser(agent.accessToken, body).expect(403)).body.code, 'FORBIDDEN');
      assert.equal((await ownerQuery(`select 1 from auth_user where email = $1::text`, [body.email])).length, 0);
    });
  });

  describe('GET /idty/users/{id}', () => {
    it('answers 200 for a user of the admin’s company, 404 for one elsewhere, deleted or unknown, 400 for a bad id', async () => {
      const { company, admin } = await adminOfNewCompany();
      const mine = await createUser({ companyId: company.id, licence: validLicence, status: 'PENDING_APPROVAL' });
      const foreign = await createUser({ companyId: (await createCompany()).id });
      const deleted = await createUser({ companyId: company.id });
      await deleteUser(admin.accessToken, deleted.id).expect(204);

      const ok = await getUser(admin.accessToken, mine.id).expect(200);
      assert.equal(ok.body.id, mine.id);
      assert.equal(ok.body.email, mine.email);
      assert.equal(ok.body.status, 'PENDING_APPROVAL');
      assert.deepEqual(ok.body.licence, { ...validLicence, expired: false });

      const cases: Array<[string, number | string, number, string]> = [
        ['another company', foreign.id, 404, 'NOT_FOUND'],
        ['deleted', deleted.id, 404, 'NOT_FOUND'],
        ['nonexistent', 999_999_999, 404, 'NOT_FOUND'],
        ['non-numeric', 'abc', 400, 'VALIDATION_FAILED'],
        ['zero', 0, 400, 'VALIDATION_FAILED'],
        ['negative', -1, 400, 'VALIDATION_FAILED'],
        ['fractional', '1.5', 400, 'VALIDATION_FAILED'],
      ];
      for (const [name, id, status, code] of cases) {
        const res = await getUser(admin.accessToken, id);
        assert.deepEqual([res.status, res.body.code], [status, code], name);
      }
    });

    it('shows an expired licence as expired', async () => {
      const { company, admin } = await adminOfNewCompany();
      const agent = await createUser({ companyId: company.id, licence: expiredLicence });
      assert.deepEqual((await getUser(admin.accessToken, agent.id).expect(200)).body.licence, { ...expiredLicence, expired: true });
    });
  });

  describe('PUT /idty/users/{id}', () => {
    it('changes name, email, phone and licence; a new email or phone is unverified again', async () => {
      const { company, admin } = await adminOfNewCompany();
      const agent = await createUser({ companyId: company.id, licence: validLicence });
      await asSuperAdmin((c) => c.query(`update auth_user set email_verified_at = now(), phone_verified_at = now() where id = $1::bigint`, [agent.id]));
      const contact = uniqueContact();
      const licence = { number: 'WPR-999/OJK/2025', expiresOn: '2098-06-30' };
      const res = await putUser(admin.accessToken, agent.id, { fullname: ' Dewi Sartika ', email: contact.email.toUpperCase(), phone: contact.phone, licence, locale: 'en' }).expect(200);
      assert.equal(res.body.fullname, 'Dewi Sartika');
      assert.equal(res.body.email, contact.email);
      assert.equal(res.body.phone, contact.phone);
      assert.deepEqual(res.body.licence, { ...licence, expired: false });
      assert.equal(res.body.status, 'ACTIVE');
      const [row] = await ownerQuery<{ email_verified_at: Date | null; phone_verified_at: Date | null; locale: string; updated_by: number }>(
        `select email_verified_at, phone_verified_at, locale, updated_by from auth_user where id = $1::bigint`,
        [agent.id],
      );
      assert.deepEqual([row!.email_verified_at, row!.phone_verified_at, row!.locale, Number(row!.updated_by)], [null, null, 'en', admin.id]);
      assert.deepEqual((await getUser(admin.accessToken, agent.id).expect(200)).body, res.body);

      // The same email again keeps it verified.
      await asSuperAdmin((c) => c.query(`update auth_user set email_verified_at = now() where id = $1::bigint`, [agent.id]));
      await putUser(admin.accessToken, agent.id, { email: contact.email, fullname: 'Dewi S.' }).expect(200);
      const [kept] = await ownerQuery<{ email_verified_at: Date | null }>(`select email_verified_at from auth_user where id = $1::bigint`, [agent.id]);
      assert.ok(kept!.email_verified_at instanceof Date);
    });

    it('changes the role and, for admins, the further companies; a demoted admin keeps only its home company', async () => {
      const home = await createCompany();
      const second = await createCompany();
      const admin = await signIn({ companyId: home.id, role: 'ADMIN', extraCompanyIds: [second.id] });
      const agent = await createUser({ companyId: home.id, licence: validLicence });
      const both = [home.id, second.id].sort((a, b) => a - b);

      const promoted = await putUser(admin.accessToken, agent.id, { role: 'ADMIN', companyIds: [second.id] }).expect(200);
      assert.equal(promoted.body.role, 'ADMIN');
      assert.deepEqual(promoted.body.companyIds, both);
      assert.deepEqual(await memberships(agent.id), both);

      const narrowed = await putUser(admin.accessToken, agent.id, { companyIds: [] }).expect(200);
      assert.deepEqual(narrowed.body.companyIds, [home.id]);
      await putUser(admin.accessToken, agent.id, { companyIds: [second.id, home.id] }).expect(200);
      assert.deepEqual(await memberships(agent.id), both);

      const demoted = await putUser(admin.accessToken, agent.id, { role: 'RM_AGENT' }).expect(200);
      assert.equal(demoted.body.role, 'RM_AGENT');
      assert.deepEqual(demoted.body.companyIds, [home.id]);
      assert.deepEqual(await memberships(agent.id), [home.id]);
    });

    it('leaves the memberships of an admin in companies the caller does not manage alone', async () => {
      const home = await createCompany();
      const second = await createCompany();
      const elsewhere = await createCompany();
      const admin = await signIn({ companyId: home.id, role: 'ADMIN', extraCompanyIds: [second.id] });
      const colleague = await createUser({ companyId: home.id, role: 'ADMIN', extraCompanyIds: [elsewhere.id] });
      const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
      const res = await putUser(admin.accessToken, colleague.id, { companyIds: [second.id] }).expect(200);
      // The caller sees the memberships in its own companies only (row level security); the other one stays.
      assert.deepEqual(res.body.companyIds, sorted([home.id, second.id]));
      assert.deepEqual(await memberships(colleague.id), sorted([home.id, second.id, elsewhere.id]));
      await putUser(admin.accessToken, colleague.id, { companyIds: [] }).expect(200);
      assert.deepEqual(await memberships(colleague.id), sorted([home.id, elsewhere.id]));
    });

    it('lets a demoted admin act only in its home company, whatever memberships the caller could not remove', async () => {
      const home = await createCompany();
      const elsewhere = await createCompany();
      const admin = await signIn({ companyId: home.id, role: 'ADMIN' });
      const colleague = await signIn({ companyId: home.id, role: 'ADMIN', extraCompanyIds: [elsewhere.id], licence: validLicence });
      const ids = async () => (await auth().get('/auth/companyIds').set(bearer(colleague.accessToken)).expect(200)).body.items;
      assert.deepEqual(await ids(), [home.id, elsewhere.id].sort((a, b) => a - b));
      await putUser(admin.accessToken, colleague.id, { role: 'RM_AGENT' }).expect(200);
      assert.deepEqual(await memberships(colleague.id), [home.id, elsewhere.id].sort((a, b) => a - b), 'the other company’s membership row stays');
      assert.deepEqual(await ids(), [home.id]);
      assert.deepEqual((await me(colleague.accessToken).expect(200)).body.companyIds, [home.id]);
    });

    it('removes the licence of an agent waiting for approval (null), but not of an active one', async () => {
      const { company, admin } = await adminOfNewCompany();
      const pending = await createUser({ companyId: company.id, status: 'PENDING_APPROVAL', licence: validLicence });
      const res = await putUser(admin.accessToken, pending.id, { licence: null }).expect(200);
      assert.equal(res.body.licence, null);
      assert.equal((await stored(pending.id))!.waperd_number, null);
    });

    it('leaves an active agent with an expired licence editable as long as the licence is not touched', async () => {
      const { company, admin } = await adminOfNewCompany();
      const agent = await createUser({ companyId: company.id, licence: expiredLicence });
      assert.equal((await putUser(admin.accessToken, agent.id, { fullname: 'Nama Baru' }).expect(200)).body.fullname, 'Nama Baru');
      assert.deepEqual((await putUser(admin.accessToken, agent.id, { licence: validLicence }).expect(200)).body.licence, { ...validLicence, expired: false });
    });

    const agentIn = async (companyId: number) => (await createUser({ companyId, licence: validLicence })).id;
    const userIn = async (companyId: number, role: Role, status: UserStatus = 'ACTIVE') => (await createUser({ companyId, role, status })).id;

    const refusals: Array<{
      name: string;
      target: (ctx: { companyId: number; foreignId: number; adminId: number }) => Promise<number | string>;
      body: (ctx: { taken: TestUser; secondId: number; foreignId: number }) => object;
      status: number;
      code: string;
    }> = [
      { name: 'an email in use', target: (c) => agentIn(c.companyId), body: (c) => ({ email: c.taken.email }), status: 409, code: 'IDENTIFIER_TAKEN' },
      { name: 'a phone in use', target: (c) => agentIn(c.companyId), body: (c) => ({ phone: c.taken.phone }), status: 409, code: 'IDENTIFIER_TAKEN' },
      { name: 'removing the licence of an active agent', target: (c) => agentIn(c.companyId), body: () => ({ licence: null }), status: 422, code: 'LICENCE_REQUIRED' },
      { name: 'an expired licence for an active agent', target: (c) => agentIn(c.companyId), body: () => ({ licence: expiredLicence }), status: 422, code: 'LICENCE_REQUIRED' },
      { name: 'demoting an active admin to an agent without a licence', target: (c) => userIn(c.companyId, 'ADMIN'), body: () => ({ role: 'RM_AGENT' }), status: 422, code: 'LICENCE_REQUIRED' },
      { name: 'changing one’s own role', target: async (c) => c.adminId, body: () => ({ role: 'RM_AGENT' }), status: 422, code: 'BUSINESS_RULE' },
      { name: 'changing a super admin', target: (c) => userIn(c.companyId, 'SUPER_ADMIN'), body: () => ({ fullname: 'Nama Baru' }), status: 403, code: 'FORBIDDEN' },
      { name: 'promoting to super admin', target: (c) => agentIn(c.companyId), body: () => ({ role: 'SUPER_ADMIN' }), status: 403, code: 'FORBIDDEN' },
      { name: 'a user at home in another company', target: (c) => agentIn(c.foreignId), body: () => ({ fullname: 'Nama Baru' }), status: 404, code: 'NOT_FOUND' },
      {
        name: 'an admin at home in another company who also acts in this one',
        target: async (c) => (await createUser({ companyId: c.foreignId, role: 'ADMIN', extraCompanyIds: [c.companyId] })).id,
        body: () => ({ fullname: 'Nama Baru' }),
        status: 403,
        code: 'FORBIDDEN',
      },
      { name: 'companyIds for an agent', target: (c) => agentIn(c.companyId), body: (c) => ({ companyIds: [c.secondId] }), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'companyIds outside the admin’s', target: (c) => userIn(c.companyId, 'ADMIN'), body: (c) => ({ companyIds: [c.foreignId] }), status: 404, code: 'NOT_FOUND' },
      { name: 'an empty body', target: (c) => agentIn(c.companyId), body: () => ({}), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'an unknown field', target: (c) => agentIn(c.companyId), body: () => ({ status: 'INACTIVE' }), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'a non-numeric id', target: async () => 'abc', body: () => ({ fullname: 'Nama Baru' }), status: 400, code: 'VALIDATION_FAILED' },
    ];

    for (const r of refusals) {
      it(`refuses ${r.name}: ${r.status} ${r.code}, the user unchanged`, async () => {
        const home = await createCompany();
        const second = await createCompany();
        const foreign = await createCompany();
        const admin = await signIn({ companyId: home.id, role: 'ADMIN', extraCompanyIds: [second.id] });
        const taken = await createUser({ companyId: foreign.id });
        const id = await r.target({ companyId: home.id, foreignId: foreign.id, adminId: admin.id });
        const before = typeof id === 'number' ? { row: await stored(id), companies: await memberships(id) } : undefined;
        const res = await putUser(admin.accessToken, id, r.body({ taken, secondId: second.id, foreignId: foreign.id })).expect(r.status);
        assert.equal(res.body.code, r.code);
        if (typeof id === 'number') assert.deepEqual({ row: await stored(id), companies: await memberships(id) }, before);
      });
    }

    it('is refused to an RM agent with 403', async () => {
      const company = await createCompany();
      const agent = await signIn({ companyId: company.id, licence: validLicence });
      const other = await createUser({ companyId: company.id });
      assert.equal((await putUser(agent.accessToken, other.id, { fullname: 'Nama Baru' }).expect(403)).body.code, 'FORBIDDEN');
      assert.equal((await putUser(agent.accessToken, agent.id, { fullname: 'Nama Baru' }).expect(403)).body.code, 'FORBIDDEN');
      assert.equal((await stored(other.id))!.fullname, 'Test User');
    });
  });

  describe('DELETE /idty/users/{id}', () => {
    it('204: the user’s tokens stop at once, the row stays INACTIVE with deleted_at, GET answers 404', async () => {
      const { company, admin } = await adminOfNewCompany();
      const agent = await signIn({ companyId: company.id, licence: validLicence });
      await me(agent.accessToken).expect(200);

      const res = await deleteUser(admin.accessToken, agent.id).expect(204);
      assert.deepEqual(res.body, {});
      assert.equal((await me(agent.accessToken).expect(401)).body.code, 'UNAUTHENTICATED');
      const refused = await refresh(agent.refreshToken).expect(401);
      assert.equal(refused.body.code, 'SESSION_EXPIRED');
      const row = await stored(agent.id);
      assert.equal(row!.status, 'INACTIVE');
      assert.ok(row!.deleted_at instanceof Date);
      const sessions = await ownerQuery<{ revoked_reason: string | null }>(`select revoked_reason from auth_session where user_id = $1::bigint`, [agent.id]);
      assert.deepEqual(sessions.map((s) => s.revoked_reason), ['DEACTIVATED']);

      assert.equal((await getUser(admin.accessToken, agent.id).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await deleteUser(admin.accessToken, agent.id).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await putUser(admin.accessToken, agent.id, { fullname: 'Nama Baru' }).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await login(agent.email, agent.password, agent.deviceId).expect(403)).body.code, 'ACCOUNT_INACTIVE');
      // The admin goes on.
      await me(admin.accessToken).expect(200);
    });

    it('releases the deleted user’s push tokens', async () => {
      const { company, admin } = await adminOfNewCompany();
      const agent = await userWithTrustedDevice({ companyId: company.id, licence: validLicence });
      await asTenant(company.id, `update device_info set push_token = $2::text where user_id = $1::bigint`, [agent.id, `push-${randomUUID()}`]);
      await deleteUser(admin.accessToken, agent.id).expect(204);
      const devices = await asTenant<{ push_token: string | null }>(company.id, `select push_token from device_info where user_id = $1::bigint`, [agent.id]);
      assert.deepEqual(devices, [{ push_token: null }]);
    });

    const refusals: Array<{ name: string; target: (ctx: { companyId: number; foreignId: number; adminId: number }) => Promise<number | string>; status: number; code: string }> = [
      { name: 'deleting oneself', target: async (c) => c.adminId, status: 422, code: 'BUSINESS_RULE' },
      { name: 'a user of another company', target: async (c) => (await createUser({ companyId: c.foreignId })).id, status: 404, code: 'NOT_FOUND' },
      { name: 'a super admin', target: async (c) => (await createUser({ companyId: c.companyId, role: 'SUPER_ADMIN' })).id, status: 403, code: 'FORBIDDEN' },
      { name: 'an unknown id', target: async () => 999_999_999, status: 404, code: 'NOT_FOUND' },
      { name: 'a non-numeric id', target: async () => 'abc', status: 400, code: 'VALIDATION_FAILED' },
    ];
    for (const r of refusals) {
      it(`refuses ${r.name}: ${r.status} ${r.code}, nothing deleted`, async () => {
        const { company, admin } = await adminOfNewCompany();
        const foreign = await createCompany();
        const id = await r.target({ companyId: company.id, foreignId: foreign.id, adminId: admin.id });
        const before = typeof id === 'number' ? await stored(id) : undefined;
        const res = await deleteUser(admin.accessToken, id).expect(r.status);
        assert.equal(res.body.code, r.code);
        if (typeof id === 'number') assert.deepEqual(await stored(id), before);
        await me(admin.accessToken).expect(200);
      });
    }
  });
});
