import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { localClient, Json } from '../../support/local-client.js';
import { individualBody } from '../../support/crm.js';
import { validLicence } from '../../support/idty.js';
import { userWithTrustedDevice } from '../../support/auth.js';
import { asSuperAdmin } from '../../support/owner.js';
import { uniqueContact } from '../../support/users.js';

/**
 * The people and records the browser flows need, made through the running stack as the apps make them: the
 * demo admin, a licensed RM agent, an approved investor, an instruction and its emailed link, a draft
 * investor invited to register remotely.
 */
export type Client = ReturnType<typeof localClient>;

export interface Agent {
  id: number;
  token: string;
}

export interface Investor {
  id: string;
  fullName: string;
  email: string;
  phone: string;
}

/**
 * An admin of the demo company of its own (a trusted device, so signing in takes no code), and a licensed
 * agent, made once for all the browser suites (the stacks share the run's database and JWT keys). Not the
 * demo admin: each of its sign-ins from a new browser emails a code, and the hourly per-address code cap is
 * shared with the other suites that use it.
 */
let team: Promise<{ admin: string; agent: Agent }> | undefined;
export function demoTeam(c: Client): Promise<{ admin: string; agent: Agent }> {
  team ??= (async () => {
    const { companyId } = (await c.demoCredentials()).admin;
    const user = await userWithTrustedDevice({ companyId: companyId as number, role: 'ADMIN' });
    const login = await c.call('POST', '/auth/login', { identifier: user.email, password: user.password, deviceId: user.deviceId });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const admin = login.body.accessToken as string;
    return { admin, agent: await licensedAgent(c, admin) };
  })();
  team.catch(() => (team = undefined));
  return team;
}

/** An RM agent who registered, has a valid WAPERD licence on record and was approved by the admin. */
export async function licensedAgent(c: Client, admin: string): Promise<Agent> {
  const { companyId } = (await c.demoCredentials()).admin;
  const { email, phone } = uniqueContact();
  const password = 'kopi susu gula aren';
  const deviceId = `rm-phone-${randomBytes(4).toString('hex')}`;
  const since = new Date().toISOString();
  const reg = await c.call('POST', '/auth/register', { companyId, fullname: 'Sari Agen', email, phone, password, deviceId, platform: 'ANDROID' });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  await c.call('POST', '/auth/verify-otp', { ottId: reg.body.otp.ottId, code: await c.codeSentTo(phone, since) });
  const url = `/idty/users/${reg.body.userId as number}`;
  assert.equal((await c.call('PUT', url, { licence: validLicence }, admin)).status, 200);
  assert.equal((await c.call('PATCH', `${url}/approveOrReject`, { decision: 'APPROVE' }, admin)).status, 200);
  const login = await c.call('POST', '/auth/login', { identifier: email, password, deviceId });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { token: login.body.accessToken as string, id: reg.body.userId as number };
}

/** An individual investor of the agent with a phone and an email, KYC submitted and approved by the admin. */
export async function approvedInvestor(c: Client, agent: Agent, admin: string): Promise<Investor> {
  const body = individualBody({ fullName: 'Budi Santoso' });
  const submitted = await c.call('POST', '/crm/investors', body, agent.token);
  assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
  const decided = await c.call('PATCH', '/crm/investors', { ids: [submitted.body.id], decision: 'APPROVE' }, admin);
  assert.equal(decided.body.items?.[0]?.status, 'APPROVED', JSON.stringify(decided.body));
  return { id: submitted.body.id as string, fullName: body.individual.fullName, email: body.individual.email, phone: body.individual.phone };
}

