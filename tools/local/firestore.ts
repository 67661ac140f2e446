import { FirestoreServer } from '@firestore-emulator/server';
import { portInUse } from './ports.js';

/**
 * The Firestore emulator, in process (@firestore-emulator/server speaks the real gRPC API, so the real
 * @google-cloud/firestore client talks to it through FIRESTORE_EMULATOR_HOST). Its port comes from
 * firebase.json so the Firebase emulator suite and this runtime agree.
 */
export async function startFirestoreEmulator(port: number): Promise<{ host: string; stop(): Promise<void> }> {
  if (port !== 0 && (await portInUse(port))) {
    throw new Error(
      `Port ${port} (firebase.json emulators.firestore.port) is in use. If a Firestore emulator already runs there, set FIRESTORE_EMULATOR_HOST=127.0.0.1:${port}.`,
    );
  }
  const server = new FirestoreServer();
  await server.start(port);
  return { host: `127.0.0.1:${port}`, stop: async () => void (await server.stop()) };
}
