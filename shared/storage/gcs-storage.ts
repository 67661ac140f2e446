import type { GetSignedUrlConfig, Storage } from '@google-cloud/storage';
import { config } from '../config.js';
import type { ObjectStorage, SignDownloadOptions, SignUploadOptions, StoredObject, UploadGrant } from './object-storage.js';
import { assertExpiry, assertObjectKey, assertUpload, attachmentDisposition } from './validation.js';

/**
 * Google Cloud Storage: V4 signed URLs for the XML API. @google-cloud/storage is imported on first use so
 * cold starts that touch no document stay small (the type import above is erased at build time).
 *
 * Signing: with a service-account key the SDK signs locally; in Cloud Functions there is none, so it calls
 * the IAM Credentials signBlob API as the function's own service account, which therefore holds
 * roles/iam.serviceAccountTokenCreator on itself (terraform/iam.tf).
 *
 * Upload URLs sign two headers the client must send unchanged (UploadGrant.headers): Content-Type, and
 * x-goog-content-length-range "size,size", with which GCS refuses (400) a body of any other length. A
 * different Content-Type fails the signature (403).
 */
export const contentLengthRangeHeader = 'x-goog-content-length-range';

export interface GcsStorageOptions {
  bucket: string;
  /** The SDK client; made on first use by default. */
  client?: () => Promise<Storage>;
}

let sharedClient: Promise<Storage> | undefined;

function defaultClient(): Promise<Storage> {
  sharedClient ??= import('@google-cloud/storage').then(({ Storage }) => new Storage({ projectId: config().GOOGLE_CLOUD_PROJECT }));
  return sharedClient;
}

export function gcsStorage(opts: GcsStorageOptions): ObjectStorage {
  const client = opts.client ?? defaultClient;
  const file = async (key: string) => (await client()).bucket(opts.bucket).file(key);

  return {
    origin: 'https://storage.googleapis.com',

    async signUpload(o: SignUploadOptions): Promise<UploadGrant> {
      assertUpload(o);
      const expiresAt = new Date(Date.now() + o.expiresInSeconds * 1000);
      const range = `${o.size},${o.size}`;
      const signed: GetSignedUrlConfig = {
        version: 'v4',
        action: 'write',
        expires: expiresAt,
        contentType: o.contentType,
        extensionHeaders: { [contentLengthRangeHeader]: range },
      };
      const [url] = await (await file(o.key)).getSignedUrl(signed);
      return { url, method: 'PUT', headers: { 'content-type': o.contentType, [contentLengthRangeHeader]: range }, expiresAt };
    },

    async signDownload(o: SignDownloadOptions): Promise<{ url: string; expiresAt: Date }> {
      assertObjectKey(o.key);
      assertExpiry(o.expiresInSeconds);
      const expiresAt = new Date(Date.now() + o.expiresInSeconds * 1000);
      const signed: GetSignedUrlConfig = {
        version: 'v4',
        action: 'read',
        expires: expiresAt,
        ...(o.filename !== undefined ? { responseDisposition: attachmentDisposition(o.filename) } : {}),
      };
      const [url] = await (await file(o.key)).getSignedUrl(signed);
      return { url, expiresAt };
    },

    async stat(key: string): Promise<StoredObject | null> {
      assertObjectKey(key);
      try {
        const [metadata] = await (await file(key)).getMetadata();
        return { size: Number(metadata.size ?? 0), contentType: metadata.contentType ?? 'application/octet-stream' };
      } catch (err) {
        if ((err as { code?: unknown }).code === 404) return null;
        throw err;
      }
    },

    async put(key: string, body: Buffer, contentType: string): Promise<void> {
      assertObjectKey(key);
      // A single-request upload (no resumable session) of a few kilobytes; GCS makes it visible atomically.
      await (await file(key)).save(body, { contentType, resumable: false, validation: 'md5' });
    },
  };
}
