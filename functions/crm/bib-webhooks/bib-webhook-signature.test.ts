import { strict as assert } from 'node:assert';
import { localBibWebhookSecret } from '../../../shared/bib/bib.js';
import { signatureHeader } from '../../../shared/bib/hmac.js';
import { recordEvents } from '../../../test/support/auth.js';
import { bibOrderOf, instructionIn, newOrderId, orderTeam, pushesOf, storedInstruction, type OrderTeam } from '../../../shared/instructions/test/bib-orders.js';
import { eventBody, newEventId, nowSeconds, postSigned, postWebhook, seenEvent } from './test/bib-webhook-calls.js';

/**
 * POST /crm/webhooks/bib refuses what Bib did not sign, or signed too long ago or ahead, with one bare 401 that
 * tells nothing, and changes nothing; the body is read only after the signature holds.
 */
describe('crm: POST /crm/webhooks/bib, the signature', () => {
  recordEvents();
  let team: OrderTeam;
  before(async () => {
    team = await orderTeam();
  });

  /** A SUBMITTED instruction and the signed-for body of an event completing its order. */
  async function completing() {
    const orderId = newOrderId();
    const id = await instructionIn(team, { status: 'SUBMITTED', externalId: orderId, bibOrderStatus: 'RECEIVED', bibOrderVersion: 1 });
    const eventId = newEventId();
    return { id, eventId, body: eventBody(bibOrderOf(id, { id: orderId, status: 'COMPLETED', version: 2 }), eventId) };
  }

  const refusals: Array<[string, (body: string) => { body: string; signature: string | undefined }]> = [
    ['no Bib-Signature header', (body) => ({ body, signature: undefined })],
    ['a malformed header', (body) => ({ body, signature: 'sha256=abc' })],
    ['a signature that is not an HMAC of the body', (body) => ({ body, signature: `t=${nowSeconds()},v1=${'0'.repeat(64)}` })],
    ['a signature made with another secret', (body) => ({ body, signature: signatureHeader('not-the-bib-webhook-secret', body) })],
    ['a timestamp more than 5 minutes old', (body) => ({ body, signature: signatureHeader(localBibWebhookSecret, body, nowSeconds() - 360) })],
    ['a timestamp more than 5 minutes ahead', (body) => ({ body, signature: signatureHeader(localBibWebhookSecret, body, nowSeconds() + 360) })],
    [
      'a body changed after it was signed',
      (body) => ({ body: body.replace('"COMPLETED"', '"REJECTED"'), signature: signatureHeader(localBibWebhookSecret, body) }),
    ],
    [
      'a signature over the same event with another timestamp',
      (body) => ({ body, signature: signatureHeader(localBibWebhookSecret, body, nowSeconds() - 10).replace(/^t=\d+/, `t=${nowSeconds()}`) }),
    ],
  ];
  for (const [name, tamper] of refusals) {
    it(`refuses ${name}: 401, no detail, nothing changed`, async () => {
      const { id, eventId, body } = await completing();
      const was = await storedInstruction(id);
      const sent = tamper(body);
      const res = await postWebhook(sent.body, sent.signature).expect(401);
      assert.equal(res.body.code, 'WEBHOOK_SIGNATURE_INVALID');
      assert.deepEqual(Object.keys(res.body).sort(), ['code', 'requestId', 'status', 'title', 'type']);
      assert.deepEqual(await storedInstruction(id), was);
      assert.deepEqual(await pushesOf(id), []);
      assert.equal(await seenEvent(eventId), undefined);
    });
  }

  it('takes a timestamp within the 5 minutes, either way', async () => {
    for (const skew of [-290, 290]) {
      const { id, body } = await completing();
      assert.deepEqual((await postSigned(body, { t: nowSeconds() + skew }).expect(200)).body, { status: 'applied' });
      assert.equal((await storedInstruction(id)).status, 'COMPLETED');
    }
  });

  it('accepts the new and the old secret while one is rotated, and no other', async () => {
    const { id, body } = await completing();
    const second = await completing();
    const third = await completing();
    process.env.BIB_WEBHOOK_SECRET = `bib-webhook-secret-new-0001, ${localBibWebhookSecret}`;
    try {
      assert.equal((await postSigned(body, { secret: 'bib-webhook-secret-new-0001' }).expect(200)).body.status, 'applied');
      assert.equal((await postSigned(second.body).expect(200)).body.status, 'applied');
      await postSigned(third.body, { secret: 'bib-webhook-secret-other' }).expect(401);
      // Bib may send both signatures while it changes over.
      const t = nowSeconds();
      const both = `${signatureHeader('bib-webhook-secret-other', third.body, t)},v1=${signatureHeader('bib-webhook-secret-new-0001', third.body, t).split('v1=')[1]}`;
      assert.equal((await postWebhook(third.body, both).expect(200)).body.status, 'applied');
    } finally {
      delete process.env.BIB_WEBHOOK_SECRET;
    }
    assert.deepEqual((await Promise.all([id, second.id, third.id].map(storedInstruction))).map((s) => s.status), ['COMPLETED', 'COMPLETED', 'COMPLETED']);
    // The rotation is over: the new secret alone is no longer known to this process.
    const after = await completing();
    await postSigned(after.body, { secret: 'bib-webhook-secret-new-0001' }).expect(401);
  });

  it('reads the event only after the signature: signed, a body that is not JSON or not an event is a 400; unsigned, a 401', async () => {
    const junk = '{"id": "evt_1", "type": ';
    assert.equal((await postSigned(junk).expect(400)).body.code, 'MALFORMED_JSON');
    const notAnEvent = JSON.stringify({ id: newEventId(), type: 'order.created', data: {} });
    const invalid = await postSigned(notAnEvent).expect(400);
    assert.equal(invalid.body.code, 'VALIDATION_FAILED');
    assert.ok(invalid.body.errors.some((e: { field: string }) => e.field === 'body.type'));
    assert.equal((await postWebhook(notAnEvent, undefined).expect(401)).body.code, 'WEBHOOK_SIGNATURE_INVALID');
  });
});
