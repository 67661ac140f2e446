import { text } from 'node:stream/consumers';
import { generateKeyring, parseKeyring } from '../shared/auth/signing-keys.js';

/**
 * `npm run jwt:keyring` prints a new value for the secret jwt-signing-keys. With `-- --rotate`, it reads the
 * current value on stdin and keeps its current key as the second live key, so tokens signed before the
 * rotation stay valid until they expire:
 *   gcloud secrets versions access latest --secret=jwt-signing-keys \
 *     | npm run -s jwt:keyring -- --rotate | gcloud secrets versions add jwt-signing-keys --data-file=-
 */
const rotate = process.argv.includes('--rotate');
const previous = rotate ? (await text(process.stdin)).trim() : undefined;
if (previous !== undefined) parseKeyring(previous);
process.stdout.write(`${await generateKeyring(previous === undefined ? {} : { previous })}\n`);
