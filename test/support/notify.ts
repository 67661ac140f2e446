import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { encrypt } from '../../shared/crypto/encryption.js';
import { logger } from '../../shared/logging.js';
import { LocalEventBus } from '../../tools/local/event-bus.js';
import { functionServer } from './http.js';
import { ownerPool } from './owner.js';

/** Arranging notify's inputs the way producers will: rows in the tenant, then an event on the topic. */
export async function asTenant<T>(companyId: number, sql: string, values: unknown[]): Promise<T[]> {
  const client = await ownerPool().connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('app.company_ids', $1::text, true)`, [String(companyId)]);
    const { rows } = await client.query(sql, values);
    await client.query('commit');
    return rows as T[];
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

export interface OttInput {
  companyId: number;
  channel: 'SMS' | 'EMAIL';
  destination: string;
  code?: string;
  expiresInSeconds?: number;
  locale?: 'id' | 'en';
}

export async function insertOtt(o: OttInput): Promise<{ id: string; code: string }> {
  const id = randomUUID();
  const code = o.code ?? String(100000 + Math.floor(Math.random() * 900000));
  await asTenant(
    o.companyId,
    `insert into auth_ott (id, company_id, purpose, channel, destination, code_hash, code_encrypted, locale, expires_at)
     values ($1::uuid, $2::bigint, 'REGISTER', $3::text, $4::text, 'test-hash', $5::text, $6::text, now() + make_interval(secs => $7::int))`,
    [id, o.companyId, o.channel, o.destination, await encrypt(code, `auth_ott:${id}`), o.locale ?? 'id', o.expiresInSeconds ?? 300],
  );
  return { id, code };
}

async function urlOf(name: string): Promise<string> {
  const server: Server = functionServer(name);
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** A local Pub/Sub stand-in subscribed to the notify functions, retrying quickly. */
export async function notifyBus(): Promise<LocalEventBus> {
  const bus = new LocalEventBus({ project: 'test', log: logger(), maxAttempts: 5, retryBaseMs: 10 });
  for (const [topic, fn] of [['otp.requested', 'sendOtp'], ['email.requested', 'sendEmail'], ['push.requested', 'sendPush']] as const) {
    bus.subscribe({ topic, functionName: fn, url: await urlOf(fn) });
  }
  return bus;
}

/** Publishes one event `times` times at once (Pub/Sub's at-least-once, at its worst) and waits for the effects. */
export async function publishTimes(bus: LocalEventBus, topic: string, payload: unknown, companyId: number, times = 1, eventId = randomUUID()): Promise<string> {
  const data = Buffer.from(JSON.stringify(payload));
  await Promise.all(Array.from({ length: times }, () => bus.publish(topic, data, { eventId, companyId: String(companyId) })));
  await bus.idle();
  return eventId;
}

export async function deliveryRows(companyId: number, eventId: string) {
  return asTenant<{ consumer: string; channel: string; recipient: string; status: string; reason: string | null }>(
    companyId,
    `select consumer, channel, recipient, status, reason from delivery where event_id = $1::text order by id`,
    [eventId],
  );
}
