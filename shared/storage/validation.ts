/**
 * What both storage backends check before they sign anything, so a bad key or request fails the same way
 * locally and in the cloud (and never reaches the file system or GCS).
 */

/** Longest object name GCS accepts (1024 bytes of UTF-8; keys here are ASCII). */
export const maxKeyLength = 1024;

/** V4 signed URLs live at most 7 days. */
export const maxSignedUrlSeconds = 7 * 24 * 3600;

// Segments of [A-Za-z0-9_.-] that do not start with a dot, joined by single slashes: no `..`, no `.`, no
// empty segment, no leading or trailing slash, nothing a file system or a URL would reinterpret.
const keyPattern = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;

// type/subtype with RFC 6838 characters, optionally with parameters (`; charset=...`); no line breaks.
const contentTypePattern = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(?:\s*;\s*[A-Za-z0-9!#$&^_.+-]+=(?:[A-Za-z0-9!#$&^_.+-]+|"[^"\\\r\n]*"))*$/;

export class InvalidStorageRequestError extends RangeError {
  override readonly name = 'InvalidStorageRequestError';
}

export function isValidObjectKey(key: string): boolean {
  return key.length > 0 && key.length <= maxKeyLength && !key.includes('..') && keyPattern.test(key);
}

export function assertObjectKey(key: string): void {
  if (!isValidObjectKey(key)) {
    throw new InvalidStorageRequestError(`Invalid object key ${JSON.stringify(key)}: use [A-Za-z0-9/_.-], segments not starting with a dot, no "..", at most ${maxKeyLength} characters`);
  }
}

export function assertExpiry(expiresInSeconds: number): void {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > maxSignedUrlSeconds) {
    throw new InvalidStorageRequestError(`expiresInSeconds must be an integer from 1 to ${maxSignedUrlSeconds}, not ${expiresInSeconds}`);
  }
}

export function assertUpload(o: { key: string; contentType: string; size: number; expiresInSeconds: number }): void {
  assertObjectKey(o.key);
  assertExpiry(o.expiresInSeconds);
  if (!contentTypePattern.test(o.contentType)) throw new InvalidStorageRequestError(`Invalid content type ${JSON.stringify(o.contentType)}`);
  if (!Number.isSafeInteger(o.size) || o.size < 0) throw new InvalidStorageRequestError(`size must be a non-negative integer, not ${o.size}`);
}

export function assertFilename(filename: string): void {
  // Control characters would end up in a response header; slashes would suggest a path to the browser.
  // eslint-disable-next-line no-control-regex
  if (filename.length === 0 || filename.length > 255 || /[\u0000-\u001f\u007f/\\]/.test(filename)) {
    throw new InvalidStorageRequestError(`Invalid download filename ${JSON.stringify(filename)}`);
  }
}

/**
 * Content-Disposition that makes browsers save the object as `filename` (RFC 6266): an ASCII fallback in
 * `filename`, the exact name in `filename*` (RFC 8187) for names with other characters.
 */
export function attachmentDisposition(filename: string): string {
  assertFilename(filename);
  const fallback = filename.replace(/[^\x20-\x7e]|["%]/g, '_');
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return fallback === filename ? `attachment; filename="${filename}"` : `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
