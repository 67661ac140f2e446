import type { Tx } from '../../../shared/db/tx.js';
import type { Locale } from '../email/layout.js';

export interface OttForDelivery {
  id: string;
  companyId: number;
  purpose: string;
  channel: 'SMS' | 'EMAIL';
  destination: string;
  codeEncrypted: string | null;
  locale: Locale;
  expiresAt: Date;
  usedAt: Date | null;
}

/** Locks the row so a concurrent resend cannot swap the code while it is being sent. */
export async function findOttForDelivery(tx: Tx, id: string): Promise<OttForDelivery | undefined> {
  const { rows } = await tx.query<{
    id: string;
    company_id: number;
    purpose: string;
    channel: 'SMS' | 'EMAIL';
    destination: string;
    code_encrypted: string | null;
    locale: Locale;
    expires_at: Date;
    used_at: Date | null;
  }>(
    `select id, company_id, purpose, channel, destination, code_encrypted, locale, expires_at, used_at
       from auth_ott where id = $1::uuid for update`,
    [id],
  );
  const r = rows[0];
  return r && {
    id: r.id,
    companyId: r.company_id,
    purpose: r.purpose,
    channel: r.channel,
    destination: r.destination,
    codeEncrypted: r.code_encrypted,
    locale: r.locale,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

/** The code is wiped once it left (or can never leave); only its hash stays, for verification. */
export async function markOttDelivered(tx: Tx, id: string, delivered = true): Promise<void> {
  await tx.query(`update auth_ott set code_encrypted = null, delivered_at = case when $2::boolean then now() end where id = $1::uuid`, [id, delivered]);
}
