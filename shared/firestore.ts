import type { Firestore } from '@google-cloud/firestore';
import { config } from './config.js';

/**
 * The process's Firestore client (the Bib cache), made on first use so cold starts that touch no cache stay
 * small (the type import above is erased at build time). The SDK itself reads FIRESTORE_EMULATOR_HOST: locally
 * and in tests it talks to the emulator, in the cloud to the project's database.
 */
let client: Promise<Firestore> | undefined;

// The emulator takes no credentials; naming placeholder ones keeps the SDK from probing for the metadata server.
const emulatorCredentials = { client_email: 'emulator@rmtools.local', private_key: 'not-used-by-the-emulator' };

export function firestore(): Promise<Firestore> {
  const c = config();
  client ??= import('@google-cloud/firestore').then(
    ({ Firestore }) => new Firestore({ projectId: c.GOOGLE_CLOUD_PROJECT, ...(c.FIRESTORE_EMULATOR_HOST ? { credentials: emulatorCredentials } : {}) }),
  );
  return client;
}

/** Closes the client (tests, the local runtime's shutdown); the next call makes a new one. */
export async function closeFirestore(): Promise<void> {
  const current = client;
  client = undefined;
  await (await current?.catch(() => undefined))?.terminate();
}
