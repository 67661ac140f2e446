import { config, type Config } from '../config.js';
import { gcsStorage } from './gcs-storage.js';
import { localObjectStorage } from './local-storage.js';

/**
 * Private object storage for KYC documents. Files never pass through the functions: the app uploads with a
 * signed PUT URL and reads back with a short-lived signed GET URL. Google Cloud Storage in the cloud
 * (gcs-storage.ts); in `npm start` and tests a directory served by the local runtime with the same rules
 * (local-storage.ts). Which one: STORAGE_BACKEND (shared/config.ts).
 */

/** What the client needs to upload: PUT the bytes to `url` with exactly these request headers. */
export interface UploadGrant {
  url: string;
  method: 'PUT';
  /** Content-Type and the size binding (x-goog-content-length-range: size,size). Sent as given, or refused. */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface SignUploadOptions {
  /** Object name: [A-Za-z0-9/_.-], segments not starting with a dot (validation.ts). */
  key: string;
  /** The only Content-Type the upload is accepted with, and the type the object is served with. */
  contentType: string;
  /** The exact size in bytes; a body of any other size is refused. */
  size: number;
  expiresInSeconds: number;
}

export interface SignDownloadOptions {
  key: string;
  expiresInSeconds: number;
  /** When given, the response carries Content-Disposition: attachment with this file name. */
  filename?: string;
}

export interface StoredObject {
  size: number;
  contentType: string;
}

export interface ObjectStorage {
  signUpload(o: SignUploadOptions): Promise<UploadGrant>;
  signDownload(o: SignDownloadOptions): Promise<{ url: string; expiresAt: Date }>;
  /** The object's size and type once it was uploaded; null while it does not exist. */
  stat(key: string): Promise<StoredObject | null>;
  /** Writes a small object the function itself made (a drawn signature): whole or not at all. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The origin signed URLs point at, for the investor pages' Content-Security-Policy (connect-src). */
  readonly origin: string;
}

/** How long signed URLs live unless a caller has a reason to differ. */
export const uploadUrlSeconds = 15 * 60;
export const downloadUrlSeconds = 5 * 60;

let memo: { cfg: Config; storage: ObjectStorage } | undefined;
let override: ObjectStorage | undefined;

/** The configured backend, made once per configuration (the local runtime and tests reload it). */
export function objectStorage(): ObjectStorage {
  if (override) return override;
  const cfg = config();
  if (memo?.cfg !== cfg) memo = { cfg, storage: fromConfig(cfg) };
  return memo.storage;
}

/** Tests may install their own backend; undefined restores the configured one. */
export function setObjectStorage(next: ObjectStorage | undefined): void {
  override = next;
}

function fromConfig(cfg: Config): ObjectStorage {
  if (cfg.STORAGE_BACKEND === 'gcs') return gcsStorage({ bucket: cfg.DOCUMENTS_BUCKET! });
  return localObjectStorage({ dir: cfg.LOCAL_STORAGE_DIR, baseUrl: cfg.LOCAL_STORAGE_URL ?? cfg.PUBLIC_BASE_URL });
}

export { InvalidStorageRequestError, isValidObjectKey } from './validation.js';
