import { keyedHash } from '../../../shared/crypto/encryption.js';

/** Keyed hashes for equality: the same NIK or NPWP hashes alike in every table and tenant. */
export const identityHash = {
  nik: (nik: string) => keyedHash(nik, 'id.nik'),
  npwp: (npwp: string) => keyedHash(npwp, 'id.npwp'),
  accountNumber: (bankCode: string, accountNumber: string) => keyedHash(`${bankCode}:${accountNumber}`, 'bank.account'),
};

export function last4(digits: string): string {
  return digits.slice(-4);
}

/** "************1234": the length of the value, its last four digits. */
export function masked(last: string | null, length = 16): string | null {
  return last === null ? null : `${'*'.repeat(Math.max(length - last.length, 0))}${last}`;
}
