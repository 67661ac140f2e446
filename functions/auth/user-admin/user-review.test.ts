import { strict as assert } from 'node:assert';
import { auth, bearer, recordEvents, signIn, strongPassword, strongPasswordHash, trustDevice } from '../../../test/support/auth.js';
import { adminOfNewCompany, expiredLicence, login, me, refresh, validLicence, type Licence } from '../../../test/support/idty.js';
import { createCompany, ownerQuery } from '../../../test/support/owner.js';
import { createUser, type Role, type TestUser, type UserStatus } from '../../../test/support/users.js';

/**
 * PATCH /idty/users/{id}/approveOrReject and PATCH /idty/users/{id}/activeOrDe, through the Functions
 * Framework test server against the real database.
 */


type EmailEvent = { template: string; to: string; variables: Record<string, string>; locale: string; entity: { type: string; id: string } };
type PushEvent = { userIds: number[]; type: string; title: string; body: string; data: Record<string, string> };

const review = (token: string, id: number | string, body: object) => auth().patch(`/idty/users/${id}/approveOrReject`).set(bearer(token)).send(body);
const setActive = (token: string, id: number | string, body: object) => auth().patch(`/idty/users/${id}/activeOrDe`).set(bearer(token)).send(body);

/** A user with a password and a trusted device, in whatever status, so a test can try to sign it in. */
async function userWithDevice(opts: { companyId: number; role?: Role; status: UserStatus; licence?: Licence }): Promise<TestUser & { deviceId: string; password: string }> {
  const user = await createUser({ ...opts, passwordHash: await strongPasswordHash() });
  const deviceId = `device-${user.id}`;
  await trustDevice(user, deviceId);
  return { ...user, deviceId, password: strongPassword };
}

interface StoredUser {
  status: string;
  approved_by: number | null;
  approved_at: Date | null;
  rejected_reason: string | null;
  waperd_number: string | null;
  deleted_at: Date | null;
}

async function stored(id: number): Promise<StoredUser> {
  const [row] = await ownerQuery<StoredUser>(`select status, approved_by, approved_at, rejected_reason, waperd_number, deleted_at from auth_user where id = $1::bigint`, [id]);
  return { ...row!, approved_by: row!.approved_by === null ? null : Number(row!.approved_by) };
}

async function sessionsOf(userId: number): Promise<Array<{ revoked: boolean; reason: string | null }>> {
  return ownerQuery(`select revoked_at is not null as revoked, revoked_reason as reason from auth_session where user_id = $1::bigint order by created_at`, [userId]);
}

