import { randomUUID, type Hash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The local object store's files: `<dir>/<key>` holds the data, `<dir>/.meta/<key>.json` its metadata, and
 * both are written through temporary files in `<dir>/.tmp` renamed into place.
 */
export interface Metadata {
  contentType: string;
  size: number;
  md5: string;
  uploadedAt: string;
}

export const dataPath = (dir: string, key: string) => join(dir, ...key.split('/'));
const metaPath = (dir: string, key: string) => `${join(dir, '.meta', ...key.split('/'))}.json`;

export async function readMetadata(dir: string, key: string): Promise<Metadata | null> {
  try {
    return JSON.parse(await readFile(metaPath(dir, key), 'utf8')) as Metadata;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}

async function writeAtomically(target: string, tmp: string, write: (path: string) => Promise<void>): Promise<void> {
  try {
    await write(tmp);
    await mkdir(dirname(target), { recursive: true });
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
}

export class NameClash extends Error {}

/**
 * Writes an object's data, then its metadata, each to a temporary file renamed into place: the object exists
 * (stat, GET) only once it is complete. `md5` is the hash `writeData` fed.
 */
export async function writeObject(dir: string, key: string, contentType: string, writeData: (tmp: string) => Promise<void>, md5: Hash): Promise<Metadata> {
  const tmpDir = join(dir, '.tmp');
  await mkdir(tmpDir, { recursive: true });
  let size = 0;
  await writeAtomically(dataPath(dir, key), join(tmpDir, randomUUID()), async (tmp) => {
    await writeData(tmp);
    size = (await stat(tmp)).size;
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOTDIR' || err.code === 'EISDIR' || err.code === 'EEXIST') {
      throw new NameClash('The object name clashes with another object (a name is used both as an object and as a folder).');
    }
    throw err;
  });
  const meta: Metadata = { contentType, size, md5: md5.digest('base64'), uploadedAt: new Date().toISOString() };
  await writeAtomically(metaPath(dir, key), join(tmpDir, randomUUID()), (tmp) => writeFile(tmp, JSON.stringify(meta), { flag: 'wx' }));
  return meta;
}

