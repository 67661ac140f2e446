import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { getFunction } from '@google-cloud/functions-framework/testing';
import type { CloudEvent, CloudEventFunction } from '@google-cloud/functions-framework';
import { createPool, usePool } from '../../shared/db/pool.js';
import { AppError } from '../../shared/errors.js';
import { bearer, recordEvents } from '../../test/support/auth.js';
import { testBib } from '../../test/support/bib.js';
import { approvedIndividual, crm, crmCompany } from '../../test/support/crm.js';
import { captureLogs } from '../../test/support/logs.js';
import '../../test/support/http.js';
import { runSync } from './run-sync.js';
import { clientOf, fastLimits, useOwnSimulator } from './test/sync-fixtures.js';
import { recordingFetch, syncRow, type Sent } from './test/crm-records.js';

/** The admin's hand link wins over the sync; the sync on request (bib.sync.requested) through the Functions Framework. */
const linkByHand = (token: string, id: string, externalId: string) =>
  crm().put(`/crm/investor/${id}/externalId`).set(bearer(token)).send({ externalId }).expect(200);
const manualId = () => `BIB-HAND-${randomBytes(3).toString('hex').toUpperCase()}`;

/** A Pub/Sub push as a CloudEvent (messagePublished), data base64 JSON. */
function pubsubEvent(payload: unknown): CloudEvent<unknown> {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const messageId = randomUUID();
  return {
    id: messageId,
    specversion: '1.0',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: '//pubsub.googleapis.com/projects/test/topics/bib.sync.requested',
    data: { message: { data: Buffer.from(raw).toString('base64'), messageId, attributes: { eventId: messageId } } },
  } as CloudEvent<unknown>;
}

describe('bib sync and manual links', function () {
  this.timeout(30_000);
  recordEvents();
  const ownSim = useOwnSimulator();

  it('never pushes an investor an admin linked by hand', async () => {
    const { company, agent, admin } = await crmCompany();
    const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken);
    const id = manualId();
    await linkByHand(admin.accessToken, investor.id, id);
    const report = await runSync({ scope: { scope: 'company', companyId: company.id }, client: clientOf(ownSim()), limits: fastLimits });
    assert.equal(report.investors.claimed, 0);
    assert.equal(ownSim().stats().investorCreateRequests, 0);
    assert.deepEqual([(await syncRow('investor', investor.id)).external_id, (await syncRow('investor', investor.id)).sync_status], [id, 'SYNCED']);
  });

  it('keeps the hand link made while the push was in flight, and logs both ids', async () => {
    const { company, agent, admin } = await crmCompany();
    const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken);
    const id = manualId();
    const sent: Sent = { investors: [], orders: [] };
    // The admin links the investor just as its push leaves for Bib.
    const client = clientOf(ownSim(), { timeoutMs: 2_000, fetch: recordingFetch(sent, async () => void (await linkByHand(admin.accessToken, investor.id, id))) });
    const logs = captureLogs();
    let report;
    try {
      report = await runSync({ scope: { scope: 'company', companyId: company.id }, client, limits: fastLimits });
    } finally {
      logs.restore();
    }
    assert.equal(sent.investors.length, 1);
    assert.deepEqual([report.investors.keptManualLink, report.investors.synced], [1, 0]);
    const row = await syncRow('investor', investor.id);
    assert.deepEqual([row.external_id, row.sync_status, row.sync_claimed_until], [id, 'SYNCED', null]);
    const bibId = ownSim().investors()[0]!.id;
    const warning = logs.lines.find((l) => l.investorId === investor.id && l.manualExternalId === id);
    assert.ok(warning, 'warned');
    assert.deepEqual([warning.bibId, warning.severity], [bibId, 'WARNING']);
  });
});

describe('bibSync (bib.sync.requested)', function () {
  this.timeout(30_000);
  recordEvents();
  const fn = () => getFunction('bibSync') as CloudEventFunction<unknown>;

  it('runs for a company: its due investors reach Bib (the process client, BIB_BASE_URL)', async () => {
    const { company, agent, admin } = await crmCompany();
    const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken);
    await fn()(pubsubEvent({ scope: 'company', companyId: company.id }));
    const row = await syncRow('investor', investor.id);
    assert.equal(row.sync_status, 'SYNCED');
    assert.equal(row.external_id, testBib().investors().find((i) => i.clientRef === investor.id)?.id);
  });

  it('runs for named investors only', async () => {
    const { agent, admin } = await crmCompany();
    const named = (await approvedIndividual(agent.accessToken, admin.accessToken)).investor;
    const other = (await approvedIndividual(agent.accessToken, admin.accessToken)).investor;
    await fn()(pubsubEvent({ scope: 'investors', investorIds: [named.id] }));
    assert.equal((await syncRow('investor', named.id)).sync_status, 'SYNCED');
    assert.deepEqual([(await syncRow('investor', other.id)).sync_status, (await syncRow('investor', other.id)).external_id], ['PENDING', null]);
  });

  it('acknowledges a malformed message (retrying cannot fix it) and logs it', async () => {
    const logs = captureLogs();
    try {
      await fn()(pubsubEvent({ scope: 'everything' }));
      await fn()(pubsubEvent('not json'));
    } finally {
      logs.restore();
    }
    assert.equal(logs.lines.filter((l) => l.message === 'malformed message dropped' && l.consumer === 'bibSync').length, 2);
    assert.ok(!logs.lines.some((l) => l.message === 'bib sync run finished'));
  });

  it('throws when the database is down, so Pub/Sub delivers the request again', async () => {
    await usePool(createPool('postgres://nobody:nothing@127.0.0.1:1/none', 1));
    try {
      await assert.rejects(fn()(pubsubEvent({ scope: 'all' })), (err: unknown) => err instanceof AppError && err.code === 'DEPENDENCY_UNAVAILABLE');
    } finally {
      await usePool(undefined);
    }
  });
});