/** The emailed investor link (the sink's email to `to` after `since`). */
export async function emailedLink(c: Client, to: string, since: string): Promise<string> {
  const mail = await c.messageTo(to, since, /\/crm\/links\//);
  const link = mail.links.find((l) => /\/crm\/links\/[^/?#]+$/.test(new URL(l).pathname));
  assert.ok(link, `no investor link in ${JSON.stringify(mail)}`);
  return link;
}

/** A 1,000,000 IDR subscription of the money-market fund (risk 1: suits everyone) and its signature link. */
export async function instructionWithLink(c: Client, agent: Agent, investor: Investor): Promise<{ instruction: Json; link: string }> {
  const since = new Date().toISOString();
  const created = await c.call('POST', '/crm/instructions', { investorId: investor.id, type: 'SUBSCRIPTION', productCode: 'MMF-KAS', amount: '1000000' }, agent.token);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.status, 'PENDING_SIGNATURE');
  return { instruction: created.body, link: await emailedLink(c, investor.email, since) };
}

export async function instructionStatus(c: Client, agent: Agent, id: string): Promise<string> {
  const res = await c.call('GET', `/crm/instructions/${id}`, undefined, agent.token);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.status as string;
}

/** The instruction's link ran out a minute ago (as the DB owner: the CRM tables are under forced RLS). */
export async function expireInstructionLink(instructionId: string): Promise<void> {
  await asSuperAdmin(async (db) => {
    await db.query(`update instruction_token set expires_at = now() - interval '1 minute' where instruction_id = $1::uuid`, [instructionId]);
    await db.query(`update instruction set link_expires_at = now() - interval '1 minute' where id = $1::uuid`, [instructionId]);
  });
}

/** The newest six-digit code sent to any of `to` (the investor's phone, or email without one) after `since`. */
export async function codeSentToAny(c: Client, to: string[], since: string): Promise<string> {
  const wanted = new Set(to.map((t) => t.toLowerCase()));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { body } = await c.call('GET', `/_dev/messages?since=${encodeURIComponent(since)}`);
    const found = (body.items as Array<{ to: string; text: string }>).find((m) => wanted.has(m.to.toLowerCase()) && /\b\d{6}\b/.test(m.text));
    if (found) return /\b(\d{6})\b/.exec(found.text)![1]!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No code reached ${to.join(' or ')}`);
}

/** The RM's inbox has a notification of `type` (the push's record, GET /auth/notifications). */
export async function waitForNotification(c: Client, agent: Agent, type: string): Promise<Json> {
  const deadline = Date.now() + 10_000;
  let items: Json[] = [];
  while (Date.now() < deadline) {
    items = (await c.call('GET', '/auth/notifications', undefined, agent.token)).body.items ?? [];
    const found = items.find((n) => n.type === type);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the RM has no ${type} notification: ${JSON.stringify(items)}`);
}

/** A lead worked to INTERESTED and converted: a DRAFT investor with the lead's phone and email. */
export async function draftInvestor(c: Client, agent: Agent): Promise<Investor> {
  const { email, phone } = uniqueContact();
  const fullName = 'Dewi Lestari';
  const lead = await c.call('POST', '/crm/leads', { fullname: fullName, phone, email, source: 'referral' }, agent.token);
  assert.equal(lead.status, 201, JSON.stringify(lead.body));
  for (const status of ['CONTACTED', 'INTERESTED']) {
    const moved = await c.call('PUT', `/crm/leads/${lead.body.id as number}`, { status }, agent.token);
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
  }
  const converted = await c.call('POST', `/crm/leads/${lead.body.id as number}/convert`, undefined, agent.token);
  assert.equal(converted.body.investor?.status, 'DRAFT', JSON.stringify(converted.body));
  return { id: converted.body.investor.id as string, fullName, email, phone };
}

/** The agent invites the draft investor to register remotely; the emailed link. */
export async function remoteRegistrationLink(c: Client, agent: Agent, investor: Investor): Promise<string> {
  const since = new Date().toISOString();
  const invited = await c.call('POST', `/crm/investors/${investor.id}/remote-registration`, undefined, agent.token);
  assert.ok(invited.status === 200 || invited.status === 201 || invited.status === 202, `remote registration: ${invited.status} ${JSON.stringify(invited.body)}`);
  return emailedLink(c, investor.email, since);
}

/** Opens a link; the answer's status. */
export async function open(page: Page, url: string): Promise<number> {
  const res = await page.goto(url, { waitUntil: 'load' });
  assert.ok(res, `no answer for ${url}`);
  return res.status();
}

/** Draws a signature on the canvas with the mouse (pointer events): two strokes across the pad. */
export async function drawSignature(page: Page, selector = '#signature-pad'): Promise<void> {
  const pad = page.locator(selector);
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  assert.ok(box, 'the signature pad is not visible');
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  const strokes: Array<Array<[number, number]>> = [
    [[0.1, 0.7], [0.2, 0.3], [0.3, 0.65], [0.4, 0.25], [0.5, 0.7]],
    [[0.55, 0.5], [0.65, 0.35], [0.75, 0.6], [0.85, 0.4], [0.9, 0.55]],
  ];
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    await page.mouse.move(...at(...first!));
    await page.mouse.down();
    for (const point of rest) await page.mouse.move(...at(...point), { steps: 6 });
    await page.mouse.up();
  }
}
