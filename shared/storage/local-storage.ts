import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { getSecret } from '../secrets.js';
import { dataPath, NameClash, readMetadata, writeObject } from './local-storage-files.js';
import type { ObjectStorage, SignDownloadOptions, SignUploadOptions, StoredObject, UploadGrant } from './object-storage.js';
import { assertExpiry, assertFilename, assertObjectKey, assertUpload, attachmentDisposition, isValidObjectKey } from './validation.js';

/**
 * Object storage for `npm start` and tests, with the rules of the GCS backend: objects live in a directory
 * (LOCAL_STORAGE_DIR, `<dir>/<key>`, metadata in `<dir>/.meta/<key>.json`), and are only written or read
 * through URLs `<base>/_storage/<key>?X-Storage-...` signed with HMAC-SHA256 over the method, key, expiry,
 * content type, size and download file name (secret storage-url-signing-key). The handler below, mounted on
 * the local gateway (tools/local/stack.ts) or run alone (startLocalStorageServer), checks them as GCS does:
 *   - a bad or missing signature, another method, or an expired URL: 403;
 *   - a PUT without the signed Content-Type and x-goog-content-length-range headers: 403 (GCS: the signature
 *     no longer matches);
 *   - a body of another size: 400 (by Content-Length before reading, and by counting a chunked body, which is
 *     cut off as soon as it is too long);
 *   - a GET of a missing object: 404.
 * Errors answer GCS's XML error body. Writes go to a temporary file renamed into place, data first and then
 * its metadata, so an object exists (stat, GET) only once it is complete.
 */
export const localStoragePrefix = '/_storage/';
const secretName = 'storage-url-signing-key';
// Only ever used outside the cloud (config refuses STORAGE_BACKEND=local there); set
// STORAGE_URL_SIGNING_KEY to use another.
const localDefaultSecret = 'rmtools-local-storage-url-signing-key';
const contentLengthRangeHeader = 'x-goog-content-length-range';

export type StorageRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface LocalSignedUrl {
  baseUrl: string;
  method: 'PUT' | 'GET';
  key: string;
  expiresAt: Date;
  /** PUT only: the Content-Type and exact size the upload must have. */
  contentType?: string;
  size?: number;
  /** GET only: served as Content-Disposition: attachment. */
  filename?: string;
}

const param = {
  method: 'X-Storage-Method',
  expires: 'X-Storage-Expires',
  contentType: 'X-Storage-Content-Type',
  size: 'X-Storage-Size',
  filename: 'X-Storage-Filename',
  signature: 'X-Storage-Signature',
} as const;

interface Signed {
  method: string;
  key: string;
  expires: string;
  contentType: string;
  size: string;
  filename: string;
}

async function signingKey(): Promise<string> {
  return getSecret(secretName, localDefaultSecret);
}

function mac(secret: string, s: Signed): Buffer {
  // A JSON array: no field can run into the next whatever characters it holds.
  const canonical = JSON.stringify(['RMTOOLS-LOCAL-STORAGE-V1', s.method, s.key, s.expires, s.contentType, s.size, s.filename]);
  return createHmac('sha256', secret).update(canonical).digest();
}

/**
 * The lower-level signer behind signUpload and signDownload, exported so tests can make URLs the backend
 * would not (already expired ones).
 */
export async function signLocalUrl(o: LocalSignedUrl): Promise<string> {
  assertObjectKey(o.key);
  const signed: Signed = {
    method: o.method,
    key: o.key,
    expires: String(Math.floor(o.expiresAt.getTime() / 1000)),
    contentType: o.contentType ?? '',
    size: o.size === undefined ? '' : String(o.size),
    filename: o.filename ?? '',
  };
  const query = new URLSearchParams({ [param.method]: signed.method, [param.expires]: signed.expires });
  if (o.contentType !== undefined) query.set(param.contentType, signed.contentType);
  if (o.size !== undefined) query.set(param.size, signed.size);
  if (o.filename !== undefined) query.set(param.filename, signed.filename);
  query.set(param.signature, mac(await signingKey(), signed).toString('hex'));
  return `${o.baseUrl.replace(/\/+$/, '')}${localStoragePrefix}${o.key}?${query.toString()}`;
}

export interface LocalObjectStorageOptions {
  /** Where objects are kept. */
  dir: string;
  /** Where the handler is reachable (the local gateway, or startLocalStorageServer's url). */
  baseUrl: string;
}

