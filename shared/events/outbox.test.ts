import { strict as assert } from 'node:assert';
import { withTransaction, systemActor } from '../db/tx.js';
import { emit, publishOutbox } from './outbox.js';
import { setPublisher } from './publisher.js';
import { RecordingPublisher } from '../../test/support/publisher.js';
import { ownerQuery } from '../../test/support/owner.js';
import { LocalEventBus } from '../../tools/local/event-bus.js';
import { logger } from '../logging.js';
import { functionServer } from '../../test/support/http.js';

const push = (title: string) => ({ userIds: [1], type: 'TEST', title, body: 'body', data: {} });

async function outboxRow(id: string) {
  const [row] = await ownerQuery<{ published_at: Date | null; attempts: number; last_error: string | null }>(
    'select published_at, attempts, last_error from outbox where id = $1::uuid',
    [id],
  );
  return row;
}

describe('transactional outbox', () => {
  let pub: RecordingPublisher;
  beforeEach(() => {
    pub = new RecordingPublisher();
    setPublisher(pub);
  });
  after(() => setPublisher(undefined));

  it('never delivers an event written in a rolled-back transaction', async () => {
    let id = '';
    await assert.rejects(
      withTransaction(systemActor, async (tx) => {
        id = await emit(tx, 'push.requested', push('rolled back'));
        throw new Error('business failure after emit');
      }),
    );
    assert.equal(await outboxRow(id), undefined);
    await publishOutbox();
    assert.equal(pub.messages.length, 0);
  });

  it('publishes a committed event right after commit, with its event id', async () => {
    // A tenant's event is written in that tenant's transaction (policy outbox_tenant).
    const id = await withTransaction({ companyIds: [7] }, (tx) => emit(tx, 'push.requested', push('committed'), { companyId: 7 }));
    assert.equal(pub.messages.length, 1);
    assert.deepEqual(pub.messages[0]!.attributes, { eventId: id, topic: 'push.requested', companyId: '7' });
    assert.equal(pub.messages[0]!.topic, 'push.requested');
    assert.ok((await outboxRow(id))!.published_at);
  });

  it('publishes every event of a transaction after its commit', async () => {
    const ids = await withTransaction(systemActor, async (tx) => {
      const first = await emit(tx, 'push.requested', push('one'));
      assert.equal(pub.messages.length, 0, 'nothing leaves before commit');
      return [first, await emit(tx, 'push.requested', push('two'))];
    });
    assert.deepEqual(pub.messages.map((m) => m.attributes.eventId).sort(), [...ids].sort());
  });

  it('refuses a tenant event written outside that tenant’s transaction, and hides it from other tenants', async () => {
    await assert.rejects(
      withTransaction(systemActor, (tx) => emit(tx, 'push.requested', push('foreign'), { companyId: 7 })),
      (err: Error & { code?: string }) => err.code === 'FORBIDDEN',
    );
    const id = await withTransaction({ companyIds: [7] }, (tx) => emit(tx, 'push.requested', push('mine'), { companyId: 7 }));
    const seen = await withTransaction({ companyIds: [8] }, (tx) => tx.query(`select id from outbox where id = $1::uuid`, [id]));
    assert.equal(seen.rowCount, 0);
  });

  it('refuses a payload that breaks the topic schema, failing the producer transaction', async () => {
    await assert.rejects(
      withTransaction(systemActor, (tx) => emit(tx, 'push.requested', { userIds: [], type: 'X', title: '', body: '' } as never)),
    );
  });

  it('delivers a committed event through the sweep when the immediate publish fails', async () => {
    pub.failing = true;
    const id = await withTransaction(systemActor, (tx) => emit(tx, 'push.requested', push('swept')));
    const failed = await outboxRow(id);
    assert.equal(failed!.published_at, null);
    assert.equal(failed!.attempts, 1);
    assert.match(failed!.last_error!, /unavailable/);

    // Pub/Sub is back; the backoff has passed. The scheduled sweepOutbox function runs as Pub/Sub calls it.
    pub.failing = false;
    await ownerQuery(`update outbox set next_attempt_at = now() where id = $1::uuid`, [id]);
    const bus = new LocalEventBus({ project: 'test', log: logger(), maxAttempts: 1 });
    const url = await listenUrl('sweepOutbox');
    bus.subscribe({ topic: 'schedule.sweep-outbox', functionName: 'sweepOutbox', url });
    await bus.publish('schedule.sweep-outbox', Buffer.from(JSON.stringify({ job: 'sweep-outbox' })), {});
    await bus.idle();
    assert.deepEqual(bus.deadLetters, []);
    assert.ok(pub.messages.some((m) => m.attributes.eventId === id));
    assert.ok((await outboxRow(id))!.published_at);
  });

  it('publishes each row once when several publishers race for the same rows', async () => {
    pub.failing = true;
    const ids = await withTransaction(systemActor, async (tx) => [
      await emit(tx, 'push.requested', push('race 1')),
      await emit(tx, 'push.requested', push('race 2')),
    ]);
    pub.failing = false;
    await ownerQuery(`update outbox set next_attempt_at = now() where id = any ($1::uuid[])`, [ids]);
    // The immediate path (by id) and two sweeps compete; SKIP LOCKED and the re-checked filter keep it to one send.
    await Promise.all([publishOutbox({ ids }), publishOutbox(), publishOutbox({ ids }), publishOutbox()]);
    const sent = pub.messages.filter((m) => ids.includes(m.attributes.eventId!));
    assert.equal(sent.length, 2);
  });
});

async function listenUrl(name: string): Promise<string> {
  const server = functionServer(name);
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
