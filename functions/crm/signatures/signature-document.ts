import { z } from 'zod';
import type { Queryable } from '../../../shared/db/tx.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { findSignatureSource, type SignatureSource } from './signature.repo.js';

/**
 * The instruction "as shown" to the investor: what the signing page lists, built from the database the same
 * way for the page and for the decision. The investor's approval covers exactly this object; the evidence
 * keeps it with the SHA-256 of its canonical JSON, so a later change to the instruction, a product or the
 * investor cannot change what was signed. Only plain data: no ids of people, no full account number.
 */
const productSchema = z.object({
  code: z.string(),
  /** As it was when the instruction was made. */
  name: z.string(),
  /** As Bib's catalogue listed the fund when the instruction was made (null only on rows made before that was kept). */
  productHouse: z.string().nullable(),
  type: z.string().nullable(),
  riskLevel: z.number().int().nullable(),
});

const decimal = z.string().regex(/^\d+\.\d+$/);

export const signatureDocumentSchema = z.object({
  instructionId: z.uuid(),
  type: z.enum(['SUBSCRIPTION', 'REDEMPTION', 'SWITCHING']),
  investorName: z.string(),
  product: productSchema,
  /** The product switched into (SWITCHING), else null. */
  targetProduct: productSchema.nullable(),
  /** IDR, two decimals. */
  amount: decimal.nullable(),
  /** Four decimals. */
  units: decimal.nullable(),
  /** Where a redemption is paid: the bank and the last four digits only. */
  bankAccount: z.object({ bankName: z.string(), accountNumberLast4: z.string() }).nullable(),
  feePct: decimal.nullable(),
  /** The fee on the amount in IDR (amount × feePct / 100, rounded to cents); null for units or an unknown fee. */
  estimatedFee: decimal.nullable(),
  suitability: z.object({
    productRiskLevel: z.number().int(),
    investorRiskProfile: z.string(),
    maxRiskLevel: z.number().int(),
    suitable: z.boolean(),
    /** The statement the investor acknowledges by signing, when the product is above the profile. */
    acknowledgement: z.object({ statement: z.object({ id: z.string(), en: z.string() }), version: z.string() }).nullable(),
  }),
  agentName: z.string(),
  createdAt: z.string(),
  linkExpiresAt: z.string(),
});
export type SignatureDocument = z.infer<typeof signatureDocumentSchema>;

interface StoredSuitability {
  productRiskLevel: number;
  investorRiskProfile: string;
  maxRiskLevel: number;
  suitable: boolean;
  acknowledgement?: { statement: { id: string; en: string }; version: string };
}

export function signatureDocument(s: SignatureSource): SignatureDocument {
  const suitability = s.suitability as unknown as StoredSuitability;
  const ack = suitability.acknowledgement;
  return {
    instructionId: s.id,
    type: s.type,
    investorName: s.investorName,
    product: s.product,
    targetProduct: s.targetProduct,
    amount: s.amount,
    units: s.units,
    bankAccount: s.bankAccount,
    feePct: s.feePct,
    estimatedFee: s.estimatedFee,
    suitability: {
      productRiskLevel: suitability.productRiskLevel,
      investorRiskProfile: suitability.investorRiskProfile,
      maxRiskLevel: suitability.maxRiskLevel,
      suitable: suitability.suitable,
      // Who recorded it and when stay in the instruction: the investor signs the words, not our bookkeeping.
      acknowledgement: ack ? { statement: { id: ack.statement.id, en: ack.statement.en }, version: ack.version } : null,
    },
    agentName: s.agentName,
    createdAt: s.createdAt.toISOString(),
    linkExpiresAt: s.linkExpiresAt.toISOString(),
  };
}

export function documentHash(document: SignatureDocument): string {
  return sha256Hex(canonicalJson(document));
}

export interface LoadedDocument {
  source: SignatureSource;
  document: SignatureDocument;
  hash: string;
}

/** The instruction's document and hash as the caller's transaction sees them; `forUpdate` locks the instruction. */
export async function loadSignatureDocument(q: Queryable, instructionId: string, opts: { forUpdate?: boolean } = {}): Promise<LoadedDocument | undefined> {
  const source = await findSignatureSource(q, instructionId, opts);
  if (!source) return undefined;
  const document = signatureDocument(source);
  return { source, document, hash: documentHash(document) };
}
