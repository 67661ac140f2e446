import { decrypt, encrypt } from './encryption.js';

/**
 * Where investors' encrypted personal data is kept (DESIGN §5): crm writes and reveals it, bib-sync decrypts it
 * for Bib. Each value is bound (AES-GCM associated data) to its column and its investor, so a ciphertext copied
 * to another row or column does not decrypt. The re-encryption tool (tools/reencrypt-pii.ts) walks this list.
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
