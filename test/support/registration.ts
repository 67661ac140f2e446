import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashOpaqueToken } from '../../shared/auth/opaque-token.js';
import { decrypt } from '../../shared/crypto/encryption.js';
import { localObjectStorage, startLocalStorageServer } from '../../shared/storage/local-storage.js';
import { setObjectStorage } from '../../shared/storage/object-storage.js';
import { strict as assert } from 'node:assert';
import { bearer, type SignedInUser } from './auth.js';
import { crm, crmCompany, crmRows, individualBody } from './crm.js';
import { codeOf as codeOfSubject, InvestorBrowser } from './investor-browser.js';
import { leadAt, leadBody } from './leads.js';
import type { RecordingPublisher } from './publisher.js';

/**
 * Helpers of the remote registration tests (functions/crm/remote-registration): draft investors, the emailed
 * link read back from the email event, and a RegistrationBrowser that plays the investor's browser (its
 * cookies, CSRF token and address), uploads the KTP and selfie to local storage and submits.
 */
export const startLink = (token: string, investorId: string) => crm().post(`/crm/investors/${investorId}/remote-registration`).set(bearer(token));

export interface Draft {
  id: string;
  fullName: string;
  email: string | undefined;
  phone: string | undefined;
}

/** A DRAFT individual of the agent: an interested lead converted (as the app does it). */
export async function draftInvestor(agent: SignedInUser, over: Record<string, unknown> = {}): Promise<Draft> {
  const body = leadBody(over);
  const lead = await leadAt(agent.accessToken, 'CONVERTED', body);
  return { id: lead.investorId!, fullName: String(body.fullname), email: body.email as string | undefined, phone: body.phone as string | undefined };
}

export interface EmailedLink {
  token: string;
  tokenId: number;
  url: string;
  data: { template: string; to: string; variables: Record<string, unknown>; secureLink: string; entity: { type: string; id: string } };
}

/** The newest registration email of the investor, its link decrypted as notify does, and the token's row. */
export async function emailedLink(events: RecordingPublisher, investorId: string): Promise<EmailedLink> {
  const message = events.messages.filter((m) => m.topic === 'email.requested' && (m.data as EmailedLink['data']).entity?.id === investorId).at(-1);
  if (!message) throw new Error(`No email for investor ${investorId}`);
  const data = message.data as EmailedLink['data'];
  const url = await decrypt(data.secureLink, 'email.link');
  const token = new URL(url).pathname.split('/').at(-1)!;
  const [row] = await crmRows<{ id: string }>(`select id from investor_token where token_hash = $1::text`, [hashOpaqueToken(token)]);
  if (!row) throw new Error('The emailed token has no row');
  return { token, tokenId: Number(row.id), url, data };
}

/** The agent emails the investor a link; the link as the investor receives it. */
export async function registrationLink(agent: SignedInUser, events: RecordingPublisher, investorId: string): Promise<EmailedLink> {
  const res = await startLink(agent.accessToken, investorId);
  if (res.status !== 202) throw new Error(`remote registration: ${res.status} ${JSON.stringify(res.body)}`);
  return emailedLink(events, investorId);
}

/** The code the investor received for the link: its newest code, decrypted as notify reads it. */
export const codeOf = (tokenId: number) => codeOfSubject(`investor_token:${tokenId}`);

/** The KYC part of a valid registration body (the POST /crm/investors individual body), with the code. */
export function registrationBody(code: string, base = individualBody()) {
  return { code, individual: base.individual, riskProfile: base.riskProfile, bankAccounts: base.bankAccounts };
}

/** Bytes that start like a JPEG. */
export const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);

/** One investor browser on the registration page: its own address, the cookies the page set, its CSRF token. */
export class RegistrationBrowser extends InvestorBrowser {
  constructor(readonly token: string) {
    super();
  }

  open(query = '') {
    return this.openPage(`/crm/links/${this.token}${query}`);
  }

  /** A POST of the page's script to {link}/{path}; `without` leaves out what a forged or foreign request lacks. */
  post(path: 'otp' | 'documents' | 'registration', body: object, without: { cookies?: boolean; csrf?: boolean } = {}) {
    return this.withHeaders(crm().post(`/crm/links/${this.token}/${path}`), without).send(body);
  }

  /** Asks for the code and reads it off the OTT row. */
  async code(tokenId: number): Promise<{ ottId: string; code: string }> {
    const res = await this.post('otp', { lang: 'id' });
    if (res.status !== 202) throw new Error(`code: ${res.status} ${JSON.stringify(res.body)}`);
    return codeOf(tokenId);
  }

  /** Uploads a JPEG of each kind the way the page's script does: the grant, then the PUT to storage. */
  async upload(kinds: Array<'KTP' | 'SELFIE'> = ['KTP', 'SELFIE']): Promise<string[]> {
    const ids: string[] = [];
    for (const kind of kinds) {
      const bytes = jpeg(2048);
      const res = await this.post('documents', { kind, contentType: 'image/jpeg', size: bytes.length });
      if (res.status !== 201) throw new Error(`upload grant: ${res.status} ${JSON.stringify(res.body)}`);
      const { url, method, headers } = res.body.upload as { url: string; method: string; headers: Record<string, string> };
      const put = await fetch(url, { method, headers, body: new Uint8Array(bytes) });
      if (put.status !== 200) throw new Error(`upload: ${put.status} ${await put.text()}`);
      ids.push(res.body.document.id as string);
    }
    return ids;
  }
}

/** A draft's link opened in the investor's browser with a code asked for; by default the KTP and selfie uploaded. */
export async function readyToSubmit(events: RecordingPublisher, o: { upload?: boolean } = {}) {
  const team = await crmCompany();
  const draft = await draftInvestor(team.agent);
  const link = await registrationLink(team.agent, events, draft.id);
  const browser = new RegistrationBrowser(link.token);
  assert.equal((await browser.open()).status, 200);
  if (o.upload ?? true) await browser.upload();
  const { code, ottId } = await browser.code(link.tokenId);
  return { ...team, draft, link, browser, code, ottId };
}

export const ottOf = async (ottId: string) =>
  (await crmRows<{ attempts: number; used_at: Date | null }>(`select attempts, used_at from auth_ott where id = $1::uuid`, [ottId]))[0]!;
export const tokenUsedAt = async (tokenId: number) =>
  (await crmRows<{ used_at: Date | null }>(`select used_at from investor_token where id = $1::bigint`, [tokenId]))[0]!.used_at;
export const investorStatus = async (id: string) => (await crmRows<{ status: string }>(`select status from investor where id = $1::uuid`, [id]))[0]!.status;

/** The code, the link and the investor as they were: a refused submission spent nothing. */
export async function assertNothingSpent(s: { draft: Draft; link: EmailedLink; ottId: string }): Promise<void> {
  assert.deepEqual(await ottOf(s.ottId), { attempts: 0, used_at: null });
  assert.equal(await tokenUsedAt(s.link.tokenId), null);
  assert.equal(await investorStatus(s.draft.id), 'DRAFT');
}

/** Object storage for the suite: the local backend on a socket of its own, as in `npm start`. */
export function localStorageForSuite(): { url: () => string } {
  let dir: string;
  let server: { url: string; close(): Promise<void> } | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmtools-registration-'));
    server = await startLocalStorageServer({ dir });
    setObjectStorage(localObjectStorage({ dir, baseUrl: server.url }));
  });
  after(async () => {
    setObjectStorage(undefined);
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { url: () => server!.url };
}
