import { strict as assert } from 'node:assert';
import type { InstructionView } from '../../functions/crm/instructions/instruction.view.js';
import { productsCacheKey, refreshProductCatalogue } from '../../shared/bib/catalogue.js';
import type { BibProduct } from '../../shared/bib/contract.js';
import { processCache } from '../../shared/cache/cached.js';
import { seedProducts } from '../../tools/bib-simulator/catalogue.js';
import { resetTestBib, testBib } from './bib.js';
import { bearer, freshIp, signIn, type SignedInUser } from './auth.js';
import { approvedIndividual, crm, individualBody, riskAnswers } from './crm.js';
import { validLicence } from './idty.js';
import { asSuperAdmin, createCompany } from './owner.js';

/** Helpers of the instruction tests (functions/crm/instructions): the routes, a licensed team, approved investors. */
export type Instruction = InstructionView;
type Query = Record<string, string | number>;

/** Each call from an address of its own, unless the test names one (the audit trail records it). */
export const instructionApi = {
  create: (token: string, body: object, ip = freshIp()) => crm().post('/crm/instructions').set('X-Forwarded-For', ip).set(bearer(token)).send(body),
  list: (token: string, query: Query = {}) => crm().get('/crm/instructions').set(bearer(token)).query(query),
  get: (token: string, id: string) => crm().get(`/crm/instructions/${id}`).set(bearer(token)),
  cancel: (token: string, id: string, body?: object, ip = freshIp()) => {
    const req = crm().post(`/crm/instructions/${id}/cancel`).set('X-Forwarded-For', ip).set(bearer(token));
    return body === undefined ? req : req.send(body);
  },
  resend: (token: string, id: string, ip = freshIp()) => crm().post(`/crm/instructions/${id}/resend-link`).set('X-Forwarded-For', ip).set(bearer(token)),
};

export interface InstructionTeam {
  company: { id: number; code: string; name: string };
  /** An RM with a valid WAPERD licence. */
  agent: SignedInUser;
  admin: SignedInUser;
}

/** A fresh company with a licensed, signed-in RM and an admin. */
export async function instructionTeam(): Promise<InstructionTeam> {
  const company = await createCompany();
  const agent = await signIn({ companyId: company.id, licence: validLicence });
  const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
  return { company, agent, admin };
}

export type RiskCategory = 'CONSERVATIVE' | 'MODERATE' | 'AGGRESSIVE';

/** An approved individual of the agent with the given risk profile (set in SQL: the questionnaire has no middle answer). */
export async function approvedInvestor(agent: SignedInUser, admin: SignedInUser, category: RiskCategory = 'AGGRESSIVE') {
  const body = { ...individualBody(), riskProfile: riskAnswers(category === 'CONSERVATIVE' ? 'low' : 'high') };
  const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken, body);
  if (category === 'MODERATE') await asOwner(`update investor set risk_category = 'MODERATE' where id = $1::uuid`, [investor.id]);
  const [account] = await asOwner<{ id: string }>(`select id from investor_bank_account where investor_id = $1::uuid order by id`, [investor.id]);
  return { id: investor.id, bankAccountId: Number(account!.id), email: body.individual.email, fullName: body.individual.fullName };
}

/** A valid subscription body: 1,500,000 IDR of the money-market fund (risk 1, suits everyone). */
export function subscriptionBody(investorId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { investorId, type: 'SUBSCRIPTION', productCode: 'MMF-KAS', amount: '1500000', ...over };
}

/** Bib's catalogue (the simulator's) becomes the seed funds plus `extra`, and the cache holds it now. */
export async function setCatalogue(extra: BibProduct[]): Promise<void> {
  testBib().setProducts([...seedProducts(), ...extra]);
  await refreshProductCatalogue();
}

/** The simulator as it started (seed catalogue, no faults) and no cached catalogue: the next read loads it. */
export async function resetCatalogue(): Promise<void> {
  resetTestBib();
  await processCache().forget(productsCacheKey);
}

export async function createInstruction(token: string, body: Record<string, unknown>): Promise<Instruction> {
  const res = await instructionApi.create(token, body);
  assert.equal(res.status, 201, `create instruction: ${JSON.stringify(res.body)}`);
  return res.body as Instruction;
}

/** Statements as the owner with the super-admin setting (the CRM tables are under FORCE'd RLS). */
export async function asOwner<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<R[]> {
  return asSuperAdmin(async (c) => (await c.query<R>(sql, values)).rows);
}

export type TokenRow = {
  id: number;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
};

/** The instruction's signature links, oldest first. */
export async function tokensOf(instructionId: string): Promise<TokenRow[]> {
  const rows = await asOwner<Omit<TokenRow, 'id'> & { id: string }>(
    `select id, token_hash, expires_at, used_at, revoked_at from instruction_token where instruction_id = $1::uuid order by id`,
    [instructionId],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** A link is live when a page would accept it: not used, not revoked, not expired. */
export async function liveTokenHashes(instructionId: string): Promise<string[]> {
  const rows = await asOwner<{ token_hash: string }>(
    `select token_hash from instruction_token where instruction_id = $1::uuid and used_at is null and revoked_at is null and expires_at > now()`,
    [instructionId],
  );
  return rows.map((r) => r.token_hash);
}

export type AuditRow = { action_name: string; actor_id: number | null; before: Record<string, unknown> | null; after: Record<string, unknown> | null };

/** The audit trail of one instruction, oldest first. */
export async function instructionTrail(id: string): Promise<AuditRow[]> {
  const rows = await asOwner<AuditRow & { actor_id: string | null }>(
    `select action_name, actor_id, prev_entity_value as before, new_entity_value as after
       from auth_user_action_log where entity = 'instruction' and entity_id = $1::text order by id`,
    [id],
  );
  return rows.map((r) => ({ ...r, actor_id: r.actor_id === null ? null : Number(r.actor_id) }));
}
