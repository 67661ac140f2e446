import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { config, envValue, reloadConfig } from '../../shared/config.js';
import { closePool } from '../../shared/db/pool.js';
import { migrate } from '../../shared/db/migrate.js';
import { loadAreaData } from '../../shared/db/master-data.js';
import { setPublisher } from '../../shared/events/publisher.js';
import { logger } from '../../shared/logging.js';
import type { FunctionDef } from '../../shared/runtime/functions.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './postgres.js';
import { prepareDatabase } from './database.js';
import { LocalEventBus } from './event-bus.js';
import { LocalScheduler } from './scheduler.js';
import { startFirestoreEmulator } from './firestore.js';
import { seedDemo, writeDemoCredentials, type DemoCredentials } from './seed.js';
import { ensureLocalJwtKeys } from './jwt-keys.js';
import type { ExtraHandler } from './gateway.js';
import type { MessageSink } from './sink.js';
import type { BibSimulator } from '../bib-simulator/simulator.js';
import { localBibWebhookSecret } from '../../shared/bib/bib.js';

/**
 * The whole system on one machine: everything `npm start` runs, as a function so the bench and the
 * end-to-end tests start the same thing. Each part is embedded unless its environment variable points at
 * the real one (DATABASE_URL, FIRESTORE_EMULATOR_HOST, PUBSUB_EMULATOR_HOST, SMTP_URL, STORAGE_BACKEND).
 */
export interface StackOptions {
  dataDir: string;
  port: number;
  /** Firestore emulator port; defaults to firebase.json's. */
  firestorePort?: number;
}

export interface Stack {
  baseUrl: string;
  ownerUrl: string;
  demoCompanyId: number;
  /** What .data/demo-credentials.json holds. */
  demoCredentials: DemoCredentials;
  parts: Array<{ name: string; how: string; env: string }>;
  functions: Array<{ name: string; kind: FunctionDef['kind']; url: string; detail: string }>;
  bus: LocalEventBus | undefined;
  scheduler: LocalScheduler;
  /** The Bib simulator, unless BIB_BASE_URL points at a real Bib. */
  bib: BibSimulator | undefined;
  sink: MessageSink;
  readyMs: number;
  stop(): Promise<void>;
}

type Stopper = () => Promise<unknown> | unknown;

interface LocalSecrets {
  adminPassword: string;
  ownerPassword: string;
  appPassword: string;
}

