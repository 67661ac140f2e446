import { z } from 'zod';

/** Switches that make the simulator misbehave the way a real remote system does. */
export interface BibFaults {
  /** Added before every answer. */
  latencyMs: number;
  /** 0..1 share of API calls answered 500/502/503 (token endpoint included). */
  errorRate: number;
  /** 0..1: of those errors, the share that happen AFTER the request was carried out (a lost response). */
  errorAfterCommitShare: number;
  /** 0..1 share of calls that never answer (held until the client gives up); half of them after carrying it out. */
  timeoutRate: number;
  /** 0..1 share answered 429 with Retry-After. */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** 0..1 share of webhook events delivered twice. */
  duplicateWebhookRate: number;
  /** Hold the events of an order and deliver them newest first once it reaches a final status. */
  outOfOrderWebhooks: boolean;
  /** Every call (token too) answers 503. */
  down: boolean;
}

export const defaultFaults: Readonly<BibFaults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  errorAfterCommitShare: 0.5,
  timeoutRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  duplicateWebhookRate: 0,
  outOfOrderWebhooks: false,
  down: false,
});

const share = z.number().min(0).max(1);
export const bibFaultsPatch = z.strictObject({
  latencyMs: z.number().int().min(0).max(120_000),
  errorRate: share,
  errorAfterCommitShare: share,
  timeoutRate: share,
  rateLimitRate: share,
  retryAfterSeconds: z.number().int().min(0).max(3_600),
  duplicateWebhookRate: share,
  outOfOrderWebhooks: z.boolean(),
  down: z.boolean(),
}).partial();

/** Validated merge (throws a ZodError on a bad value, so a typo never silently disables a fault). */
export function mergeFaults(base: BibFaults, patch: Partial<BibFaults>): BibFaults {
  return { ...base, ...bibFaultsPatch.parse(patch) };
}

/** What to do with one API call. `afterCommit`: carry the request out first, then lose the answer. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'down' }
  | { kind: 'rateLimited' }
  | { kind: 'error'; status: 500 | 502 | 503; afterCommit: boolean }
  | { kind: 'timeout'; afterCommit: boolean };

const errorStatuses = [500, 502, 503] as const;

export function decideFault(f: BibFaults, random: () => number): FaultDecision {
  if (f.down) return { kind: 'down' };
  if (f.rateLimitRate > 0 && random() < f.rateLimitRate) return { kind: 'rateLimited' };
  if (f.errorRate > 0 && random() < f.errorRate) {
    const status = errorStatuses[Math.floor(random() * errorStatuses.length)] ?? 500;
    return { kind: 'error', status, afterCommit: random() < f.errorAfterCommitShare };
  }
  if (f.timeoutRate > 0 && random() < f.timeoutRate) return { kind: 'timeout', afterCommit: random() < 0.5 };
  return { kind: 'none' };
}

/** mulberry32: a small, fast, seedable PRNG, so a seeded run makes the same fault decisions every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
