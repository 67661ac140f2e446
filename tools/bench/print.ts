/** The bench's table on stdout: one block per row of the report, its kind told by its fields. */
export interface LoadResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const fmt = (x: LoadResult) => `${String(x.reqPerSec).padStart(6)} req/s ${x.p50}/${x.p99} ms${x.non2xx + x.errors ? ` (${x.non2xx} non-2xx, ${x.errors} errors)` : ''}`;
const perSec = (n: unknown) => `${String(n).padStart(6)}/s`;

export function printRows(rows: ReadonlyArray<Record<string, unknown>>, o: { connections: number; durationSec: number }): void {
  if (rows.some((r) => r.function)) console.log(`\n${o.connections} connections, ${o.durationSec} s per target (req/s, p50/p99 ms)\n`);
  for (const r of rows) {
    if (r.rawCreatesPerSec) {
      console.log(`${String(r.endpoint)} (concurrency ${String(r.concurrency)}, ${String(r.runs)} run(s), ${String(r.seconds)} s; seeded in ${String(r.seedSeconds)} s)`);
      console.log(`  raw simulator creates  ${perSec(r.rawCreatesPerSec)}   sync ${perSec(r.syncPerSec)}   ratio ${String(r.ratio)}`);
      continue;
    }
    if (r.argon2PerSec) {
      console.log(`${String(r.endpoint)}\n  function (FF server)     ${fmt(r.function as LoadResult)}   ratio to raw argon2id verifies (${String(r.argon2PerSec)}/s) ${String(r.ratioArgon2)}`);
      continue;
    }
    if (!r.floor) {
      console.log(`${String(r.endpoint)}\n  ${fmt(r.function as LoadResult)}`);
      continue;
    }
    console.log(String(r.endpoint));
    console.log(`  floor (node:http + pg)   ${fmt(r.floor as LoadResult)}`);
    console.log(`  function (FF server)     ${fmt(r.function as LoadResult)}   ratio ${String(r.ratioFunction)}`);
    console.log(`  via local gateway        ${fmt(r.gateway as LoadResult)}   ratio ${String(r.ratioGateway)}`);
  }
}
