import type { Queryable } from '../../../shared/db/tx.js';

export type LinkKind = 'instruction' | 'investor';

/** One emailed link's row (instruction_token or investor_token), named by what it acts on. */
export interface LinkToken {
  kind: LinkKind;
  tokenId: number;
  companyId: number;
  /** The instruction id (signature links) or the investor id (remote registration links). */
  subjectId: string;
  purpose: 'SIGNATURE' | 'REMOTE_REGISTRATION';
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

const tables: Record<LinkKind, { table: string; subject: string }> = {
  instruction: { table: 'instruction_token', subject: 'instruction_id' },
  investor: { table: 'investor_token', subject: 'investor_id' },
};

/** The token row as the tenant sees it; `forUpdate` serialises the requests that would spend it. */
export async function findLinkToken(q: Queryable, kind: LinkKind, tokenId: number, opts: { forUpdate?: boolean } = {}): Promise<LinkToken | undefined> {
  const { table, subject } = tables[kind];
  const { rows } = await q.query<{ id: string; company_id: string; subject_id: string; purpose: LinkToken['purpose']; expires_at: Date; used_at: Date | null; revoked_at: Date | null }>(
    `select id, company_id, ${subject}::text as subject_id, purpose, expires_at, used_at, revoked_at
       from ${table} where id = $1::bigint${opts.forUpdate ? ' for update' : ''}`,
    [tokenId],
  );
  const r = rows[0];
  return (
    r && {
      kind,
      tokenId: Number(r.id),
      companyId: Number(r.company_id),
      subjectId: r.subject_id,
      purpose: r.purpose,
      expiresAt: r.expires_at,
      usedAt: r.used_at,
      revokedAt: r.revoked_at,
    }
  );
}

/** Single use: the decision or the submission spends the link. */
export async function markLinkTokenUsed(q: Queryable, link: Pick<LinkToken, 'kind' | 'tokenId'>): Promise<void> {
  await q.query(`update ${tables[link.kind].table} set used_at = now() where id = $1::bigint and used_at is null`, [link.tokenId]);
}

/** Who the link's codes go to: the investor behind it (directly, or through the instruction). */
export interface LinkRecipient {
  investorId: string;
  fullName: string;
  phone: string | null;
  email: string | null;
}

export async function findLinkRecipient(q: Queryable, link: Pick<LinkToken, 'kind' | 'subjectId'>): Promise<LinkRecipient | undefined> {
  const investorId =
    link.kind === 'investor' ? 'i.id = $1::uuid' : 'i.id = (select n.investor_id from instruction n where n.id = $1::uuid)';
  const { rows } = await q.query<{ id: string; full_name: string; phone: string | null; email: string | null }>(
    `select i.id, i.full_name, i.phone, i.email from investor i where ${investorId}`,
    [link.subjectId],
  );
  const r = rows[0];
  return r && { investorId: r.id, fullName: r.full_name, phone: r.phone, email: r.email };
}
