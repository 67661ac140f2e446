import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { encrypt } from '../../shared/crypto/encryption.js';
import { withTransaction } from '../../shared/db/tx.js';
import { emit } from '../../shared/events/outbox.js';
import type { SinkMessage } from '../local/sink.js';
import { startStack } from '../local/stack.js';
import { freePort } from '../local/ports.js';

/**
 * `npm run bench:notify`: delivery latency on the local runtime, from the COMMIT of a producer's transaction
 * (an OTT row and its otp.requested event, as the auth flows will write them) to the SMS or email arriving
 * at the dev sink — outbox, publish, CloudEvent, sendOtp, provider, all of it. Half the codes go by SMS,
 * half by email over SMTP. `--events=N` (default 200), `--json` prints the figures as one JSON line.
 */
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}`));
const events = Number(arg('events')?.split('=')[1] ?? 200);
const json = Boolean(arg('json'));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL = 'error';
  const dataDir = fileURLToPath(new URL('../../.data/bench/', import.meta.url));
  const stack = await startStack({ dataDir, port: 0, firestorePort: await freePort() });
  const waiting = new Map<string, (m: SinkMessage) => void>();
  const stopListening = stack.sink.onMessage((m) => waiting.get(m.to.toLowerCase())?.(m));
  const latencies: number[] = [];
  const byChannel = { SMS: 0, EMAIL: 0 };
  try {
    for (let i = 0; i < events; i++) {
      const channel = i % 2 === 0 ? 'SMS' : 'EMAIL';
      const destination = channel === 'SMS' ? `+6281${String(randomInt(10_000_000, 99_999_999))}` : `latency.${randomUUID().slice(0, 8)}@example.com`;
      const arrived = new Promise<number>((resolve) => waiting.set(destination.toLowerCase(), () => resolve(performance.now())));
      const ottId = randomUUID();
      const code = String(randomInt(100_000, 999_999));
      const codeEncrypted = await encrypt(code, `auth_ott:${ottId}`);
      let committedAt = 0;
      await withTransaction({ companyIds: [stack.demoCompanyId] }, async (tx) => {
        // Registered first, so it runs right after COMMIT and before the outbox's publish hook.
        tx.afterCommit(() => void (committedAt = performance.now()));
        await tx.query(
          `insert into auth_ott (id, company_id, purpose, channel, destination, code_hash, code_encrypted, expires_at)
           values ($1::uuid, $2::bigint, 'REGISTER', $3::text, $4::text, 'bench', $5::text, now() + interval '5 minutes')`,
          [ottId, stack.demoCompanyId, channel, destination, codeEncrypted],
        );
        await emit(tx, 'otp.requested', { ottId, channel, destination, purpose: 'REGISTER' }, { companyId: stack.demoCompanyId });
      });
      const at = await Promise.race([arrived, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`event ${i} not delivered in 10 s`)), 10_000))]);
      waiting.delete(destination.toLowerCase());
      latencies.push(at - committedAt);
      byChannel[channel]++;
    }
  } finally {
    stopListening();
    await stack.stop();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const result = { events, sms: byChannel.SMS, email: byChannel.EMAIL, p50Ms: +percentile(sorted, 50).toFixed(1), p99Ms: +percentile(sorted, 99).toFixed(1), maxMs: +sorted.at(-1)!.toFixed(1) };
  if (json) console.log(JSON.stringify(result));
  else console.log(`\n${events} OTP events (${result.sms} SMS, ${result.email} email), commit → delivered: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