async function localSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = join(dataDir, 'local-secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
  const make = () => randomBytes(18).toString('base64url');
  const secrets = { adminPassword: make(), ownerPassword: make(), appPassword: make() };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function firebasePorts(): { firestore: number; pubsub: number } {
  const json = JSON.parse(readFileSync(new URL('../../firebase.json', import.meta.url), 'utf8')) as {
    emulators: { firestore: { port: number }; pubsub: { port: number } };
  };
  return { firestore: json.emulators.firestore.port, pubsub: json.emulators.pubsub.port };
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const started = performance.now();
  const stoppers: Stopper[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await Promise.resolve(s()).catch(() => undefined);
  };
  try {
    return await boot(opts, stoppers, started, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}

async function boot(opts: StackOptions, stoppers: Stopper[], started: number, stop: () => Promise<void>): Promise<Stack> {
  const env = config();
  const parts: Stack['parts'] = [];
  await mkdir(opts.dataDir, { recursive: true });

  // PostgreSQL: migrations and master data as the owner; the functions connect as the app role.
  let ownerUrl: string;
  let appUrl: string;
  if (env.DATABASE_URL) {
    appUrl = env.DATABASE_URL;
    ownerUrl = env.DATABASE_OWNER_URL ?? env.DATABASE_URL;
    await migrate(ownerUrl);
    await loadAreaData(ownerUrl);
    parts.push({ name: 'PostgreSQL', how: `from DATABASE_URL (${new URL(appUrl).host})`, env: 'DATABASE_URL' });
  } else {
    const secrets = await localSecrets(opts.dataDir);
    const pg: EmbeddedServer = await startEmbeddedPostgres({ dataDir: join(opts.dataDir, 'postgres'), adminPassword: secrets.adminPassword });
    stoppers.push(() => pg.stop());
    const db = await prepareDatabase({ adminUrl: pg.adminUrl, database: 'rmtools', ...secrets });
    ownerUrl = db.ownerUrl;
    appUrl = db.appUrl;
    parts.push({ name: 'PostgreSQL 17', how: `embedded, data in .data/postgres, port ${pg.port}`, env: 'DATABASE_URL' });
  }
  const demo = await seedDemo(ownerUrl, opts.dataDir);
  const companyId = demo.companyId;

  // Firestore
  let firestoreHost = env.FIRESTORE_EMULATOR_HOST;
  if (firestoreHost) parts.push({ name: 'Firestore', how: `emulator at ${firestoreHost}`, env: 'FIRESTORE_EMULATOR_HOST' });
  else {
    const fs = await startFirestoreEmulator(opts.firestorePort ?? firebasePorts().firestore);
    stoppers.push(() => fs.stop());
    firestoreHost = fs.host;
    parts.push({ name: 'Firestore', how: `in-process emulator at ${fs.host}`, env: 'FIRESTORE_EMULATOR_HOST' });
  }

  const bib = await bibBackend(parts, stoppers);

  // Access tokens are signed with a key pair generated once into .data/ (Secret Manager in the cloud).
  const jwtKeys = envValue('JWT_SIGNING_KEYS') ?? (await ensureLocalJwtKeys(opts.dataDir));
  Object.assign(process.env, { APP_ENV: 'local', DATABASE_URL: appUrl, DATABASE_OWNER_URL: ownerUrl, FIRESTORE_EMULATOR_HOST: firestoreHost, JWT_SIGNING_KEYS: jwtKeys, BIB_BASE_URL: bib.url });
  reloadConfig();
  stoppers.push(() => closePool());

  const dev = await startDevServices(opts.dataDir, parts, stoppers);
  const { allFunctions } = await import('../../functions/manifest.js');
  await import('../../functions/index.js');
  const functions = await startFunctionServers(allFunctions, stoppers);

  // Events: the local bus unless a Pub/Sub emulator is configured.
  const log = logger();
  let bus: LocalEventBus | undefined;
  const subscriptions = allFunctions.flatMap((d) => (d.kind === 'http' ? [] : [{ topic: d.topic, functionName: d.name, url: functions.get(d.name)! }]));
  if (config().PUBSUB_EMULATOR_HOST) {
    const { connectEmulatorPushSubscriptions } = await import('./pubsub-emulator.js');
    await connectEmulatorPushSubscriptions(subscriptions);
    parts.push({ name: 'Pub/Sub', how: `emulator at ${config().PUBSUB_EMULATOR_HOST}, push to the event functions`, env: 'PUBSUB_EMULATOR_HOST' });
  } else {
    bus = new LocalEventBus({ project: config().GOOGLE_CLOUD_PROJECT, log });
    for (const s of subscriptions) bus.subscribe(s);
    setPublisher(bus);
    stoppers.push(() => bus?.close());
    parts.push({ name: 'Pub/Sub', how: `local CloudEvent delivery to ${subscriptions.length} event function(s)`, env: 'PUBSUB_EMULATOR_HOST' });
  }
  const { publisher } = await import('../../shared/events/publisher.js');
  const scheduler = new LocalScheduler(publisher(), log);
  const jobs = allFunctions.flatMap((d) => (d.kind === 'scheduled' ? [{ name: d.name, schedule: d.schedule, timeZone: d.timeZone, topic: d.topic }] : []));
  scheduler.start(jobs);
  stoppers.push(() => scheduler.stop());

  const gateway = await startGateway(opts.port, allFunctions, functions, dev.extras);
  stoppers.push(() => closeServer(gateway.server));
  // The local SMS and push providers post to the gateway's /_dev/sink.
  process.env.DEV_SINK_URL = gateway.url.replace('localhost', '127.0.0.1');
  // Signed upload and download URLs of KYC documents point at the gateway's /_storage/ (a phone or emulator
  // that cannot reach localhost needs LOCAL_STORAGE_URL set to an address it can).
  process.env.LOCAL_STORAGE_URL = envValue('LOCAL_STORAGE_URL') ?? gateway.url;
  // Emailed links (set-password invites) point at this gateway unless another public address is configured.
  process.env.PUBLIC_BASE_URL = envValue('PUBLIC_BASE_URL') ?? gateway.url;
  reloadConfig();
  // The simulator's investment manager reports order changes to our webhook, through the gateway.
  bib.simulator?.setWebhook({ url: `${gateway.url.replace('localhost', '127.0.0.1')}/crm/webhooks/bib`, secret: localBibWebhookSecret });
  const demoCredentials = { baseUrl: gateway.url, superAdmin: demo.superAdmin, admin: demo.admin, agent: demo.agent };
  await writeDemoCredentials(opts.dataDir, demoCredentials);

  return {
    baseUrl: gateway.url,
    ownerUrl,
    demoCompanyId: companyId,
    demoCredentials,
    parts,
    functions: allFunctions.map((d) => ({
      name: d.name,
      kind: d.kind,
      url: functions.get(d.name)!,
      detail: d.kind === 'http' ? `${d.routes.length} routes` : d.kind === 'event' ? `on ${d.topic}` : `${d.schedule} (${d.timeZone})`,
    })),
    bus,
    scheduler,
    bib: bib.simulator,
    sink: dev.sink,
    readyMs: Math.round(performance.now() - started),
    stop,
  };
}

/**
 * Bib: the simulator (tools/bib-simulator) with its investment manager moving orders along every few seconds,
 * unless BIB_BASE_URL names a Bib to use.
 */
async function bibBackend(parts: Stack['parts'], stoppers: Stopper[]): Promise<{ url: string; simulator: BibSimulator | undefined }> {
  const configured = config().BIB_BASE_URL;
  if (configured) {
    parts.push({ name: 'Bib', how: `from BIB_BASE_URL (${new URL(configured).host})`, env: 'BIB_BASE_URL' });
    return { url: configured, simulator: undefined };
  }
  const { startBibSimulator } = await import('../bib-simulator/simulator.js');
  const simulator = await startBibSimulator({ port: 0, lifecycle: { processingAfterMs: 5_000, finalAfterMs: 15_000, rejectShare: 0.1 } });
  stoppers.push(() => simulator.stop());
  parts.push({ name: 'Bib', how: `simulator at ${simulator.url.replace('http://', '')}, faults at /_sim/faults`, env: 'BIB_BASE_URL' });
  return { url: simulator.url, simulator };
}

async function startDevServices(dataDir: string, parts: Stack['parts'], stoppers: Stopper[]) {
  const { MessageSink } = await import('./sink.js');
  const { devRoutes } = await import('./dev-routes.js');
  const sink = new MessageSink();
  if (config().SMTP_URL) parts.push({ name: 'SMTP', how: `from SMTP_URL (${new URL(config().SMTP_URL!).host})`, env: 'SMTP_URL' });
  else {
    const { startSmtpCatcher } = await import('./smtp-catcher.js');
    const smtp = await startSmtpCatcher(sink, { port: 0 });
    stoppers.push(() => smtp.stop());
    process.env.SMTP_URL = smtp.url;
    reloadConfig();
    parts.push({ name: 'SMTP', how: `catcher at ${smtp.url.replace('smtp://', '')}, read at /_dev/mail`, env: 'SMTP_URL' });
  }
  parts.push({ name: 'SMS / push', how: 'local sink (POST /_dev/sink/sms, /_dev/sink/push), read at /_dev/mail', env: '' });
  const storage = await documentStorage(dataDir, parts);
  const { docsHandler } = await import('./docs.js');
  const { buildOpenApi } = await import('../api-docs.js');
  return { sink, extras: [...storage, docsHandler(buildOpenApi()), devRoutes(sink)] };
}

/**
 * KYC documents: files in <dataDir>/storage, written and read through signed URLs of the gateway's
 * /_storage/ (shared/storage/local-storage.ts), unless STORAGE_BACKEND=gcs signs URLs of a real bucket.
 */
async function documentStorage(dataDir: string, parts: Stack['parts']): Promise<ExtraHandler[]> {
  if (config().STORAGE_BACKEND === 'gcs') {
    parts.push({ name: 'Cloud Storage', how: `bucket ${config().DOCUMENTS_BUCKET}, signed with this machine's credentials`, env: 'STORAGE_BACKEND' });
    return [];
  }
  const configured = envValue('LOCAL_STORAGE_DIR');
  process.env.LOCAL_STORAGE_DIR = configured ?? join(dataDir, 'storage');
  reloadConfig();
  const { localStorageHandler } = await import('../../shared/storage/local-storage.js');
  parts.push({ name: 'Cloud Storage', how: `local signed URLs, files in ${configured ?? '.data/storage'}`, env: 'STORAGE_BACKEND' });
  return [localStorageHandler({ dir: config().LOCAL_STORAGE_DIR })];
}

async function startFunctionServers(defs: readonly FunctionDef[], stoppers: Stopper[]): Promise<Map<string, string>> {
  // The Functions Framework's own server for each function: its body parsing, routing and CloudEvent decoding.
  const { getTestServer } = await import('@google-cloud/functions-framework/testing');
  const urls = new Map<string, string>();
  for (const def of defs) {
    const server = getTestServer(def.name);
    const port = await listen(server, 0);
    stoppers.push(() => closeServer(server));
    urls.set(def.name, `http://127.0.0.1:${port}`);
  }
  return urls;
}

async function startGateway(port: number, defs: readonly FunctionDef[], urls: Map<string, string>, extras: ExtraHandler[]) {
  const { createGateway } = await import('./gateway.js');
  const backends = defs.flatMap((d) => (d.kind === 'http' ? [{ name: d.name, routes: d.routes, url: urls.get(d.name)! }] : []));
  const { verifyAccessToken } = await import('../../shared/auth/access-token.js');
  const verifyJwt = (token: string) => verifyAccessToken(token).then(() => true, () => false);
  const server = createGateway({ backends, extras, verifyJwt });
  const actual = await listen(server, port, '0.0.0.0').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new Error(`Port ${port} is in use; set PORT to another port`);
    throw err;
  });
  return { server, url: `http://localhost:${actual}` };
}

function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
