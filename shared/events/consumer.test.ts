import { strict as assert } from 'node:assert';
import * as ff from '@google-cloud/functions-framework';
import sinon from 'sinon';
import supertest from 'supertest';
import { defineConsumer, PermanentFailure } from './consumer.js';
import { LocalEventBus } from '../../tools/local/event-bus.js';
import { logger } from '../logging.js';
import { functionServer } from '../../test/support/http.js';
import { captureLogs } from '../../test/support/logs.js';
import { ownerQuery } from '../../test/support/owner.js';

/**
 * A consumer registered with the Functions Framework and fed real Pub/Sub CloudEvents over HTTP by the
 * local bus, the same requests Eventarc sends.
 */
const handle = sinon.stub();
ff.cloudEvent('testPushConsumer', defineConsumer({ name: 'testPushConsumer', topic: 'push.requested', handle: (e, tx) => handle(e, tx) }));

const payload = { userIds: [5], type: 'TEST', title: 'Hello', body: 'World', data: { k: 'v' } };
const encode = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('event consumer wrapper', () => {
  let bus: LocalEventBus;
  before(async () => {
    const server = functionServer('testPushConsumer');
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    bus = new LocalEventBus({ project: 'test', log: logger(), maxAttempts: 3, retryBaseMs: 10 });
    bus.subscribe({ topic: 'push.requested', functionName: 'testPushConsumer', url });
  });
  beforeEach(() => handle.reset());
  after(() => bus.close());

  it('acts once when the same message is delivered three times, even concurrently', async () => {
    const eventId = `evt-${Date.now()}`;
    await Promise.all([1, 2, 3].map(() => bus.publish('push.requested', encode(payload), { eventId })));
    await bus.idle();
    assert.equal(handle.callCount, 1);
    const event = handle.firstCall.args[0];
    assert.equal(event.id, eventId);
    assert.deepEqual(event.data, payload);
    await bus.publish('push.requested', encode(payload), { eventId });
    await bus.idle();
    assert.equal(handle.callCount, 1);
    const rows = await ownerQuery(`select 1 from processed_event where consumer = 'testPushConsumer' and event_id = $1`, [eventId]);
    assert.equal(rows.length, 1);
  });

  it('drops a malformed message with a logged error, without retrying it', async () => {
    const logs = captureLogs();
    try {
      await bus.publish('push.requested', Buffer.from('not json'), { eventId: `bad-${Date.now()}` });
      await bus.publish('push.requested', encode({ ...payload, userIds: 'everyone' }), { eventId: `bad2-${Date.now()}` });
      await bus.idle();
    } finally {
      logs.restore();
    }
    assert.equal(handle.callCount, 0);
    const dropped = logs.lines.filter((l) => l.message === 'malformed message dropped');
    assert.equal(dropped.length, 2);
    assert.equal(dropped[0]!.severity, 'ERROR');
    assert.deepEqual(bus.deadLetters, []);
  });

  it('throws on a transient failure so Pub/Sub redelivers, and records nothing until it succeeds', async () => {
    const eventId = `retry-${Date.now()}`;
    handle.onFirstCall().rejects(new Error('SMTP connection refused'));
    handle.onSecondCall().resolves();
    await bus.publish('push.requested', encode(payload), { eventId });
    await bus.idle();
    assert.equal(handle.callCount, 2);
    assert.deepEqual(bus.deadLetters, []);
  });

  it('acknowledges a permanent failure instead of retrying it forever', async () => {
    handle.rejects(new PermanentFailure('address does not exist'));
    await bus.publish('push.requested', encode(payload), { eventId: `perm-${Date.now()}` });
    await bus.idle();
    assert.equal(handle.callCount, 1);
    assert.deepEqual(bus.deadLetters, []);
  });

  it('accepts a Pub/Sub push request (how terraform subscribes the functions) like an Eventarc CloudEvent', async () => {
    const eventId = `push-${Date.now()}`;
    const body = {
      message: { data: encode(payload).toString('base64'), attributes: { eventId }, messageId: '42', publishTime: new Date().toISOString() },
      subscription: 'projects/test/subscriptions/push.requested.test-push-consumer',
    };
    await supertest(functionServer('testPushConsumer')).post('/projects/test/topics/push.requested').send(body).expect((res) => assert.ok(res.status < 300, String(res.status)));
    assert.equal(handle.callCount, 1);
    assert.equal(handle.firstCall.args[0].id, eventId);
    assert.deepEqual(handle.firstCall.args[0].data, payload);
  });

  it('gives up to the dead letters after the maximum attempts', async () => {
    handle.rejects(new Error('still down'));
    await bus.publish('push.requested', encode(payload), { eventId: `dead-${Date.now()}` });
    await bus.idle();
    assert.equal(handle.callCount, 3);
    assert.equal(bus.deadLetters.length, 1);
    assert.equal(bus.deadLetters[0]!.attempts, 3);
  });
});
