import { localBibCredentials } from '../../shared/bib/bib.js';
import { BibClient } from '../../shared/bib/client.js';
import type { BibInvestorCreate } from '../../shared/bib/contract.js';
import { runSync } from '../../functions/bib-sync/run-sync.js';
import { startBibSimulator, type BibSimulator } from '../bib-simulator/simulator.js';
import { investorInput } from '../bib-simulator/testing.js';
import { ownerQueryOf, seedSyncRecords, type SeededSyncRecords } from './seed-sync-records.js';
import { ownerTransaction } from './seed-users.js';

/**
 * The Bib sync against its floor: 10,000 approved investors pushed by runSync, against the simulator's raw
 * create throughput (the same creates through the same client at the same concurrency, with nothing read,
 * decrypted or written around them), both against one fresh fault-free simulator in this run. The sync uses
 * the process's pool (DB_POOL_MAX, as deployed) and the deployed batch size's order of magnitude.
 */
export const syncedInvestors = 10_000;
const concurrency = 16;
const batch = 500;
const warmUp = 500;

/** A type, not an interface, so it is a row of the report (Record<string, unknown>). */
export type BibSyncRow = {
  endpoint: string;
  rawCreatesPerSec: number;
  syncPerSec: number;
  ratio: number;
  concurrency: number;
  /** runSync calls until nothing was due (one expected). */
  runs: number;
  /** Wall time of the sync runs. */
  seconds: number;
  rawSeconds: number;
  seedSeconds: number;
};

export async function bibSyncRow(ownerUrl: string): Promise<BibSyncRow> {
  const seedStarted = performance.now();
  const seeded = await ownerTransaction(ownerUrl, ['investor', 'investor_individual', 'investor_bank_account'], (client) =>
    seedSyncRecords(ownerQueryOf(client), { investors: syncedInvestors }),
  );
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const sim = await startBibSimulator({ port: 0, seed: 8 });
  try {
    // Warm the simulator and the client's code paths first, so neither measurement pays for it.
    await createAll(clientOf(sim), bodiesFor(seeded, warmUp));
    sim.reset();
    const bodies = bodiesFor(seeded, syncedInvestors);
    const rawStarted = performance.now();
    await createAll(clientOf(sim), bodies);
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    if (sim.stats().investorsCreatedByClientRef.size !== syncedInvestors) throw new Error('bib bench: the raw creates did not all create an investor');
    sim.reset();

    const client = clientOf(sim);
    let runs = 0;
    let syncMs = 0;
    do {
      const started = performance.now();
      await runSync({ scope: { scope: 'company', companyId: seeded.companyId }, client, limits: { concurrency, batch, maxMs: 600_000 } });
      syncMs += performance.now() - started;
      runs++;
    } while (runs < 5 && (await stillDue(ownerUrl, seeded.companyId)) > 0);
    await verify(ownerUrl, sim, seeded);

    const rawCreatesPerSec = Math.round(syncedInvestors / rawSeconds);
    const syncPerSec = Math.round(syncedInvestors / (syncMs / 1000));
    return {
      endpoint: `bib-sync: push ${syncedInvestors.toLocaleString('en')} investors`,
      rawCreatesPerSec,
      syncPerSec,
      ratio: +(syncPerSec / rawCreatesPerSec).toFixed(2),
      concurrency,
      runs,
      seconds: +(syncMs / 1000).toFixed(2),
      rawSeconds: +rawSeconds.toFixed(2),
      seedSeconds: +seedSeconds.toFixed(2),
    };
  } finally {
    await sim.stop();
  }
}

function clientOf(sim: BibSimulator): BibClient {
  return new BibClient({ baseUrl: sim.url, credentials: async () => localBibCredentials, timeoutMs: 10_000 });
}

/** Bodies like the sync's (the seeded investors' NIK and account), each under a new clientRef. */
function bodiesFor(seeded: SeededSyncRecords, n: number): BibInvestorCreate[] {
  return seeded.investors.slice(0, n).map((i, k) =>
    investorInput({
      companyId: seeded.companyId,
      agentRef: String(seeded.agentId),
      fullName: `Investor ${k + 1}`,
      email: `investor-${i.id}@example.test`,
      phone: null,
      identityNumber: i.nik,
      birthDate: '1985-04-12',
      bankAccounts: [{ bankCode: '014', accountNumber: i.accountNumber, accountHolder: 'INVESTOR' }],
    }),
  );
}

/** `concurrency` callers taking the next body until none is left: the sync's pool without the database. */
async function createAll(client: BibClient, bodies: readonly BibInvestorCreate[]): Promise<void> {
  let next = 0;
  const caller = async () => {
    while (next < bodies.length) {
      const created = await client.createInvestor(bodies[next++]!);
      if (created.replayed) throw new Error('bib bench: a new clientRef was replayed');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
}

async function stillDue(ownerUrl: string, companyId: number): Promise<number> {
  return ownerTransaction(ownerUrl, [], async (c) => {
    const { rows } = await c.query<{ n: number }>(
      `select count(*)::int as n from investor where company_id = $1::bigint and status = 'APPROVED' and external_id is null`,
      [companyId],
    );
    return rows[0]!.n;
  });
}

/** Every investor linked to the Bib investor created for it, and Bib holding exactly one per clientRef. */
async function verify(ownerUrl: string, sim: BibSimulator, seeded: SeededSyncRecords): Promise<void> {
  const linked = await ownerTransaction(ownerUrl, [], async (c) => {
    const { rows } = await c.query<{ id: string; external_id: string | null; sync_status: string }>(
      `select id, external_id, sync_status from investor where company_id = $1::bigint`,
      [seeded.companyId],
    );
    return rows;
  });
  const bibIdOf = new Map(sim.investors().map((i) => [i.clientRef, i.id]));
  const created = sim.stats().investorsCreatedByClientRef;
  const problems = [
    linked.length !== syncedInvestors && `${linked.length} investors in the company`,
    linked.some((r) => r.external_id === null || r.sync_status !== 'SYNCED') && 'an investor not synced',
    linked.some((r) => bibIdOf.get(r.id) !== r.external_id) && 'an investor linked to another Bib id than its own',
    created.size !== syncedInvestors && `${created.size} clientRefs created at Bib`,
    [...created.values()].some((n) => n !== 1) && 'an investor created twice at Bib',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`bib bench: ${problems.join('; ')}`);
}
