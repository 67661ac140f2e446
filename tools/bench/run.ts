import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { config } from '../../shared/config.js';
import { startStack, type Stack } from '../local/stack.js';
import { argon2VerifiesPerSecond, createBenchUser, sessionOf, startMeFloor } from './auth.js';
import { freePort } from '../local/ports.js';
import { startFloorServer, floorEndpoints } from './floor.js';
import { benchInvestors, investorBenchSetup, startInvestorsFloor } from './investors.js';
import { bibSyncRow } from './bib-sync.js';
import { printRows, type LoadResult as Result } from './print.js';

/**
 * `npm run bench`: our endpoints against the floor — a bare node:http + pg server running the same SQL —
 * in one run on one machine, so the ratio means something on a noisy host. The load comes from autocannon
 * in a child process so it does not share the servers' event loop. `--only=bib`: the Bib sync row alone.
 */
const run = promisify(execFile);
const root = new URL('../../', import.meta.url);
const durationSec = Number(process.argv.find((a) => a.startsWith('--duration='))?.split('=')[1] ?? 8);
const connections = 16;
const only = process.argv.find((a) => a.startsWith('--only='))?.split('=')[1];
if (only !== undefined && only !== 'bib') throw new Error(`--only=${only}: only --only=bib is known`);

/** `extra`: autocannon options for the request (method, headers, body). */
async function load(url: string, extra: string[] = []): Promise<Result> {
  const bin = fileURLToPath(new URL('node_modules/.bin/autocannon', root));
  await run(bin, ['-c', String(connections), '-d', '1', '-j', ...extra, url], { maxBuffer: 1 << 24 }); // warm-up
  const { stdout } = await run(bin, ['-c', String(connections), '-d', String(durationSec), '-j', ...extra, url], { maxBuffer: 1 << 24 });
  const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
  return { reqPerSec: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

/** One endpoint three ways in one run: the floor, our function's server, and through the local gateway. */
async function againstFloor(endpoint: string, floorUrl: string, functionUrl: string, gatewayUrl: string, extra: string[] = []): Promise<Record<string, unknown>> {
  const floor = await load(floorUrl);
  const fn = await load(functionUrl, extra);
  const gateway = await load(gatewayUrl, extra);
  const ratio = (r: Result) => +(r.reqPerSec / floor.reqPerSec).toFixed(2);
  return { endpoint, floor, function: fn, gateway, ratioFunction: ratio(fn), ratioGateway: ratio(gateway) };
}

async function main(): Promise<void> {
  const dataDir = fileURLToPath(new URL('.data/bench/', root));
  process.env.LOG_LEVEL = 'error';
  // One client hammers one account: the limits stay on (their SQL runs) but are scaled out of the way.
  process.env.RATE_LIMIT_MULTIPLIER = '1000000';
  const stack = await startStack({ dataDir, port: 0, firestorePort: await freePort() });
  // No scheduled Bib sync: it would load the machine mid-measurement and could take the sync row's records.
  stack.scheduler.stop();
  const rows: Array<Record<string, unknown>> = [];
  try {
    if (only !== 'bib') rows.push(...(await endpointRows(stack)));
    rows.push(await bibSyncRow(stack.ownerUrl));
  } finally {
    await stack.stop();
  }
  const report = { at: new Date().toISOString(), durationSec, connections, node: process.version, results: rows };
  await mkdir(dataDir, { recursive: true });
  // A partial run does not overwrite the full run's report.
  const name = only ? `report-${only}.json` : 'report.json';
  await writeFile(fileURLToPath(new URL(name, new URL('.data/bench/', root))), JSON.stringify(report, null, 2));
  printRows(rows, { connections, durationSec });
  console.log(`\nreport: .data/bench/${name}`);
}

/** The HTTP endpoints against their floors, and the framework's ceiling. */
async function endpointRows(stack: Stack): Promise<Array<Record<string, unknown>>> {
  const floor = await startFloorServer(config().DATABASE_URL!);
  const ceiling = await frameworkCeiling();
  const crm = stack.functions.find((f) => f.name === 'crm')!.url;
  const auth = stack.functions.find((f) => f.name === 'auth')!.url;
  const rows: Array<Record<string, unknown>> = [];
  try {
    for (const ep of floorEndpoints) {
      const fnBase = ep.fn === 'crm' ? crm : auth;
      rows.push(await againstFloor(ep.path, `${floor.url}${ep.path}`, `${fnBase}${ep.path}`, `${stack.baseUrl}${ep.path}`));
    }
    rows.push(...(await authRows(stack, auth)));
    rows.push(await investorRow(stack, auth, crm));
    rows.push({ endpoint: 'framework ceiling: Functions Framework answering constant JSON, no database', function: await load(ceiling.url) });
  } finally {
    await ceiling.stop();
    await floor.stop();
  }
  return rows;
}

/** POST /auth/login against raw argon2, and GET /auth/me against its floor. */
async function authRows(stack: Stack, authUrl: string): Promise<Array<Record<string, unknown>>> {
  const user = await createBenchUser(stack.ownerUrl, stack.demoCompanyId);
  const loginBody = JSON.stringify({ identifier: user.identifier, password: user.password, deviceId: user.deviceId });
  const argon2PerSec = await argon2VerifiesPerSecond(durationSec);
  const login = await load(`${authUrl}/auth/login`, ['-m', 'POST', '-H', 'content-type=application/json', '-b', loginBody]);
  const rows: Array<Record<string, unknown>> = [
    { endpoint: 'POST /auth/login (trusted device)', function: login, argon2PerSec, ratioArgon2: +(login.reqPerSec / argon2PerSec).toFixed(2) },
  ];
  const signedIn = (await (await fetch(`${authUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody })).json()) as { accessToken: string };
  const bearer = ['-H', `authorization=Bearer ${signedIn.accessToken}`];
  const floor = await startMeFloor(config().DATABASE_URL!, { userId: user.userId, sessionId: sessionOf(signedIn.accessToken) });
  try {
    rows.push(await againstFloor('GET /auth/me', floor.url, `${authUrl}/auth/me`, `${stack.baseUrl}/auth/me`, bearer));
  } finally {
    await floor.stop();
  }
  return rows;
}

/** GET /crm/investors, an admin's first page over 100,000 investors under RLS, against its floor. */
async function investorRow(stack: Stack, authUrl: string, crmUrl: string): Promise<Record<string, unknown>> {
  const seeded = Date.now();
  const admin = await investorBenchSetup(stack.ownerUrl, authUrl);
  console.log(`seeded ${benchInvestors} investors in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  const bearer = ['-H', `authorization=Bearer ${admin.accessToken}`];
  const floor = await startInvestorsFloor(config().DATABASE_URL!, { ...admin, sessionId: sessionOf(admin.accessToken) });
  try {
    const endpoint = `GET /crm/investors (admin, ${benchInvestors} investors, RLS on)`;
    return await againstFloor(endpoint, floor.url, `${crmUrl}/crm/investors`, `${stack.baseUrl}/crm/investors`, bearer);
  } finally {
    await floor.stop();
  }
}

/** What the Functions Framework alone can do on this machine: the ceiling any function here can reach. */
async function frameworkCeiling(): Promise<{ url: string; stop(): Promise<void> }> {
  const ff = await import('@google-cloud/functions-framework');
  const { getTestServer } = await import('@google-cloud/functions-framework/testing');
  ff.http('benchCeiling', (_req, res) => void res.status(200).type('application/json').send('{"items":[]}'));
  const server = getTestServer('benchCeiling');
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