export function localObjectStorage(opts: LocalObjectStorageOptions): ObjectStorage {
  return {
    origin: new URL(opts.baseUrl).origin,

    async signUpload(o: SignUploadOptions): Promise<UploadGrant> {
      assertUpload(o);
      const expiresAt = new Date(Date.now() + o.expiresInSeconds * 1000);
      const url = await signLocalUrl({ baseUrl: opts.baseUrl, method: 'PUT', key: o.key, expiresAt, contentType: o.contentType, size: o.size });
      return { url, method: 'PUT', headers: { 'content-type': o.contentType, [contentLengthRangeHeader]: `${o.size},${o.size}` }, expiresAt };
    },

    async signDownload(o: SignDownloadOptions): Promise<{ url: string; expiresAt: Date }> {
      assertObjectKey(o.key);
      assertExpiry(o.expiresInSeconds);
      if (o.filename !== undefined) assertFilename(o.filename);
      const expiresAt = new Date(Date.now() + o.expiresInSeconds * 1000);
      const url = await signLocalUrl({ baseUrl: opts.baseUrl, method: 'GET', key: o.key, expiresAt, ...(o.filename !== undefined ? { filename: o.filename } : {}) });
      return { url, expiresAt };
    },

    async stat(key: string): Promise<StoredObject | null> {
      assertObjectKey(key);
      const meta = await readMetadata(opts.dir, key);
      return meta && { size: meta.size, contentType: meta.contentType };
    },

    async put(key: string, body: Buffer, contentType: string): Promise<void> {
      assertObjectKey(key);
      await writeObject(opts.dir, key, contentType, (tmp) => writeFile(tmp, body, { flag: 'wx' }), createHash('md5').update(body));
    },
  };
}

// --- HTTP ---

