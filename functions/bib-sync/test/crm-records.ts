import { randomUUID } from 'node:crypto';
import type { BibInvestorCreate, BibOrderCreate } from '../../../shared/bib/contract.js';
import { crmRows, decideInvestors, submitInstitutional } from '../../../test/support/crm.js';

/** Records the CRM wrote (through its routes, so personal data is sealed by the CRM's own code) and what the sync sent for them. */

export interface SignedInstruction {
  investorId: string;
  type?: 'SUBSCRIPTION' | 'REDEMPTION';
  productCode?: string;
  /** For a redemption: units from this account. */
  bankAccountId?: number;
}

/** A SIGNED instruction as the signing flow leaves it (sync PENDING), written as the owner. */
export async function signedInstruction(s: SignedInstruction): Promise<string> {
  const id = randomUUID();
  const redemption = s.type === 'REDEMPTION';
  await crmRows(
    `insert into instruction (id, company_id, investor_id, agent_id, type, product_code, product_name, amount, units, bank_account_id,
        suitability, status, link_expires_at, signed_at, sync_status)
     select $1::uuid, v.company_id, v.id, v.agent_id, $3::text, $4::text, 'Dana Kas Likuid',
            case when $5::boolean then null else 1500000 end, case when $5::boolean then 10.5 end, $6::bigint,
            '{"suitable": true}'::jsonb, 'SIGNED', now() + interval '1 day', now(), 'PENDING'
       from investor v where v.id = $2::uuid`,
    [id, s.investorId, s.type ?? 'SUBSCRIPTION', s.productCode ?? 'MMF-KAS', redemption, s.bankAccountId ?? null],
  );
  return id;
}

export async function approvedInstitution(agentToken: string, adminToken: string) {
  const { investor, body } = await submitInstitutional(agentToken);
  const res = await decideInvestors(adminToken, { ids: [investor.id], decision: 'APPROVE' });
  if (res.status !== 200) throw new Error(`approve failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { investor, body };
}

export type SyncRow = {
  status: string;
  external_id: string | null;
  sync_status: string;
  sync_attempts: number;
  sync_error: string | null;
  sync_next_at: Date | null;
  sync_claimed_until: Date | null;
};

export async function syncRow(table: 'investor' | 'instruction', id: string): Promise<SyncRow> {
  const [row] = await crmRows<SyncRow>(
    `select status, external_id, sync_status, sync_attempts, sync_error, sync_next_at, sync_claimed_until from ${table} where id = $1::uuid`,
    [id],
  );
  return row!;
}

export interface Sent {
  investors: BibInvestorCreate[];
  orders: BibOrderCreate[];
}

/**
 * A fetch for the client that keeps the bodies of create calls (what Bib was sent) and may act just before one
 * goes out (`beforeCreate`), e.g. an admin linking the investor by hand while its push is in flight.
 */
export function recordingFetch(sent: Sent, beforeCreate?: (kind: 'investor' | 'order', body: { clientRef: string }) => Promise<void>): typeof fetch {
  return async (input, init) => {
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
    const kind = init?.method === 'POST' ? (path === '/partner/v1/investors' ? 'investor' : path === '/partner/v1/orders' ? 'order' : undefined) : undefined;
    if (kind) {
      const body = JSON.parse(String(init!.body));
      if (kind === 'investor') sent.investors.push(body);
      else sent.orders.push(body);
      await beforeCreate?.(kind, body);
    }
    return fetch(input, init);
  };
}
