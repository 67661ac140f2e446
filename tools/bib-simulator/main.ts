import { parseArgs } from 'node:util';
import { localBibWebhookSecret } from '../../shared/bib/bib.js';
import { envValue } from '../../shared/config.js';
import { startBibSimulator } from './simulator.js';

/**
 * Runs the Bib simulator alone: `npm run bib:simulator -- [--port 8090] [--webhook-url URL] [--webhook-secret S]
 * [--lifecycle 2000,5000,0.1 | off] [--seed N]`; each option falls back to BIB_SIM_PORT (or PORT),
 * BIB_SIM_WEBHOOK_URL, BIB_SIM_WEBHOOK_SECRET, BIB_SIM_LIFECYCLE, BIB_SIM_SEED. Faults are switched at
 * runtime: PUT /_sim/faults (see admin.ts).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'webhook-url': { type: 'string' },
    'webhook-secret': { type: 'string' },
    lifecycle: { type: 'string' },
    seed: { type: 'string' },
  },
});

const port = Number(values.port ?? envValue('BIB_SIM_PORT') ?? envValue('PORT') ?? 8090);
const webhookUrl = values['webhook-url'] ?? envValue('BIB_SIM_WEBHOOK_URL');
const webhookSecret = values['webhook-secret'] ?? envValue('BIB_SIM_WEBHOOK_SECRET') ?? localBibWebhookSecret;
const seedText = values.seed ?? envValue('BIB_SIM_SEED');

function lifecycle(text: string): { processingAfterMs: number; finalAfterMs: number; rejectShare: number } | false {
  if (text === 'off') return false;
  const [processingAfterMs, finalAfterMs, rejectShare] = text.split(',').map(Number);
  if ([processingAfterMs, finalAfterMs, rejectShare].some((n) => n === undefined || !Number.isFinite(n) || n < 0) || (rejectShare ?? 0) > 1) {
    throw new Error(`--lifecycle: expected <processingAfterMs>,<finalAfterMs>,<rejectShare> or off, got ${text}`);
  }
  return { processingAfterMs: processingAfterMs ?? 0, finalAfterMs: finalAfterMs ?? 0, rejectShare: rejectShare ?? 0 };
}

const sim = await startBibSimulator({
  port,
  webhook: webhookUrl ? { url: webhookUrl, secret: webhookSecret } : null,
  lifecycle: lifecycle(values.lifecycle ?? envValue('BIB_SIM_LIFECYCLE') ?? '2000,5000,0.1'),
  seed: seedText ? Number(seedText) : undefined,
});
console.log(`Bib simulator listening on ${sim.url} (admin: ${sim.url}/_sim/stats${webhookUrl ? `; webhooks to ${webhookUrl}` : '; no webhook target'})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sim.stop().then(() => process.exit(0));
  });
}
