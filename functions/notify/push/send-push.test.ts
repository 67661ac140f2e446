import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import type { LocalEventBus } from '../../../tools/local/event-bus.js';
import { createCompany } from '../../../test/support/owner.js';
import { asTenant, deliveryRows, notifyBus, publishTimes } from '../../../test/support/notify.js';
import { FcmPush, setPushProvider } from './push-provider.js';
import { createUser } from '../../../test/support/users.js';

/**
 * sendPush with the real FcmPush adapter; only firebase-admin's messaging client (FCM's network) is stubbed.
 */
describe('sendPush', () => {
  let bus: LocalEventBus;
  let company: { id: number };
  const sendEachForMulticast = sinon.stub();
  let clientStub: sinon.SinonStub;

  before(async () => {
    clientStub = sinon.stub(FcmPush.prototype as unknown as { client(): Promise<unknown> }, 'client').resolves({ sendEachForMulticast });
    setPushProvider(new FcmPush());
    bus = await notifyBus();
    company = await createCompany();
  });
  after(async () => {
    clientStub.restore();
    setPushProvider(undefined);
    await bus.close();
  });
  beforeEach(() => {
    sendEachForMulticast.reset();
    sendEachForMulticast.callsFake(async ({ tokens }: { tokens: string[] }) => ({
      responses: tokens.map((t) => (t.startsWith('dead') ? { success: false, error: { code: 'messaging/registration-token-not-registered' } } : { success: true, messageId: `m-${t}` })),
    }));
  });

  async function userWithDevices(devices: Array<{ token: string | null; enabled?: boolean }>): Promise<number> {
    const userId = (await createUser({ companyId: company.id })).id;
    for (const [i, d] of devices.entries()) {
      await asTenant(company.id, `insert into device_info (company_id, user_id, device_id, platform, push_token, push_enabled) values ($1, $2, $3, 'ANDROID', $4, $5)`, [
        company.id,
        userId,
        `device-${userId}-${i}`,
        d.token,
        d.enabled ?? true,
      ]);
    }
    return userId;
  }
  const push = (userIds: number[]) => ({ userIds, type: 'RM_APPROVED', title: 'Akun disetujui', body: 'Selamat datang', data: { screen: 'home' } });
  const inbox = (userId: number) => asTenant<{ title: string; data: unknown }>(company.id, 'select title, data from notification where user_id = $1', [userId]);

  it('writes one inbox row and makes one FCM call for a message delivered three times', async () => {
    const userId = await userWithDevices([{ token: 'tok-a' }, { token: 'tok-b' }]);
    const eventId = await publishTimes(bus, 'push.requested', push([userId]), company.id, 3);
    assert.equal(sendEachForMulticast.callCount, 1);
    const call = sendEachForMulticast.firstCall.args[0];
    assert.deepEqual([...call.tokens].sort(), ['tok-a', 'tok-b']);
    assert.deepEqual(call.notification, { title: 'Akun disetujui', body: 'Selamat datang' });
    assert.equal(call.data.eventId, eventId);
    assert.deepEqual(await inbox(userId), [{ title: 'Akun disetujui', data: { screen: 'home' } }]);
    assert.equal((await deliveryRows(company.id, eventId))[0]!.status, 'SENT');
  });

  it('forgets tokens FCM reports as unregistered, and skips unsubscribed devices', async () => {
    const userId = await userWithDevices([{ token: 'dead-1' }, { token: 'tok-live' }, { token: 'tok-muted', enabled: false }]);
    await publishTimes(bus, 'push.requested', push([userId]), company.id);
    assert.deepEqual([...sendEachForMulticast.firstCall.args[0].tokens].sort(), ['dead-1', 'tok-live']);
    const tokens = await asTenant<{ push_token: string | null }>(company.id, 'select push_token from device_info where user_id = $1 order by id', [userId]);
    assert.deepEqual(tokens.map((t) => t.push_token), [null, 'tok-live', 'tok-muted']);
  });

  it('still fills the inbox of a user without push-enabled devices', async () => {
    const userId = await userWithDevices([{ token: 'tok-x', enabled: false }]);
    const eventId = await publishTimes(bus, 'push.requested', push([userId]), company.id);
    assert.equal(sendEachForMulticast.callCount, 0);
    assert.equal((await inbox(userId)).length, 1);
    assert.match((await deliveryRows(company.id, eventId))[0]!.reason!, /inbox only/);
  });

  it('retries when FCM is unavailable and writes the inbox row only once it went through', async () => {
    const userId = await userWithDevices([{ token: 'tok-retry' }]);
    sendEachForMulticast.onFirstCall().resolves({ responses: [{ success: false, error: { code: 'messaging/unavailable' } }] });
    const eventId = await publishTimes(bus, 'push.requested', push([userId]), company.id);
    assert.equal(sendEachForMulticast.callCount, 2);
    assert.equal((await inbox(userId)).length, 1);
    assert.equal((await deliveryRows(company.id, eventId))[0]!.status, 'SENT');
  });

  it('records FAILED when every token is dead, without retrying', async () => {
    const userId = await userWithDevices([{ token: 'dead-2' }]);
    const eventId = await publishTimes(bus, 'push.requested', push([userId]), company.id);
    assert.equal(sendEachForMulticast.callCount, 1);
    assert.equal((await deliveryRows(company.id, eventId))[0]!.status, 'FAILED');
    assert.deepEqual(bus.deadLetters, []);
  });
});
