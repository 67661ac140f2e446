import type { Queryable } from '../../../shared/db/tx.js';

export const documentKinds = ['KTP', 'SELFIE', 'SIGNATURE_SPECIMEN', 'NPWP', 'DEED', 'OTHER'] as const;
export type DocumentKind = (typeof documentKinds)[number];
export const documentContentTypes = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type DocumentContentType = (typeof documentContentTypes)[number];
/** The largest document accepted (the column's check says the same). */
export const maxDocumentBytes = 10 * 1024 * 1024;

export interface DocumentRecord {
  id: string;
  investorId: string;
  companyId: number;
  kind: DocumentKind;
  contentType: DocumentContentType;
  size: number;
  objectKey: string;
  status: 'PENDING_UPLOAD' | 'UPLOADED';
  uploadedAt: Date | null;
  createdBy: number | null;
  createdAt: Date;
}

interface DocumentRow {
  id: string;
  investor_id: string;
  company_id: string;
  kind: DocumentKind;
  content_type: DocumentContentType;
  size_bytes: number;
  object_key: string;
  status: DocumentRecord['status'];
  uploaded_at: Date | null;
  created_by: string | null;
  created_at: Date;
  created_key: string;
}

const columns = `d.id, d.investor_id, d.company_id, d.kind, d.content_type, d.size_bytes, d.object_key, d.status, d.uploaded_at,
       d.created_by, d.created_at, d.created_at::text as created_key`;

function toRecord(r: DocumentRow): DocumentRecord & { createdKey: string } {
  return {
    id: r.id, investorId: r.investor_id, companyId: Number(r.company_id), kind: r.kind, contentType: r.content_type, size: r.size_bytes,
    objectKey: r.object_key, status: r.status, uploadedAt: r.uploaded_at, createdBy: r.created_by === null ? null : Number(r.created_by),
    createdAt: r.created_at, createdKey: r.created_key,
  };
}

export async function insertDocument(
  q: Queryable,
  d: { id: string; investorId: string; companyId: number; kind: DocumentKind; contentType: DocumentContentType; size: number; objectKey: string },
): Promise<DocumentRecord> {
  const { rows } = await q.query<DocumentRow>(
    `insert into investor_document as d (id, investor_id, company_id, kind, content_type, size_bytes, object_key, created_by)
     values ($1::uuid, $2::uuid, $3::bigint, $4::text, $5::text, $6::int, $7::text, app.user_id())
     returning ${columns}`,
    [d.id, d.investorId, d.companyId, d.kind, d.contentType, d.size, d.objectKey],
  );
  return toRecord(rows[0]!);
}

/** A document of a visible investor (RLS follows the investor's visibility). */
export async function findDocument(q: Queryable, investorId: string, id: string): Promise<DocumentRecord | undefined> {
  const { rows } = await q.query<DocumentRow>(`select ${columns} from investor_document d where d.id = $1::uuid and d.investor_id = $2::uuid`, [id, investorId]);
  return rows[0] && toRecord(rows[0]);
}

/** An investor's newest documents of the given kinds, newest first. */
export async function findLatestDocuments(q: Queryable, investorId: string, kinds: readonly DocumentKind[], limit = 20): Promise<DocumentRecord[]> {
  const { rows } = await q.query<DocumentRow>(
    `select ${columns} from investor_document d
      where d.investor_id = $1::uuid and d.kind = any ($2::text[])
      order by d.created_at desc, d.id desc
      limit $3::int`,
    [investorId, kinds, limit],
  );
  return rows.map(toRecord);
}

export async function markUploaded(q: Queryable, id: string): Promise<DocumentRecord> {
  const { rows } = await q.query<DocumentRow>(
    `update investor_document d set status = 'UPLOADED', uploaded_at = coalesce(d.uploaded_at, now()) where d.id = $1::uuid returning ${columns}`,
    [id],
  );
  return toRecord(rows[0]!);
}

/** An investor's documents, newest first, a page at a time. */
export async function listDocuments(
  q: Queryable,
  investorId: string,
  before: [string, string] | undefined,
  limit: number,
): Promise<Array<DocumentRecord & { createdKey: string }>> {
  const { rows } = await q.query<DocumentRow>(
    `select ${columns} from investor_document d
      where d.investor_id = $1::uuid and ($2::timestamptz is null or (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
      order by d.created_at desc, d.id desc
      limit $4::int`,
    [investorId, before?.[0] ?? null, before?.[1] ?? null, limit],
  );
  return rows.map(toRecord);
}
