import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { config, envValue } from './config.js';

/**
 * Secrets: Secret Manager in the cloud (loaded lazily, cached for a while so rotation is picked up),
 * the environment or a local default otherwise. The SDK is only imported when a secret is really fetched.
 */
const ttlMs = 10 * 60_000;
const cache = new Map<string, { value: string; at: number }>();
let client: Promise<SecretManagerServiceClient> | undefined;

async function secretManager() {
  client ??= import('@google-cloud/secret-manager').then((m) => new m.SecretManagerServiceClient());
  return client;
}

/** Secret `db-app-password` may be given as the environment variable DB_APP_PASSWORD. */
export function secretEnvName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export async function getSecret(name: string, localDefault?: string): Promise<string> {
  const fromEnv = envValue(secretEnvName(name));
  if (fromEnv !== undefined) return fromEnv;
  const cfg = config();
  if (cfg.APP_ENV !== 'cloud') {
    if (localDefault === undefined) throw new Error(`Secret ${name} is not set`);
    return localDefault;
  }
  const hit = cache.get(name);
  if (hit && Date.now() - hit.at < ttlMs) return hit.value;
  const sm = await secretManager();
  const [version] = await sm.accessSecretVersion({
    name: `projects/${cfg.GOOGLE_CLOUD_PROJECT}/secrets/${name}/versions/latest`,
  });
  const value = version.payload?.data?.toString();
  if (!value) throw new Error(`Secret ${name} has no value`);
  cache.set(name, { value, at: Date.now() });
  return value;
}
