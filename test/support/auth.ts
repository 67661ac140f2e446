import { randomBytes, randomUUID } from 'node:crypto';
import { decrypt } from '../../shared/crypto/encryption.js';
import { setPublisher } from '../../shared/events/publisher.js';
import { hashPassword } from '../../functions/auth/passwords/password-hasher.js';
import { request } from './http.js';
import { ownerQuery } from './owner.js';
import { asTenant } from './notify.js';
import { RecordingPublisher } from './publisher.js';
import { createUser, type Role, type TestUser, type UserStatus } from './users.js';

/**
 * Auth test helpers. Tests talk to the auth function through the Functions Framework test server; events go
 * to a RecordingPublisher (Pub/Sub's network is the one thing stubbed), and codes are read the way notify
 * reads them: decrypted from the OTT row before delivery wipes them.
 */
export const auth = () => request('auth');

/** Installs a RecordingPublisher for the suite and returns it. */
export function recordEvents(): RecordingPublisher {
  const publisher = new RecordingPublisher();
  before(() => setPublisher(publisher));
  after(() => setPublisher(undefined));
  return publisher;
}

export async function otpCode(ottId: string): Promise<string> {
  const [row] = await ownerQuery<{ code_encrypted: string | null }>(`select code_encrypted from auth_ott where id = $1::uuid`, [ottId]);
  if (!row?.code_encrypted) throw new Error(`No undelivered code for OTT ${ottId}`);
  return decrypt(row.code_encrypted, `auth_ott:${ottId}`);
}

export const strongPassword = 'kopi tubruk di pagi hari';

let cachedHash: Promise<string> | undefined;
/** One argon2 hash of strongPassword per run: creating users stays cheap. */
export function strongPasswordHash(): Promise<string> {
  cachedHash ??= hashPassword(strongPassword);
  return cachedHash;
}

export interface SignedInUser extends TestUser {
  password: string;
  deviceId: string;
  accessToken: string;
  refreshToken: string;
}

/** A user with a password whose device is already trusted. */
export async function userWithTrustedDevice(opts: { companyId: number; role?: Role; status?: UserStatus; extraCompanyIds?: number[]; licence?: { number: string; expiresOn: string } }): Promise<TestUser & { password: string; deviceId: string }> {
  const user = await createUser({ ...opts, passwordHash: await strongPasswordHash() });
  const deviceId = `device-${randomUUID()}`;
  await trustDevice(user, deviceId);
  return { ...user, password: strongPassword, deviceId };
}

export async function trustDevice(user: { id: number; companyId: number }, deviceId: string): Promise<void> {
  await asTenant(user.companyId, `insert into device_info (company_id, user_id, device_id, trusted_at) values ($1::bigint, $2::bigint, $3::text, now())`, [
    user.companyId,
    user.id,
    deviceId,
  ]);
}

/** Signs in through POST /auth/login on a trusted device. */
export async function signIn(opts: { companyId: number; role?: Role; extraCompanyIds?: number[]; licence?: { number: string; expiresOn: string } }): Promise<SignedInUser> {
  const user = await userWithTrustedDevice(opts);
  // From an address of its own: the per-IP login limit must not count every signIn of the run together.
  const res = await auth().post('/auth/login').set('X-Forwarded-For', freshIp()).send({ identifier: user.email, password: user.password, deviceId: user.deviceId }).expect(200);
  return { ...user, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A client address of its own (IPv6 documentation range), so per-IP limits of one test never hit another. */
export const freshIp = () => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::${randomBytes(2).toString('hex')}`;