describe('identity admin: review and activation', () => {
  const events = recordEvents();
  const emailsTo = (email: string) => events.messages.filter((m) => m.topic === 'email.requested' && (m.data as EmailEvent).to === email).map((m) => m.data as EmailEvent);
  const pushesAbout = (userId: number) => events.messages.filter((m) => m.topic === 'push.requested' && (m.data as PushEvent).data.userId === String(userId)).map((m) => m.data as PushEvent);

  describe('PATCH /idty/users/{id}/approveOrReject', () => {
    it('APPROVE: the licensed agent becomes ACTIVE, approved by the admin, is told by email and push, and can sign in', async () => {
      const { company, admin } = await adminOfNewCompany();
      const agent = await userWithDevice({ companyId: company.id, status: 'PENDING_APPROVAL', licence: validLicence });
      assert.equal((await login(agent.email, agent.password, agent.deviceId).expect(403)).body.code, 'ACCOUNT_PENDING_APPROVAL');

      const res = await review(admin.accessToken, agent.id, { decision: 'APPROVE' }).expect(200);
      assert.equal(res.body.id, agent.id);
      assert.equal(res.body.status, 'ACTIVE');
      assert.equal(res.body.rejectedReason, null);
      assert.ok(Math.abs(Date.parse(res.body.approvedAt) - Date.now()) < 60_000, `approvedAt ${res.body.approvedAt}`);
      const row = await stored(agent.id);
      assert.equal(row.status, 'ACTIVE');
      assert.equal(row.approved_by, admin.id);
      assert.ok(row.approved_at instanceof Date);

      assert.deepEqual(emailsTo(agent.email), [
        { template: 'RM_APPROVED', to: agent.email, variables: { fullname: agent.fullname, companyName: company.name }, locale: 'id', entity: { type: 'user', id: String(agent.id) } },
      ]);
      const pushes = pushesAbout(agent.id);
      assert.equal(pushes.length, 1);
      assert.deepEqual(pushes[0]!.userIds, [agent.id]);
      assert.equal(pushes[0]!.type, 'ACCOUNT_APPROVED');
      assert.deepEqual(pushes[0]!.data, { userId: String(agent.id), status: 'ACTIVE' });

      const signed = await login(agent.email, agent.password, agent.deviceId).expect(200);
      assert.equal(signed.body.user.status, 'ACTIVE');
    });

    it('REJECT needs a reason (400 without, or with a blank one); with one the agent is REJECTED and told why', async () => {
      const { company, admin } = await adminOfNewCompany();
      const agent = await userWithDevice({ companyId: company.id, status: 'PENDING_APPROVAL', licence: validLicence });
      for (const body of [{ decision: 'REJECT' }, { decision: 'REJECT', reason: '   ' }, { decision: 'REJECT', reason: 'x'.repeat(501) }, { decision: 'MAYBE' }, { decision: 'APPROVE', extra: 1 }, {}]) {
        const res = await review(admin.accessToken, agent.id, body).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED', JSON.stringify(body).slice(0, 60));
      }
      assert.equal((await stored(agent.id)).status, 'PENDING_APPROVAL');
      assert.deepEqual(emailsTo(agent.email), []);

      const reason = 'Dokumen WAPERD tidak terbaca';
      const res = await review(admin.accessToken, agent.id, { decision: 'REJECT', reason: `  ${reason} ` }).expect(200);
      assert.equal(res.body.status, 'REJECTED');
      assert.equal(res.body.rejectedReason, reason);
      assert.equal(res.body.approvedAt, null);
      const row = await stored(agent.id);
      assert.deepEqual([row.status, row.rejected_reason, row.approved_by, row.approved_at], ['REJECTED', reason, null, null]);

      assert.deepEqual(emailsTo(agent.email), [
        { template: 'RM_REJECTED', to: agent.email, variables: { fullname: agent.fullname, companyName: company.name, reason }, locale: 'id', entity: { type: 'user', id: String(agent.id) } },
      ]);
      const pushes = pushesAbout(agent.id);
      assert.equal(pushes.length, 1);
      assert.deepEqual([pushes[0]!.userIds, pushes[0]!.type, pushes[0]!.data.status], [[agent.id], 'ACCOUNT_REJECTED', 'REJECTED']);
      assert.ok(pushes[0]!.body.includes(reason));
      assert.equal((await login(agent.email, agent.password, agent.deviceId).expect(403)).body.code, 'ACCOUNT_REJECTED');

      // Decided once: a second decision conflicts.
      assert.equal((await review(admin.accessToken, agent.id, { decision: 'APPROVE' }).expect(409)).body.code, 'CONFLICT');
    });

    const refusals: Array<{ name: string; target: { role?: Role; status: UserStatus; licence?: Licence }; status: number; code: string; foreign?: boolean }> = [
      { name: 'an agent without a licence', target: { status: 'PENDING_APPROVAL' }, status: 422, code: 'LICENCE_REQUIRED' },
      { name: 'an agent whose licence expired', target: { status: 'PENDING_APPROVAL', licence: expiredLicence }, status: 422, code: 'LICENCE_REQUIRED' },
      { name: 'an ACTIVE agent', target: { status: 'ACTIVE', licence: validLicence }, status: 409, code: 'CONFLICT' },
      { name: 'an INACTIVE agent', target: { status: 'INACTIVE', licence: validLicence }, status: 409, code: 'CONFLICT' },
      { name: 'a REJECTED agent', target: { status: 'REJECTED', licence: validLicence }, status: 409, code: 'CONFLICT' },
      { name: 'an agent who has not verified the phone', target: { status: 'PENDING_VERIFICATION', licence: validLicence }, status: 409, code: 'CONFLICT' },
      { name: 'an ADMIN waiting for approval', target: { role: 'ADMIN', status: 'PENDING_APPROVAL' }, status: 409, code: 'CONFLICT' },
      { name: 'an active ADMIN', target: { role: 'ADMIN', status: 'ACTIVE' }, status: 409, code: 'CONFLICT' },
      { name: 'an agent of another company', target: { status: 'PENDING_APPROVAL', licence: validLicence }, foreign: true, status: 404, code: 'NOT_FOUND' },
    ];
    for (const r of refusals) {
      it(`refuses to approve ${r.name}: ${r.status} ${r.code}, nothing changed or sent`, async () => {
        const { company, admin } = await adminOfNewCompany();
        const user = await createUser({ companyId: r.foreign ? (await createCompany()).id : company.id, role: r.target.role ?? 'RM_AGENT', status: r.target.status, licence: r.target.licence });
        const before = await stored(user.id);
        const res = await review(admin.accessToken, user.id, { decision: 'APPROVE' }).expect(r.status);
        assert.equal(res.body.code, r.code);
        assert.deepEqual(await stored(user.id), before);
        assert.deepEqual(emailsTo(user.email), []);
        assert.deepEqual(pushesAbout(user.id), []);
      });
    }

    it('rejects an agent without a licence (only approval needs one)', async () => {
      const { company, admin } = await adminOfNewCompany();
      const agent = await createUser({ companyId: company.id, status: 'PENDING_APPROVAL' });
      assert.equal((await review(admin.accessToken, agent.id, { decision: 'REJECT', reason: 'Belum punya WAPERD' }).expect(200)).body.status, 'REJECTED');
    });

    it('an admin of two companies reviews in both; a super admin anywhere', async () => {
      const home = await createCompany();
      const second = await createCompany();
      const admin = await signIn({ companyId: home.id, role: 'ADMIN', extraCompanyIds: [second.id] });
      const inSecond = await createUser({ companyId: second.id, status: 'PENDING_APPROVAL', licence: validLicence });
      assert.equal((await review(admin.accessToken, inSecond.id, { decision: 'APPROVE' }).expect(200)).body.status, 'ACTIVE');
      assert.equal((await stored(inSecond.id)).approved_by, admin.id);

      const superAdmin = await signIn({ companyId: (await createCompany()).id, role: 'SUPER_ADMIN' });
      const elsewhere = await createUser({ companyId: (await createCompany()).id, status: 'PENDING_APPROVAL', licence: validLicence });
      assert.equal((await review(superAdmin.accessToken, elsewhere.id, { decision: 'APPROVE' }).expect(200)).body.status, 'ACTIVE');
    });

    it('is refused to an RM agent with 403, the candidate unchanged', async () => {
      const company = await createCompany();
      const rm = await signIn({ companyId: company.id, licence: validLicence });
      const candidate = await createUser({ companyId: company.id, status: 'PENDING_APPROVAL', licence: validLicence });
      assert.equal((await review(rm.accessToken, candidate.id, { decision: 'APPROVE' }).expect(403)).body.code, 'FORBIDDEN');
      assert.equal((await stored(candidate.id)).status, 'PENDING_APPROVAL');
    });

    it('answers 404 for an unknown or deleted user and 400 for a bad id', async () => {
      const { company, admin } = await adminOfNewCompany();
      const deleted = await createUser({ companyId: company.id, status: 'PENDING_APPROVAL', licence: validLicence });
      await auth().delete(`/idty/users/${deleted.id}`).set(bearer(admin.accessToken)).expect(204);
      assert.equal((await review(admin.accessToken, deleted.id, { decision: 'APPROVE' }).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await review(admin.accessToken, 999_999_999, { decision: 'APPROVE' }).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await review(admin.accessToken, 'abc', { decision: 'APPROVE' }).expect(400)).body.code, 'VALIDATION_FAILED');
    });
  });

  describe('PATCH /idty/users/{id}/activeOrDe', () => {
    it('deactivating ends the user’s sessions at once; reactivating lets it sign in again', async () => {
      const { company, admin } = await adminOfNewCompany();
      const agent = await signIn({ companyId: company.id, licence: validLicence });
      // A second session on the same device.
      const other = await login(agent.email, agent.password, agent.deviceId).expect(200);
      await me(agent.accessToken).expect(200);

      const res = await setActive(admin.accessToken, agent.id, { active: false }).expect(200);
      assert.equal(res.body.status, 'INACTIVE');
      assert.equal((await stored(agent.id)).status, 'INACTIVE');
      assert.equal((await stored(agent.id)).deleted_at, null, 'deactivated, not deleted');

      for (const token of [agent.accessToken, other.body.accessToken as string]) assert.equal((await me(token).expect(401)).body.code, 'UNAUTHENTICATED');
      for (const token of [agent.refreshToken, other.body.refreshToken as string]) assert.equal((await refresh(token).expect(401)).body.code, 'SESSION_EXPIRED');
      assert.deepEqual(await sessionsOf(agent.id), [
        { revoked: true, reason: 'DEACTIVATED' },
        { revoked: true, reason: 'DEACTIVATED' },
      ]);
      assert.equal((await login(agent.email, agent.password, agent.deviceId).expect(403)).body.code, 'ACCOUNT_INACTIVE');
      // Still listed and readable for the admin.
      assert.equal((await auth().get(`/idty/users/${agent.id}`).set(bearer(admin.accessToken)).expect(200)).body.status, 'INACTIVE');

      // Deactivating again changes nothing.
      assert.equal((await setActive(admin.accessToken, agent.id, { active: false }).expect(200)).body.status, 'INACTIVE');

      const back = await setActive(admin.accessToken, agent.id, { active: true }).expect(200);
      assert.equal(back.body.status, 'ACTIVE');
      assert.equal((await stored(agent.id)).status, 'ACTIVE');
      const signed = await login(agent.email, agent.password, agent.deviceId).expect(200);
      await me(signed.body.accessToken).expect(200);
      // The old sessions stay ended.
      assert.equal((await me(agent.accessToken).expect(401)).body.code, 'UNAUTHENTICATED');
      assert.equal((await refresh(other.body.refreshToken as string).expect(401)).body.code, 'SESSION_EXPIRED');
      // Activating an active user changes nothing.
      assert.equal((await setActive(admin.accessToken, agent.id, { active: true }).expect(200)).body.status, 'ACTIVE');
    });

    it('deactivating an admin ends its admin rights at once', async () => {
      const { company, admin } = await adminOfNewCompany();
      const colleague = await signIn({ companyId: company.id, role: 'ADMIN' });
      await auth().get('/idty/users').set(bearer(colleague.accessToken)).expect(200);
      await setActive(admin.accessToken, colleague.id, { active: false }).expect(200);
      assert.equal((await auth().get('/idty/users').set(bearer(colleague.accessToken)).expect(401)).body.code, 'UNAUTHENTICATED');
    });

    const refusals: Array<{ name: string; target: (ctx: { companyId: number; adminId: number }) => Promise<number>; active: boolean; status: number; code: string }> = [
      { name: 'activating an agent waiting for approval', target: (c) => idOf({ companyId: c.companyId, status: 'PENDING_APPROVAL', licence: validLicence }), active: true, status: 409, code: 'CONFLICT' },
      { name: 'activating a rejected agent', target: (c) => idOf({ companyId: c.companyId, status: 'REJECTED', licence: validLicence }), active: true, status: 409, code: 'CONFLICT' },
      { name: 'activating an unverified agent', target: (c) => idOf({ companyId: c.companyId, status: 'PENDING_VERIFICATION', licence: validLicence }), active: true, status: 409, code: 'CONFLICT' },
      { name: 'reactivating an agent whose licence expired', target: (c) => idOf({ companyId: c.companyId, status: 'INACTIVE', licence: expiredLicence }), active: true, status: 422, code: 'LICENCE_REQUIRED' },
      { name: 'reactivating an agent without a licence', target: (c) => idOf({ companyId: c.companyId, status: 'INACTIVE' }), active: true, status: 422, code: 'LICENCE_REQUIRED' },
      { name: 'deactivating an agent waiting for approval', target: (c) => idOf({ companyId: c.companyId, status: 'PENDING_APPROVAL', licence: validLicence }), active: false, status: 409, code: 'CONFLICT' },
      { name: 'deactivating a rejected agent', target: (c) => idOf({ companyId: c.companyId, status: 'REJECTED', licence: validLicence }), active: false, status: 409, code: 'CONFLICT' },
      { name: 'deactivating an unverified agent', target: (c) => idOf({ companyId: c.companyId, status: 'PENDING_VERIFICATION', licence: validLicence }), active: false, status: 409, code: 'CONFLICT' },
      { name: 'deactivating oneself', target: async (c) => c.adminId, active: false, status: 422, code: 'BUSINESS_RULE' },
      { name: 'deactivating a super admin', target: (c) => idOf({ companyId: c.companyId, role: 'SUPER_ADMIN', status: 'ACTIVE' }), active: false, status: 403, code: 'FORBIDDEN' },
      { name: 'deactivating a user of another company', target: async () => idOf({ companyId: (await createCompany()).id, status: 'ACTIVE', licence: validLicence }), active: false, status: 404, code: 'NOT_FOUND' },
      { name: 'activating a user of another company', target: async () => idOf({ companyId: (await createCompany()).id, status: 'INACTIVE', licence: validLicence }), active: true, status: 404, code: 'NOT_FOUND' },
    ];
    async function idOf(opts: { companyId: number; role?: Role; status: UserStatus; licence?: Licence }): Promise<number> {
      return (await createUser(opts)).id;
    }
    for (const r of refusals) {
      it(`refuses ${r.name}: ${r.status} ${r.code}, the user unchanged`, async () => {
        const { company, admin } = await adminOfNewCompany();
        const id = await r.target({ companyId: company.id, adminId: admin.id });
        const before = await stored(id);
        const res = await setActive(admin.accessToken, id, { active: r.active }).expect(r.status);
        assert.equal(res.body.code, r.code);
        assert.deepEqual(await stored(id), before);
        await me(admin.accessToken).expect(200);
      });
    }

    it('never makes a pending or rejected agent ACTIVE past the review (deactivate, then activate)', async () => {
      const { company, admin } = await adminOfNewCompany();
      for (const status of ['PENDING_APPROVAL', 'REJECTED', 'PENDING_VERIFICATION'] as const) {
        const agent = await createUser({ companyId: company.id, status, licence: validLicence });
        const answers = [];
        for (const active of [false, true]) {
          const res = await setActive(admin.accessToken, agent.id, { active });
          answers.push([res.status, res.body.code]);
        }
        assert.deepEqual(answers, [[409, 'CONFLICT'], [409, 'CONFLICT']], status);
        const row = await stored(agent.id);
        assert.deepEqual([row.status, row.approved_at], [status, null], status);
      }
    });

    it('keeps the sessions of a user whose deactivation is refused', async () => {
      const { company, admin } = await adminOfNewCompany();
      const superAdmin = await signIn({ companyId: company.id, role: 'SUPER_ADMIN' });
      assert.equal((await setActive(admin.accessToken, superAdmin.id, { active: false }).expect(403)).body.code, 'FORBIDDEN');
      await me(superAdmin.accessToken).expect(200);
      assert.deepEqual(await sessionsOf(superAdmin.id), [{ revoked: false, reason: null }]);
    });

    it('validates the body and is refused to an RM agent', async () => {
      const { company, admin } = await adminOfNewCompany();
      const target = await createUser({ companyId: company.id, licence: validLicence });
      for (const body of [{}, { active: 'false' }, { active: false, reason: 'x' }]) {
        assert.equal((await setActive(admin.accessToken, target.id, body).expect(400)).body.code, 'VALIDATION_FAILED', JSON.stringify(body));
      }
      const rm = await signIn({ companyId: company.id, licence: validLicence });
      assert.equal((await setActive(rm.accessToken, target.id, { active: false }).expect(403)).body.code, 'FORBIDDEN');
      assert.equal((await stored(target.id)).status, 'ACTIVE');
    });
  });
});