class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function sendError(res: ServerResponse, err: StorageError, closeConnection: boolean): void {
  // GCS's XML API error shape.
  const body = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${err.code}</Code><Message>${xmlEscape(err.message)}</Message></Error>`;
  res.writeHead(err.status, {
    'content-type': 'application/xml; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/** Request headers the app sends with an upload; answered to browser preflights (GCS: the bucket's CORS). */
const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, PUT',
  'access-control-allow-headers': `content-type, ${contentLengthRangeHeader}`,
  'access-control-max-age': '3600',
};

/** The checked request: its key and what its URL was signed for. */
function verifyUrl(req: IncomingMessage, rawKey: string, query: URLSearchParams, secret: string): Signed {
  let key: string;
  try {
    key = decodeURIComponent(rawKey);
  } catch {
    throw new StorageError(400, 'InvalidArgument', 'The object name is not valid.');
  }
  if (!isValidObjectKey(key)) throw new StorageError(400, 'InvalidArgument', 'The object name is not valid.');
  const signature = query.get(param.signature);
  if (signature === null) throw new StorageError(403, 'AccessDenied', 'Anonymous caller does not have access: use a signed URL.');
  const signed: Signed = {
    method: query.get(param.method) ?? '',
    key,
    expires: query.get(param.expires) ?? '',
    contentType: query.get(param.contentType) ?? '',
    size: query.get(param.size) ?? '',
    filename: query.get(param.filename) ?? '',
  };
  if (!/^\d{1,12}$/.test(signed.expires) || (signed.method === 'PUT' && (!/^\d{1,15}$/.test(signed.size) || signed.contentType === ''))) {
    throw new StorageError(400, 'InvalidArgument', 'The signed URL is malformed.');
  }
  const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  const expected = mac(secret, signed);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new StorageError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  if (signed.method !== req.method) throw new StorageError(403, 'SignatureDoesNotMatch', `The URL was signed for ${signed.method}, not ${req.method}.`);
  if (Date.now() > Number(signed.expires) * 1000) {
    throw new StorageError(403, 'ExpiredToken', `The signed URL expired at ${new Date(Number(signed.expires) * 1000).toISOString()}.`);
  }
  return signed;
}

async function handlePut(req: IncomingMessage, res: ServerResponse, dir: string, signed: Signed): Promise<void> {
  const size = Number(signed.size);
  const contentType = req.headers['content-type']?.trim();
  if (contentType !== signed.contentType) {
    throw new StorageError(403, 'SignatureDoesNotMatch', `Content-Type must be the signed ${signed.contentType}, not ${contentType ?? '(none)'}.`);
  }
  const range = req.headers[contentLengthRangeHeader];
  if (typeof range !== 'string' || range.replace(/\s/g, '') !== `${size},${size}`) {
    throw new StorageError(403, 'SignatureDoesNotMatch', `The signed header ${contentLengthRangeHeader}: ${size},${size} is missing or different.`);
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) !== size) throw sizeError(Number(declared), size);

  const md5 = createHash('md5');
  const meta = await writeObject(dir, signed.key, signed.contentType, (tmp) => receiveBody(req, tmp, size, md5), md5).catch((err: unknown) => {
    if (err instanceof NameClash) throw new StorageError(409, 'Conflict', err.message);
    throw err;
  });
  res.writeHead(200, { etag: `"${Buffer.from(meta.md5, 'base64').toString('hex')}"`, 'content-length': 0 });
  res.end();
}

function sizeError(got: number, size: number): StorageError {
  return got > size
    ? new StorageError(400, 'EntityTooLarge', `The body is larger than the signed size of ${size} bytes.`)
    : new StorageError(400, 'EntityTooSmall', `The body is smaller than the signed size of ${size} bytes.`);
}

/**
 * Streams the body into `path`, counting bytes. Past `size` the upload is abandoned at once (the file is
 * closed and later removed); the rest of the body is read and dropped so the client gets the 400, up to
 * `drainLimitBytes`, past which the connection is cut.
 */
const drainLimitBytes = 1024 * 1024;

function receiveBody(req: IncomingMessage, path: string, size: number, md5: ReturnType<typeof createHash>): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path, { flags: 'wx' });
    let bytes = 0;
    let settled = false;
    // Closed before answering, so the caller's clean-up removes a file that is no longer being written.
    let discarded: Promise<void> | undefined;
    const discard = () =>
      (discarded ??= new Promise<void>((done) => {
        if (out.closed) return done();
        out.once('close', () => done());
        out.destroy();
      }));
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      if (err) void discard().then(() => reject(err));
      else {
        out.once('close', () => resolve());
        out.end();
      }
    };
    const drain = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > size + drainLimitBytes) req.destroy();
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > size) {
        req.off('data', onData);
        void discard();
        req.on('data', drain);
        return;
      }
      md5.update(chunk);
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    };
    req.on('data', onData);
    req.once('end', () => (bytes === size ? settle() : settle(sizeError(bytes, size))));
    req.once('close', () => {
      if (!req.complete) settle(new StorageError(400, 'IncompleteBody', 'The body ended before it was complete, or was far larger than the signed size.'));
    });
    req.once('error', (err) => settle(err));
    out.on('error', (err) => {
      if (bytes <= size) settle(err);
    });
  });
}

async function handleGet(res: ServerResponse, dir: string, signed: Signed): Promise<void> {
  const meta = await readMetadata(dir, signed.key);
  if (!meta) throw new StorageError(404, 'NoSuchKey', 'The specified key does not exist.');
  const stream = createReadStream(dataPath(dir, signed.key));
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.on('error', (err: NodeJS.ErrnoException) => {
      // Before the headers: an answer; after them (read failed midway): cut the response short.
      reject(err.code === 'ENOENT' ? new StorageError(404, 'NoSuchKey', 'The specified key does not exist.') : err);
      if (res.headersSent) res.destroy();
    });
  });
  res.writeHead(200, {
    'content-type': meta.contentType,
    'content-length': meta.size,
    etag: `"${Buffer.from(meta.md5, 'base64').toString('hex')}"`,
    'cache-control': 'private, max-age=0',
    'x-content-type-options': 'nosniff',
    'x-goog-hash': `md5=${meta.md5}`,
    ...(signed.filename ? { 'content-disposition': attachmentDisposition(signed.filename) } : {}),
  });
  stream.pipe(res);
  await new Promise<void>((resolve) => res.once('close', () => resolve()));
}

/**
 * Serves `/_storage/<key>` (signed PUT and GET, and browser preflights) and answers false for every other
 * path, as the local gateway's extra handlers do (tools/local/gateway.ts ExtraHandler).
 */
export function localStorageHandler(opts: { dir: string }): StorageRequestHandler {
  return async (req, res) => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    if (!path.startsWith(localStoragePrefix)) return false;
    res.setHeader('access-control-allow-origin', corsHeaders['access-control-allow-origin']);
    // An error answer leaves a request body unread: close the connection rather than read it.
    const bodyUnread = req.method !== 'GET' && req.method !== 'OPTIONS';
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, corsHeaders);
        res.end();
        return true;
      }
      if (req.method !== 'PUT' && req.method !== 'GET') throw new StorageError(405, 'MethodNotAllowed', 'Signed URLs are for GET and PUT.');
      const signed = verifyUrl(req, path.slice(localStoragePrefix.length), new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)), await signingKey());
      if (req.method === 'PUT') await handlePut(req, res, opts.dir, signed);
      else await handleGet(res, opts.dir, signed);
    } catch (err) {
      const known = err instanceof StorageError ? err : new StorageError(500, 'InternalError', err instanceof Error ? err.message : String(err));
      if (!res.headersSent) sendError(res, known, bodyUnread);
      else res.destroy();
    }
    return true;
  };
}

/** The handler alone on a port of its own (tests that run functions without the local stack). */
export async function startLocalStorageServer(opts: { dir: string; port?: number }): Promise<{ url: string; close(): Promise<void> }> {
  const handle = localStorageHandler({ dir: opts.dir });
  const server = createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) sendError(res, new StorageError(404, 'NotFound', 'Only /_storage/ is served here.'), false);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
