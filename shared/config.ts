import { z } from 'zod';

/**
 * The one place that reads process.env. Parsed once, on first use, so tests and the local runtime can
 * set the environment before anything asks for it.
 */
const csv = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []));

const int = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

const schema = z.object({
  APP_ENV: z.enum(['local', 'test', 'cloud']).default('local'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  GOOGLE_CLOUD_PROJECT: z.string().default('demo-rmtools'),
  FUNCTION_TARGET: z.string().optional(),
  K_SERVICE: z.string().optional(),

  // Postgres. DATABASE_URL is the app role (no table ownership, no BYPASSRLS).
  DATABASE_URL: z.string().optional(),
  DATABASE_OWNER_URL: z.string().optional(),
  DB_PASSWORD_SECRET: z.string().optional(),
  // Sizing rule: max function instances × DB_POOL_MAX ≤ Cloud SQL max_connections − reserved (terraform).
  DB_POOL_MAX: int(5),
  DB_IDLE_TIMEOUT_MS: int(10_000),
  DB_CONNECTION_TIMEOUT_MS: int(5_000),
  DB_STATEMENT_TIMEOUT_MS: int(15_000),

  // HTTP
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  CORS_ORIGINS: csv,
  JSON_BODY_LIMIT_BYTES: int(1_048_576),
  TRUST_GATEWAY_HEADERS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),

  // Events
  PUBSUB_EMULATOR_HOST: z.string().optional(),
  OUTBOX_SWEEP_AFTER_SECONDS: int(30),
  OUTBOX_SWEEP_BATCH: int(200),

  // Notify: providers and limits. SMS_PROVIDER=local and PUSH_PROVIDER=local post to the local runtime's
  // sink at DEV_SINK_URL; infobip and fcm are the production adapters.
  SMS_PROVIDER: z.enum(['infobip', 'local']).default('local'),
  SMS_API_BASE_URL: z.string().url().optional(),
  SMS_SENDER: z.string().default('RMTools'),
  PUSH_PROVIDER: z.enum(['fcm', 'local']).default('local'),
  DEV_SINK_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('RMTools <no-reply@rmtools.local>'),
  NOTIFY_MAX_AGE_HOURS: int(24),
  PROVIDER_TIMEOUT_MS: int(10_000),

  // Auth (DESIGN §5). Tokens: ES256 access JWTs signed with the keys of the secret jwt-signing-keys.
  JWT_ISSUER: z.string().default('https://rmtools.local/auth'),
  JWT_AUDIENCE: z.string().default('rmtools-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  OTP_TTL_SECONDS: z.coerce.number().int().min(60).max(900).default(300),
  OTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
  OTP_RESEND_COOLDOWN_SECONDS: int(60),
  OTP_HOURLY_CAP: z.coerce.number().int().min(1).default(5),
  RESET_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  // Set-password links emailed to users an admin created without a password.
  INVITE_TOKEN_TTL_HOURS: z.coerce.number().int().min(1).max(168).default(72),
  // Where people reach the API (the gateway, or a custom domain in front of it): emailed links point here.
  PUBLIC_BASE_URL: z.url().default('http://localhost:8080'),
  // Reset-password start answers no sooner than this, for known and unknown identifiers alike.
  RESET_MIN_RESPONSE_MS: int(250),
  // argon2id (OWASP minimum: m=19456 KiB, t=2, p=1). At most ARGON2_MAX_CONCURRENCY hashes run at once
  // per instance (each takes m KiB); up to ARGON2_MAX_QUEUE more wait, beyond that the request gets 503.
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(19_456),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2),
  ARGON2_PARALLELISM: z.coerce.number().int().min(1).default(1),
  ARGON2_MAX_CONCURRENCY: z.coerce.number().int().min(1).default(2),
  ARGON2_MAX_QUEUE: int(500),
  // Multiplies every rate limit (shared/rate-limit.ts). 1 in production; the bench raises it so that one
  // client can measure sign-in throughput while the counters are still written.
  RATE_LIMIT_MULTIPLIER: z.coerce.number().int().min(1).default(1),

  // KYC documents (shared/storage/): the app uploads and downloads them with signed URLs. gcs signs V4 URLs for
  // DOCUMENTS_BUCKET; local keeps the files in LOCAL_STORAGE_DIR and signs URLs of the handler the local
  // runtime mounts at LOCAL_STORAGE_URL/_storage/ (the gateway; PUBLIC_BASE_URL when unset).
  STORAGE_BACKEND: z.enum(['gcs', 'local']).default('local'),
  DOCUMENTS_BUCKET: z.string().optional(),
  LOCAL_STORAGE_DIR: z.string().min(1).default('.data/storage'),
  LOCAL_STORAGE_URL: z.url({ protocol: /^https?$/ }).optional(),

  // Other parts that the local runtime embeds unless these are set
  FIRESTORE_EMULATOR_HOST: z.string().optional(),
  // Port of the embedded Firestore emulator when it differs from firebase.json's (tests run beside npm start).
  LOCAL_FIRESTORE_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SMTP_URL: z.string().optional(),
  BIB_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),

  // Bib (shared/bib, functions/bib-sync). Credentials and the webhook secret are secrets (bib-client-credentials,
  // bib-webhook-secret). Every call to Bib times out after BIB_TIMEOUT_MS.
  BIB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  // A sync run claims at most BIB_SYNC_BATCH records of each kind per round, works BIB_SYNC_CONCURRENCY at a
  // time, and stops starting new work after BIB_SYNC_MAX_MS: under the scheduled function's timeout (50 s,
  // terraform) with room for the calls in flight (BIB_TIMEOUT_MS) to finish.
  BIB_SYNC_BATCH: z.coerce.number().int().min(1).max(5_000).default(200),
  BIB_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  BIB_SYNC_MAX_MS: z.coerce.number().int().min(1_000).max(3_000_000).default(30_000),
  // Per-record backoff: full jitter over min(max, base × 2^attempts); after BIB_SYNC_MAX_ATTEMPTS the record
  // is FAILED until an admin asks for it again.
  BIB_BACKOFF_BASE_MS: z.coerce.number().int().min(0).default(30_000),
  BIB_BACKOFF_MAX_MS: z.coerce.number().int().min(0).default(3_600_000),
  BIB_SYNC_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  // The Firestore cache of Bib's products and portfolios: fresh for TTL, then served stale while one refresh
  // runs (up to the stale window), and served stale for up to BIB_CACHE_MAX_STALE_SECONDS when Bib is down.
  BIB_PRODUCTS_TTL_SECONDS: z.coerce.number().int().min(1).default(300),
  BIB_PORTFOLIO_TTL_SECONDS: z.coerce.number().int().min(1).default(60),
  BIB_CACHE_STALE_SECONDS: z.coerce.number().int().min(0).default(3_600),
  BIB_CACHE_MAX_STALE_SECONDS: z.coerce.number().int().min(0).default(7 * 86_400),
})
  .refine((c) => c.APP_ENV !== 'cloud' || c.RATE_LIMIT_MULTIPLIER === 1, {
    path: ['RATE_LIMIT_MULTIPLIER'],
    message: 'must be 1 in the cloud (it loosens every limit, the OTP caps included)',
  })
  .refine((c) => c.APP_ENV !== 'cloud' || c.PUBLIC_BASE_URL.startsWith('https://'), {
    path: ['PUBLIC_BASE_URL'],
    message: 'must be the https address of the API in the cloud (emailed links point at it)',
  })
  .refine((c) => c.APP_ENV !== 'cloud' || c.STORAGE_BACKEND === 'gcs', {
    path: ['STORAGE_BACKEND'],
    message: "must be gcs in the cloud (local keeps documents on the instance's disk)",
  })
  .refine((c) => c.APP_ENV !== 'cloud' || c.BIB_BASE_URL?.startsWith('https://'), {
    path: ['BIB_BASE_URL'],
    message: "must be Bib's https address in the cloud",
  })
  .refine((c) => c.STORAGE_BACKEND !== 'gcs' || !!c.DOCUMENTS_BUCKET, {
    path: ['DOCUMENTS_BUCKET'],
    message: 'is required when STORAGE_BACKEND is gcs',
  });

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

export function config(): Config {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Invalid configuration: ${fields}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** For the local runtime and tests, which set the environment and then need a fresh parse. */
export function reloadConfig(): Config {
  cached = undefined;
  return config();
}

/** Environment snapshot for child tools (the local runtime passes its settings on to the functions). */
export function envValue(name: string): string | undefined {
  return process.env[name];
}
