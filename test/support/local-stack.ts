import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { config } from '../../shared/config.js';
import { freePort } from '../../tools/local/ports.js';

/**
 * `npm start` as a developer runs it, in a child process, on free ports. The suite's database stands in for
 * the embedded one (the DATABASE_URL path), which keeps it fast; JWT keys and the rest come from the run.
 */
export interface LocalStackProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  kill: () => void;
}

export async function spawnLocalStack(extraEnv: Record<string, string> = {}): Promise<LocalStackProcess> {
  // A free port can be taken again before the stack binds it (its own servers on port 0 draw from the same
  // range): a start refused for that reason is tried again on other ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(extraEnv);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortTaken)) throw err;
    }
  }
}

class PortTaken extends Error {}

async function spawnOnce(extraEnv: Record<string, string>): Promise<LocalStackProcess> {
  const port = await freePort();
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    LOCAL_FIRESTORE_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    DATABASE_URL: config().DATABASE_URL,
    DATABASE_OWNER_URL: config().DATABASE_OWNER_URL,
    APP_ENV: 'local',
    SMTP_URL: '',
    ...extraEnv,
  };
  // The run's Firestore emulator and Bib simulator stay the run's: npm start embeds its own, as for a developer.
  for (const name of ['FIRESTORE_EMULATOR_HOST', 'BIB_BASE_URL']) if (!(name in extraEnv)) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/local/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/Ctrl-C stops everything/.test(output)) {
    if (child.exitCode !== null && /is in use/.test(output)) throw new PortTaken(output);
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not get ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const baseUrl = /API \(routed as API Gateway routes it\)\s+(\S+)/.exec(output)![1]!;
  return {
    child,
    baseUrl,
    output: () => output,
    kill: () => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    },
  };
}
