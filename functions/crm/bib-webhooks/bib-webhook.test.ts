import { strict as assert } from 'node:assert';
import type { Server } from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import supertest from 'supertest';
import { localBibWebhookSecret } from '../../../shared/bib/bib.js';
import { signatureHeader } from '../../../shared/bib/hmac.js';
import { recordEvents } from '../../../test/support/auth.js';
import { ownerQuery } from '../../../test/support/owner.js';
import '../../../test/support/http.js';
import {
  bibOrderOf,
  instructionIn,
  newOrderId,
  orderTeam,
  pushesOf,
  storedInstruction,
  unknownInstructionId,
  whileInstructionLocked,
  type OrderTeam,
} from '../../../shared/instructions/test/bib-orders.js';
import { createGateway } from '../../../tools/local/gateway.js';
import { buildGatewaySpecText, buildOpenApi } from '../../../tools/api-docs.js';
import { crmRoutes } from '../routes.js';
import { eventBody, newEventId, postSigned, seenEvent } from './test/bib-webhook-calls.js';

/** POST /crm/webhooks/bib through the crm function: Bib's signed events applied once each, in the order of versions. */
describe('crm: POST /crm/webhooks/bib, applying events', () => {
  recordEvents();
  let team: OrderTeam;
  before(async () => {
    team = await orderTeam();
  });

  async function submitted() {
    const orderId = newOrderId();
    const id = await instructionIn(team, { status: 'SUBMITTED', externalId: orderId, bibOrderStatus: 'RECEIVED', bibOrderVersion: 1 });
    return { id, orderId };
  }

  it("applies a signed event: the instruction takes Bib's outcome, the RM is pushed, the event is recorded", async () => {
    const { id, orderId } = await submitted();
    const eventId = newEventId();
    const res = await postSigned(eventBody(bibOrderOf(id, { id: orderId, status: 'REJECTED', version: 2, reason: 'Dana tidak cukup' }), eventId)).expect(200);
    assert.deepEqual(res.body, { status: 'applied' });
    const now = await storedInstruction(id);
    assert.deepEqual([now.status, now.failure_reason, now.bib_order_status, now.bib_order_version], ['FAILED', 'Dana tidak cukup', 'REJECTED', 2]);
    assert.deepEqual((await pushesOf(id)).map((p) => p.type), ['INSTRUCTION_FAILED']);
    assert.deepEqual(await seenEvent(eventId), { order_id: orderId, instruction_id: id, outcome: 'applied' });
  });

  it('answers a replayed event id with duplicate and changes nothing twice, whatever the replay carries', async () => {
    const { id, orderId } = await submitted();
    const eventId = newEventId();
    const body = eventBody(bibOrderOf(id, { id: orderId, status: 'COMPLETED', version: 2 }), eventId);
    assert.equal((await postSigned(body).expect(200)).body.status, 'applied');
    const once = await storedInstruction(id);
    assert.deepEqual((await postSigned(body).expect(200)).body, { status: 'duplicate' });
    const newer = eventBody(bibOrderOf(id, { id: orderId, status: 'COMPLETED', version: 5 }), eventId);
    assert.deepEqual((await postSigned(newer).expect(200)).body, { status: 'duplicate' });
    assert.deepEqual(await storedInstruction(id), once);
    assert.equal((await pushesOf(id)).length, 1);
    assert.equal((await seenEvent(eventId))?.outcome, 'applied');
  });

  it('applies one of two deliveries of an event arriving at once; the other answers duplicate', async () => {
    const { id, orderId } = await submitted();
    const body = eventBody(bibOrderOf(id, { id: orderId, status: 'COMPLETED', version: 2 }));
    const answers = await whileInstructionLocked(id, async (queued) => {
      const first = postSigned(body).then((r) => r);
      await queued(1);
      const second = postSigned(body).then((r) => r);
      await queued(2);
      return [first, second] as const;
    });
    const statuses = (await Promise.all(answers)).map((r) => `${r.status} ${r.body.status}`);
    assert.deepEqual(statuses, ['200 applied', '200 duplicate']);
    assert.equal((await pushesOf(id)).length, 1);
  });

  it('keeps the newest status when events arrive out of order (COMPLETED v3, then PROCESSING v2)', async () => {
    const { id, orderId } = await submitted();
    const [late, early] = [newEventId(), newEventId()];
    assert.equal((await postSigned(eventBody(bibOrderOf(id, { id: orderId, status: 'COMPLETED', version: 3 }), late)).expect(200)).body.status, 'applied');
    assert.equal((await postSigned(eventBody(bibOrderOf(id, { id: orderId, status: 'PROCESSING', version: 2 }), early)).expect(200)).body.status, 'stale');
    const now = await storedInstruction(id);
    assert.deepEqual([now.status, now.bib_order_status, now.bib_order_version], ['COMPLETED', 'COMPLETED', 3]);
    assert.equal((await seenEvent(early))?.outcome, 'stale');
  });

  it('acknowledges and records an event of an unknown instruction, so Bib does not retry it forever', async () => {
    const instructionId = unknownInstructionId();
    const orderId = newOrderId();
    const eventId = newEventId();
    const body = eventBody(bibOrderOf(instructionId, { id: orderId, status: 'COMPLETED', version: 1 }), eventId);
    assert.deepEqual((await postSigned(body).expect(200)).body, { status: 'unknown' });
    assert.deepEqual(await seenEvent(eventId), { order_id: orderId, instruction_id: instructionId, outcome: 'unknown' });
    assert.equal((await postSigned(body).expect(200)).body.status, 'duplicate');
  });

  it("leaves an event unseen when applying it fails, so Bib's retry applies it", async () => {
    const { id, orderId } = await submitted();
    const eventId = newEventId();
    const body = eventBody(bibOrderOf(id, { id: orderId, status: 'COMPLETED', version: 2 }), eventId);
    const was = await storedInstruction(id);
    await ownerQuery(`create function public.test_refuse_bib_apply() returns trigger language plpgsql as $$ begin raise exception 'simulated failure'; end $$`);
    await ownerQuery(`create trigger test_refuse_bib_apply before update on instruction for each row when (old.id = '${id}'::uuid) execute function public.test_refuse_bib_apply()`);
    try {
      assert.equal((await postSigned(body).expect(500)).body.code, 'INTERNAL');
    } finally {
      await ownerQuery(`drop trigger test_refuse_bib_apply on instruction`);
      await ownerQuery(`drop function public.test_refuse_bib_apply()`);
    }
    assert.equal(await seenEvent(eventId), undefined);
    assert.deepEqual(await storedInstruction(id), was);
    assert.deepEqual(await pushesOf(id), []);
    assert.equal((await postSigned(body).expect(200)).body.status, 'applied');
    assert.equal((await storedInstruction(id)).status, 'COMPLETED');
  });

  describe('through the local API gateway', () => {
    let backend: Server;
    let gateway: Server;
    before(async () => {
      backend = getTestServer('crm');
      await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
      gateway = createGateway({ backends: [{ name: 'crm', routes: crmRoutes, url }], verifyJwt: async () => false });
    });
    after(() => {
      gateway.close();
      backend.close();
    });

    it('passes the signed body and its signature to crm untouched, with no JWT', async () => {
      const { id, orderId } = await submitted();
      const body = eventBody(bibOrderOf(id, { id: orderId, status: 'COMPLETED', version: 2 }));
      const send = (signature: string) =>
        supertest(gateway).post('/crm/webhooks/bib').set('Content-Type', 'application/json').set('Bib-Signature', signature).send(body);
      assert.equal((await send(signatureHeader('not-the-bib-webhook-secret', body)).expect(401)).body.code, 'WEBHOOK_SIGNATURE_INVALID');
      assert.deepEqual((await send(signatureHeader(localBibWebhookSecret, body)).expect(200)).body, { status: 'applied' });
      assert.equal((await storedInstruction(id)).status, 'COMPLETED');
    });
  });

  it('is documented: a signed webhook (no JWT) taking Bib’s event, answering 200 or 401', () => {
    type Op = { security: unknown[]; 'x-access': string; requestBody: { content: Record<string, { schema: { properties: Record<string, unknown>; description: string } }> }; responses: Record<string, { description: string }> };
    const op = (buildOpenApi() as { paths: Record<string, Record<string, Op>> }).paths['/crm/webhooks/bib']!.post!;
    assert.equal(op['x-access'], 'webhook');
    assert.deepEqual(op.security, []);
    const schema = op.requestBody.content['application/json']!.schema;
    assert.deepEqual(Object.keys(schema.properties).sort(), ['createdAt', 'data', 'id', 'type']);
    assert.match(schema.description, /Bib-Signature/);
    assert.match(op.responses['401']!.description, /WEBHOOK_SIGNATURE_INVALID/);
    assert.ok(op.responses['200']);
    const gatewayOp = (JSON.parse(buildGatewaySpecText()) as { paths: Record<string, Record<string, { security?: unknown; 'x-google-backend': { address: string } }>> }).paths['/crm/webhooks/bib']!.post!;
    assert.equal(gatewayOp.security, undefined);
    assert.equal(gatewayOp['x-google-backend'].address, '${crm_url}');
  });
});
