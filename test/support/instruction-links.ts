import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newOpaqueToken } from '../../shared/auth/opaque-token.js';
import { signIn, type SignedInUser } from './auth.js';
import { approvedIndividual, crm, crmRows, individualBody } from './crm.js';
import { validLicence } from './idty.js';
import { codeOf as codeOfSubject, InvestorBrowser } from './investor-browser.js';
import { createCompany } from './owner.js';
import { pngBytes, pngDataUrl } from './png.js';
import { localObjectStorage, startLocalStorageServer } from '../../shared/storage/local-storage.js';
import { setObjectStorage, type ObjectStorage } from '../../shared/storage/object-storage.js';
import { seedProducts } from '../../tools/bib-simulator/catalogue.js';

/**
 * The investor's side of an instruction, without the RM's create route: instructions and their links are
 * written in SQL as the owner (as A's create would leave them), and a LinkBrowser plays the investor's
 * browser: it opens the page, keeps its cookies and CSRF token, asks for codes and decides.
 */
export interface LinkTeam {
  company: { id: number };
  agent: SignedInUser;
  admin: SignedInUser;
  investor: { id: string; fullName: string; email: string; phone: string; bankAccountId: number };
}

export async function linkTeam(fullName = 'Budi Santoso'): Promise<LinkTeam> {
  const company = await createCompany();
  const agent = await signIn({ companyId: company.id, licence: validLicence });
  const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
  return withNewInvestor({ company, agent, admin }, fullName);
}

/**
 * The team with another approved investor of its agent: a phone of its own, so the hourly cap of codes to one
 * phone (OTP_HOURLY_CAP) does not run out over a suite's links.
 */
export async function withNewInvestor(team: Omit<LinkTeam, 'investor'>, fullName = 'Budi Santoso'): Promise<LinkTeam> {
  const body = individualBody({ fullName });
  const { investor } = await approvedIndividual(team.agent.accessToken, team.admin.accessToken, body);
  const [account] = await crmRows<{ id: string }>(`select id from investor_bank_account where investor_id = $1::uuid order by id`, [investor.id]);
  return {
    ...team,
    investor: { id: investor.id, fullName, email: body.individual.email, phone: body.individual.phone, bankAccountId: Number(account!.id) },
  };
}

export interface InstructionSpec {
  type?: 'SUBSCRIPTION' | 'REDEMPTION' | 'SWITCHING';
  productCode?: string;
  targetProductCode?: string | null;
  amount?: string | null;
  units?: string | null;
  bankAccountId?: number | null;
  feePct?: string | null;
  suitability?: Record<string, unknown>;
}

export const suitable = { productRiskLevel: 1, investorRiskProfile: 'CONSERVATIVE', maxRiskLevel: 2, suitable: true };

export interface BuiltInstruction {
  id: string;
  token: string;
  tokenId: number;
}

/** The fund details an instruction keeps: those of the simulator's seed catalogue. */
const seed = new Map(seedProducts().map((p) => [p.code, p]));
const fund = (code: string | null) => {
  const p = code === null ? undefined : seed.get(code);
  return [code === null ? null : (p?.name ?? code), p?.productHouse ?? null, p?.type ?? null, p?.riskLevel ?? null] as const;
};

/** A PENDING_SIGNATURE instruction of the team's agent with a live link (24 hours); by default 1.5 million IDR of MMF-KAS. */
export async function pendingInstruction(team: LinkTeam, spec: InstructionSpec = {}): Promise<BuiltInstruction> {
  const productCode = spec.productCode ?? 'MMF-KAS';
  const targetProductCode = spec.targetProductCode ?? null;
  const [row] = await crmRows<{ id: string }>(
    `insert into instruction (company_id, investor_id, agent_id, type, product_code, product_name, target_product_code, target_product_name,
        amount, units, bank_account_id, fee_pct, suitability, link_expires_at, created_by,
        product_house, product_type, product_risk_level, target_product_house, target_product_type, target_product_risk_level)
     values ($1::bigint, $2::uuid, $3::bigint, $4::text, $5::text, $6::text, $7::text, $8::text, $9::numeric, $10::numeric, $11::bigint,
             $12::numeric, $13::jsonb, now() + interval '24 hours', $3::bigint, $14::text, $15::text, $16::int, $17::text, $18::text, $19::int)
     returning id`,
    [
      team.company.id, team.investor.id, team.agent.id, spec.type ?? 'SUBSCRIPTION', productCode, fund(productCode)[0], targetProductCode,
      fund(targetProductCode)[0], spec.amount === undefined ? '1500000.00' : spec.amount, spec.units ?? null, spec.bankAccountId ?? null,
      spec.feePct ?? null, JSON.stringify(spec.suitability ?? suitable), ...fund(productCode).slice(1), ...fund(targetProductCode).slice(1),
    ],
  );
  return { id: row!.id, ...(await newLink(team.company.id, 'instruction', row!.id)) };
}

