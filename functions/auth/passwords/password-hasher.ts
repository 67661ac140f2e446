import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { config } from '../../../shared/config.js';
import { AppError } from '../../../shared/errors.js';
import { QueueFullError, Semaphore, type SemaphoreStats } from './semaphore.js';

/**
 * Password hashing with argon2id (DESIGN §5; OWASP minimum m=19456 KiB, t=2, p=1, set in shared/config).
 *
 * Why the semaphore: each argon2 computation holds m KiB (19 MiB by default) for its whole run, so 200
 * concurrent logins must not allocate 200 × 19 MiB. The native work runs on the libuv thread pool, which
 * alone would let 4 run at once and also starve DNS and file I/O that share that pool; instead at most
 * ARGON2_MAX_CONCURRENCY run, up to ARGON2_MAX_QUEUE wait in FIFO order, and beyond that the request
 * gets 503 with Retry-After rather than an unbounded wait.
 */

// Algorithm is an ambient const enum, which isolatedModules cannot inline; 2 is its Argon2id member.
const argon2id = 2 as Algorithm;

const gate = new Semaphore(() => ({
  maxRunning: config().ARGON2_MAX_CONCURRENCY,
  maxQueued: config().ARGON2_MAX_QUEUE,
}));

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await gate.run(fn);
  } catch (err) {
    if (err instanceof QueueFullError) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', {
        detail: 'Too many password checks in progress; try again shortly',
        headers: { 'Retry-After': '1' },
        cause: err,
      });
    }
    throw err;
  }
}

function currentOptions(): Options & { memoryCost: number; timeCost: number; parallelism: number } {
  const c = config();
  return { algorithm: argon2id, memoryCost: c.ARGON2_MEMORY_KIB, timeCost: c.ARGON2_TIME_COST, parallelism: c.ARGON2_PARALLELISM };
}

/** Returns the PHC string ("$argon2id$v=19$m=…,t=…,p=…$salt$hash"), salt included. */
export async function hashPassword(plain: string): Promise<string> {
  return limited(() => hash(plain, currentOptions()));
}

/** False for a wrong password and for a hash that is not a valid argon2 PHC string. */
export async function verifyPassword(storedHash: string, plain: string): Promise<boolean> {
  // A malformed hash fails here without taking a slot.
  if (!parse(storedHash)) return false;
  return limited(() => verify(storedHash, plain).catch(() => false));
}

let dummy: { params: string; hash: Promise<string> } | undefined;

/**
 * Costs what verifyPassword costs, for a login whose identifier matched no user: answering faster for
 * unknown users would let anyone enumerate accounts by timing. The dummy hash is made once, lazily (not at
 * cold start), and again only if the parameters change.
 */
export async function verifyDummy(plain: string): Promise<void> {
  const o = currentOptions();
  const params = `${o.memoryCost},${o.timeCost},${o.parallelism}`;
  if (dummy?.params !== params) {
    const made = hashPassword(randomBytes(16).toString('base64url'));
    dummy = { params, hash: made };
    // A failed attempt (e.g. a full queue) is not cached.
    made.catch(() => {
      if (dummy?.hash === made) dummy = undefined;
    });
  }
  await verifyPassword(await dummy.hash, plain);
}

/** True when the hash was made with other parameters than the current ones (login then re-hashes). */
export function needsRehash(storedHash: string): boolean {
  const parsed = parse(storedHash);
  if (!parsed) return true;
  const o = currentOptions();
  return (
    parsed.algorithm !== argon2id ||
    parsed.memoryCost !== o.memoryCost ||
    parsed.timeCost !== o.timeCost ||
    parsed.parallelism !== o.parallelism
  );
}

function parse(storedHash: string): ReturnType<typeof parseOptions> | undefined {
  try {
    return parseOptions(storedHash);
  } catch {
    return undefined;
  }
}

/** For tests and the bench: what runs and waits now, and the most that ran at once since the last reset. */
export function hasherStats(): SemaphoreStats {
  return gate.stats();
}

export function resetHasherStats(): void {
  gate.resetStats();
}
