import { encrypt, decrypt, keyedHash } from '../../../shared/crypto/encryption.js';

/**
 * Where the CRM keeps encrypted personal data (DESIGN §5). Each value is bound (AES-GCM associated data) to
 * its column and its investor, so a ciphertext copied to another row or column does not decrypt. The
 * re-encryption tool (tools/reencrypt-pii.ts) walks this list.
 */
export interface EncryptedColumn {
  table: string;
  /** Columns identifying a row for the update. */
  key: string;
  column: string;
  context: (investorId: string) => string;
}

const bound = (table: string, field: string) => (investorId: string) => `${table}.${field}:${investorId}`;

export const encryptedColumns = {
  nik: { table: 'investor_individual', key: 'investor_id', column: 'nik_enc', context: bound('investor_individual', 'nik') },
  npwp: { table: 'investor_individual', key: 'investor_id', column: 'npwp_enc', context: bound('investor_individual', 'npwp') },
  motherMaidenName: { table: 'investor_individual', key: 'investor_id', column: 'mother_maiden_name_enc', context: bound('investor_individual', 'mother_maiden_name') },
  usTin: { table: 'investor_individual', key: 'investor_id', column: 'us_tin_enc', context: bound('investor_individual', 'us_tin') },
  institutionNpwp: { table: 'investor_institutional', key: 'investor_id', column: 'npwp_enc', context: bound('investor_institutional', 'npwp') },
  authorizedNik: { table: 'investor_authorized_person', key: 'id', column: 'nik_enc', context: bound('investor_authorized_person', 'nik') },
  accountNumber: { table: 'investor_bank_account', key: 'id', column: 'account_number_enc', context: bound('investor_bank_account', 'account_number') },
} as const satisfies Record<string, EncryptedColumn>;

export type EncryptedField = keyof typeof encryptedColumns;

export function seal(field: EncryptedField, investorId: string, value: string): Promise<string> {
  return encrypt(value, encryptedColumns[field].context(investorId));
}

export async function unseal(field: EncryptedField, investorId: string, value: string | null): Promise<string | null> {
  return value === null ? null : decrypt(value, encryptedColumns[field].context(investorId));
}

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
