import { z } from 'zod';
import { config } from '../config.js';
import { AppError } from '../errors.js';
import { getSecret } from '../secrets.js';
import { BibClient, type BibCredentials } from './client.js';

/**
 * The process's Bib client and secrets. In the cloud they come from Secret Manager (bib-client-credentials as
 * JSON, bib-webhook-secret as one secret or several separated by commas while rotating); locally they default
 * to the values the Bib simulator is started with.
 */
export const localBibCredentials: BibCredentials = Object.freeze({
  clientId: 'rmtools-local',
  clientSecret: 'local-bib-client-secret-not-for-production',
  signingSecret: 'local-bib-signing-secret-not-for-production',
});
export const localBibWebhookSecret = 'local-bib-webhook-secret-not-for-production';

const credentialsJson = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(16), signingSecret: z.string().min(16) });

export async function bibCredentials(): Promise<BibCredentials> {
  return credentialsJson.parse(JSON.parse(await getSecret('bib-client-credentials', JSON.stringify(localBibCredentials))));
}

export async function bibWebhookSecrets(): Promise<string[]> {
  return (await getSecret('bib-webhook-secret', localBibWebhookSecret)).split(',').map((s) => s.trim()).filter(Boolean);
}

let client: { baseUrl: string; client: BibClient } | undefined;

/** One client per process (its token and circuit breaker are shared by every caller). */
export function bibClient(): BibClient {
  const baseUrl = config().BIB_BASE_URL;
  if (!baseUrl) throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'Bib is not configured (BIB_BASE_URL)' });
  if (client?.baseUrl !== baseUrl) {
    client = { baseUrl, client: new BibClient({ baseUrl, credentials: bibCredentials, timeoutMs: config().BIB_TIMEOUT_MS }) };
  }
  return client.client;
}

/** For tests: forget the client so the next call builds one from the current configuration. */
export function resetBibClient(): void {
  client = undefined;
}