/** A fresh link of an instruction (signature) or an investor (remote registration); earlier ones stay as they are. */
export async function newLink(companyId: number, kind: 'instruction' | 'investor', subjectId: string): Promise<{ token: string; tokenId: number }> {
  const { token, hash } = newOpaqueToken();
  const table = kind === 'instruction' ? 'instruction_token (company_id, instruction_id' : 'investor_token (company_id, investor_id';
  const [row] = await crmRows<{ id: string }>(
    `insert into ${table}, token_hash, expires_at) values ($1::bigint, $2::uuid, $3::text, now() + interval '24 hours') returning id`,
    [companyId, subjectId, hash],
  );
  return { token, tokenId: Number(row!.id) };
}

/** Puts an instruction link into a closed state. */
export async function closeLink(tokenId: number, state: 'used' | 'expired' | 'revoked'): Promise<void> {
  const set = { used: 'used_at = now()', expired: `expires_at = now() - interval '1 minute'`, revoked: 'revoked_at = now()' }[state];
  await crmRows(`update instruction_token set ${set} where id = $1::bigint`, [tokenId]);
}

/** The code the investor received: the link's newest code, decrypted as notify reads it. */
export const codeOf = (tokenId: number) => codeOfSubject(`instruction_token:${tokenId}`);

/** One investor browser on an instruction's signature page. */
export class LinkBrowser extends InvestorBrowser {
  open(token: string, query = '') {
    return this.openPage(`/crm/links/${token}${query}`);
  }

  requestCode(token: string, body: object = { lang: 'id' }) {
    return this.withHeaders(crm().post(`/crm/links/${token}/otp`)).send(body);
  }

  decide(body: object) {
    return this.withHeaders(crm().patch('/crm/instructions/signature')).send(body);
  }
}

/** A fresh browser that opened the link's page (its session and CSRF cookies set). */
export async function openedBrowser(token: string): Promise<LinkBrowser> {
  const browser = new LinkBrowser();
  await browser.open(token);
  return browser;
}

/** Opens the page, asks for a code and reads it: what an investor does before deciding. */
export async function browserWithCode(link: { token: string; tokenId: number }, lang: 'id' | 'en' = 'id'): Promise<{ browser: LinkBrowser; code: string; ottId: string }> {
  const browser = new LinkBrowser();
  const page = await browser.open(link.token, lang === 'en' ? '?lang=en' : '');
  if (page.status !== 200) throw new Error(`page: ${page.status}`);
  const sent = await browser.requestCode(link.token, { lang });
  if (sent.status !== 202) throw new Error(`code: ${sent.status} ${JSON.stringify(sent.body)}`);
  return { browser, ...(await codeOf(link.tokenId)) };
}

/** Opens the page, asks for a code and decides: APPROVE with a drawn PNG, or REJECT with a reason. */
export async function decideThroughLink(link: { token: string; tokenId: number }, decision: 'APPROVE' | 'REJECT', png = pngBytes()) {
  const { browser, code } = await browserWithCode(link);
  const part = decision === 'APPROVE' ? { signature: pngDataUrl(png) } : { reason: 'Bukan transaksi saya' };
  const res = await browser.decide({ token: link.token, code, decision, ...part });
  if (res.status !== 200) throw new Error(`decide: ${res.status} ${JSON.stringify(res.body)}`);
  return { browser, body: res.body as { status: string; documentHash: string } };
}

/** Local object storage on a socket of its own for the suite (signatures are written and read back through it). */
export function useLocalStorage(): { storage(): ObjectStorage } {
  let dir: string;
  let server: { url: string; close(): Promise<void> };
  let storage: ObjectStorage;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmtools-signatures-'));
    server = await startLocalStorageServer({ dir });
    storage = localObjectStorage({ dir, baseUrl: server.url });
    setObjectStorage(storage);
  });
  after(async () => {
    setObjectStorage(undefined);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { storage: () => storage };
}
