import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres, type EmbeddedServer } from '../tools/local/postgres.js';
import { prepareDatabase } from '../tools/local/database.js';
import { envValue, reloadConfig } from '../shared/config.js';
import { closePool } from '../shared/db/pool.js';
import { generateKeyring } from '../shared/auth/signing-keys.js';
import { adminQuery, testCluster } from './support/database.js';
import { closeOwnerPool } from './support/owner.js';
import { startFirestoreEmulator } from '../tools/local/firestore.js';
import { freePort } from '../tools/local/ports.js';
import { startBibSimulator, type BibSimulator } from '../tools/bib-simulator/simulator.js';
import { setTestBib } from './support/bib.js';

/**
 * Root hooks: one real PostgreSQL 17 for the whole run (embedded, or the server DATABASE_URL points at,
 * used as an administrator), a migrated template database, and a default app database cloned from it that
 * the functions under test connect to as the app role.
 */
let server: EmbeddedServer | undefined;
let firestore: { host: string; stop(): Promise<void> } | undefined;
let bib: BibSimulator | undefined;
let dataDir: string | undefined;
const runId = randomBytes(4).toString('hex');

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    const external = reloadConfig().DATABASE_URL;
    if (external) {
      testCluster.adminUrl = external;
    } else {
      dataDir = await mkdtemp(join(tmpdir(), 'rmtools-test-pg-'));
      server = await startEmbeddedPostgres({ dataDir, adminPassword: 'test-admin-password', disposable: true });
      testCluster.adminUrl = server.adminUrl;
    }
    testCluster.template = `rmtools_template_${runId}`;
    await prepareDatabase({
      adminUrl: testCluster.adminUrl,
      database: testCluster.template,
      ownerPassword: testCluster.ownerPassword,
      appPassword: testCluster.appPassword,
    });
    const main = `rmtools_test_${runId}`;
    await adminQuery(`create database ${main} template ${testCluster.template} owner rmtools_owner`);
    await adminQuery(`grant connect, temporary on database ${main} to rmtools_app`);
    const url = (role: string, password: string) => {
      const u = new URL(testCluster.adminUrl);
      u.username = role;
      u.password = password;
      u.pathname = `/${main}`;
      return u.toString();
    };
    Object.assign(process.env, {
      APP_ENV: 'test',
      LOG_LEVEL: envValue('LOG_LEVEL') ?? 'silent',
      DATABASE_URL: url('rmtools_app', testCluster.appPassword),
      DATABASE_OWNER_URL: url('rmtools_owner', testCluster.ownerPassword),
      OUTBOX_SWEEP_AFTER_SECONDS: '0',
      // One key pair for the run; tests of rotation set their own and restore this.
      JWT_SIGNING_KEYS: envValue('JWT_SIGNING_KEYS') ?? (await generateKeyring()),
      // Reset answers are padded to a minimum time; tests that measure it set their own value.
      RESET_MIN_RESPONSE_MS: '0',
    });
    // Firestore (the Bib cache): the real client against an in-process emulator, unless one is configured.
    if (!reloadConfig().FIRESTORE_EMULATOR_HOST) {
      firestore = await startFirestoreEmulator(await freePort());
      process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
    }
    // Bib: one simulator for the run (test/support/bib.ts hands it to tests), no webhook target by default.
    bib = await startBibSimulator({ port: 0 });
    setTestBib(bib);
    process.env.BIB_BASE_URL = bib.url;
    reloadConfig();
  },

  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await closePool();
    await closeOwnerPool();
    setTestBib(undefined);
    await bib?.stop();
    await firestore?.stop();
    if (server) {
      await server.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    } else {
      for (const db of [`rmtools_test_${runId}`, testCluster.template]) {
        await adminQuery(`drop database if exists ${db} with (force)`).catch(() => undefined);
      }
    }
  },
};
