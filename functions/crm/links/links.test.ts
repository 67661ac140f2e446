import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { newOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { maskPhone } from '../../../shared/mask.js';
import { auth, recordEvents } from '../../../test/support/auth.js';
import { crm, crmRows } from '../../../test/support/crm.js';
import { captureLogs } from '../../../test/support/logs.js';
import { closeLink, codeOf, LinkBrowser, linkTeam, newLink, openedBrowser, pendingInstruction, withNewInvestor, type LinkTeam } from '../../../test/support/instruction-links.js';
import { linkSessionCookie, linkSessionDevice } from './link-session.js';

/**
 * The investor link infrastructure (GET /crm/links/{token}, POST /crm/links/{token}/otp): closed pages, the
 * page's cookies, CSRF and CSP, the step-up code bound to the browser session, its cooldown and hourly cap,
 * and a token that never reaches the logs.
 */
const cookiesOf = (res: { headers: Record<string, unknown> }) => (res.headers['set-cookie'] as string[] | undefined) ?? [];
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

function assertCalmHtml(res: { status: number; text: string; headers: Record<string, string> }, status: number, reason: string) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers['content-type']!, /^text\/html; charset=utf-8/);
  assert.match(res.headers['content-security-policy']!, /^default-src 'none'; .*frame-ancestors 'none'/);
  assert.ok(res.text.includes(`<section id="closed" data-reason="${reason}">`), res.text);
  assert.doesNotMatch(res.text, /<script|Error|\.ts:\d+|\bat \w+ \(/);
  assert.equal(res.headers['set-cookie'], undefined, 'a closed page starts no session');
}

describe('crm: investor links', () => {
  const events = recordEvents();
  let team: LinkTeam;
  before(async () => {
    team = await linkTeam();
  });

  describe('GET /crm/links/{token}', () => {
    it('answers an unknown or malformed token with the calm 404 page under the strict CSP', async () => {
      for (const token of [newOpaqueToken().token, 'abc', `${newOpaqueToken().token}x`, encodeURIComponent('<script>alert(1)</script>')]) {
        assertCalmHtml(await crm().get(`/crm/links/${token}`), 404, 'unknown');
      }
      const en = await crm().get(`/crm/links/${newOpaqueToken().token}?lang=en`);
      assert.match(en.text, /<html lang="en">[\s\S]*Unknown link/);
    });

    it('answers a used, expired or replaced link with its 410 page', async () => {
      for (const state of ['used', 'expired', 'revoked'] as const) {
        const link = await pendingInstruction(team);
        await closeLink(link.tokenId, state);
        assertCalmHtml(await crm().get(`/crm/links/${link.token}`), 410, state);
      }
    });

    it('starts an httpOnly SameSite=Strict link session and CSRF cookie, with the token in the page and scripts admitted by hash', async () => {
      const link = await pendingInstruction(team);
      const browser = new LinkBrowser();
      const res = await browser.open(link.token);
      assert.equal(res.status, 200);
      const [csrf, session] = cookiesOf(res);
      assert.match(session ?? '', /^rmtools_link=[A-Za-z0-9_-]{43}; Path=\/crm\/; Max-Age=86400; HttpOnly; Secure; SameSite=Strict$/);
      assert.match(csrf ?? '', /^rmtools_csrf=.*; HttpOnly; Secure; SameSite=Strict$/);
      assert.equal(browser.csrf, browser.cookies.get('rmtools_csrf'), 'the meta carries the cookie’s token');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['x-frame-options'], 'DENY');

      const csp = res.headers['content-security-policy']!;
      const script = /<script>([\s\S]*)<\/script>/.exec(res.text)![1]!;
      const style = /<style>([\s\S]*?)<\/style>/.exec(res.text)![1]!;
      assert.ok(csp.includes(`script-src ${sha256(script)}`), csp);
      assert.ok(csp.includes(`style-src ${sha256(style)}`), csp);
      assert.match(csp, /connect-src 'self'/);
      assert.doesNotMatch(res.text, /<script src|<link |https?:\/\/(?!www\.w3\.org)/, 'no external assets');

      // The session survives a reload; the CSRF token is fresh each time.
      const again = await browser.open(link.token);
      assert.deepEqual(cookiesOf(again).map((c) => c.split('=')[0]), ['rmtools_csrf']);
    });

    it('keeps the token out of the access log', async () => {
      const link = await pendingInstruction(team);
      const logs = captureLogs();
      try {
        const browser = await openedBrowser(`${link.token}?lang=en`);
        await browser.requestCode(link.token).expect(202);
        await crm().get(`/crm/links/${newOpaqueToken().token}`).expect(404);
      } finally {
        logs.restore();
      }
      const text = JSON.stringify(logs.lines);
      assert.ok(logs.lines.length >= 3, text);
      assert.ok(!text.includes(link.token), text);
      assert.ok(text.includes('/crm/links/[redacted]/otp'), text);
      assert.ok(text.includes('/crm/links/[redacted]?lang=en'), text);
    });
  });

  describe('POST /crm/links/{token}/otp', () => {
    it('refuses a browser without the link session (403) or without the CSRF token (403 CSRF_FAILED)', async () => {
      const link = await pendingInstruction(team);
      const noSession = await openedBrowser(link.token);
      noSession.cookies.delete(linkSessionCookie);
      assert.equal((await noSession.requestCode(link.token).expect(403)).body.code, 'FORBIDDEN');
      // A caller with no cookies at all is no browser: CSRF does not apply, the missing session does.
      assert.equal((await crm().post(`/crm/links/${link.token}/otp`).send({}).expect(403)).body.code, 'FORBIDDEN');

      const noCsrf = await openedBrowser(link.token);
      noCsrf.csrf = undefined;
      assert.equal((await noCsrf.requestCode(link.token).expect(403)).body.code, 'CSRF_FAILED');
      assert.equal((await crmRows(`select 1 from auth_ott where subject = $1::text`, [`instruction_token:${link.tokenId}`])).length, 0);
    });

    it('sends a code bound to the browser session: 202, the OTT row and its otp.requested event', async () => {
      const own = await withNewInvestor(team);
      const link = await pendingInstruction(own);
      const browser = await openedBrowser(link.token);
      const res = await browser.requestCode(link.token, { lang: 'en' }).expect(202);
      assert.equal(res.body.channel, 'SMS');
      assert.equal(res.body.destination, maskPhone(own.investor.phone));
      assert.ok(Math.abs(Date.parse(res.body.expiresAt) - (Date.now() + 300_000)) < 30_000, res.body.expiresAt);

      const [ott] = await crmRows<Record<string, unknown>>(
        `select id, company_id, user_id, subject, purpose, channel, destination, device_id, locale, attempts from auth_ott where subject = $1::text`,
        [`instruction_token:${link.tokenId}`],
      );
      assert.deepEqual(
        { ...ott, id: undefined, company_id: Number(ott!.company_id) },
        {
          id: undefined, company_id: team.company.id, user_id: null, subject: `instruction_token:${link.tokenId}`, purpose: 'INVESTOR_SIGNATURE',
          channel: 'SMS', destination: own.investor.phone, device_id: linkSessionDevice(browser.cookies.get(linkSessionCookie)!), locale: 'en', attempts: 0,
        },
      );
      assert.match((await codeOf(link.tokenId)).code, /^\d{6}$/);
      const event = events.messages.find((m) => m.topic === 'otp.requested' && (m.data as { ottId: string }).ottId === ott!.id);
      assert.deepEqual(event?.data, { ottId: ott!.id, channel: 'SMS', destination: own.investor.phone, purpose: 'INVESTOR_SIGNATURE', locale: 'en' });
      assert.equal(event?.attributes.companyId, String(team.company.id));
    });

    it('answers 404 for an unknown token and 410 for a used or expired link', async () => {
      for (const [state, code] of [['used', 'LINK_USED'], ['expired', 'LINK_EXPIRED'], ['revoked', 'LINK_EXPIRED']] as const) {
        const link = await pendingInstruction(team);
        const browser = await openedBrowser(link.token);
        await closeLink(link.tokenId, state);
        assert.equal((await browser.requestCode(link.token).expect(410)).body.code, code, state);
      }
      const browser = await openedBrowser((await pendingInstruction(team)).token);
      assert.equal((await browser.requestCode(newOpaqueToken().token).expect(404)).body.code, 'NOT_FOUND');
    });

    it('waits out the resend cooldown (429 with Retry-After), whichever browser asks', async () => {
      const link = await pendingInstruction(await withNewInvestor(team));
      const browser = await openedBrowser(link.token);
      await browser.requestCode(link.token).expect(202);
      const res = await browser.requestCode(link.token).expect(429);
      assert.equal(res.body.code, 'RATE_LIMITED');
      const wait = Number(res.headers['retry-after']);
      assert.ok(wait > 0 && wait <= 60, String(wait));
      // Another browser of the same link waits too: the cooldown is the link's, not the session's.
      const other = await openedBrowser(link.token);
      assert.equal((await other.requestCode(link.token).expect(429)).body.code, 'RATE_LIMITED');
      assert.equal((await crmRows(`select 1 from auth_ott where subject = $1::text`, [`instruction_token:${link.tokenId}`])).length, 1);
    });

    it('sends at most OTP_HOURLY_CAP codes an hour to one phone, over all its links', async () => {
      const own = await withNewInvestor(team);
      for (let i = 0; i < 5; i++) {
        const link = await pendingInstruction(own);
        await (await openedBrowser(link.token)).requestCode(link.token).expect(202);
      }
      const link = await pendingInstruction(own);
      const res = await (await openedBrowser(link.token)).requestCode(link.token).expect(429);
      assert.equal(res.body.code, 'RATE_LIMITED');
      assert.ok(Number(res.headers['retry-after']) > 0);
    });

    it('sends the code by email to an investor without a phone', async () => {
      const own = await withNewInvestor(team);
      await crmRows(`update investor set phone = null where id = $1::uuid`, [own.investor.id]);
      const link = await pendingInstruction(own);
      const browser = await openedBrowser(link.token);
      const res = await browser.requestCode(link.token).expect(202);
      assert.equal(res.body.channel, 'EMAIL');
      assert.ok(res.body.destination.endsWith(own.investor.email.slice(own.investor.email.indexOf('@'))));
    });

    it('gives a remote registration link’s code its own purpose', async () => {
      const link = await newLink(team.company.id, 'investor', team.investor.id);
      // Whatever its page shows: the session cookie and a CSRF token of GET /auth/csrf are all the POST needs.
      const csrf = await auth().get('/auth/csrf').expect(200);
      const browser = new LinkBrowser();
      browser.cookies.set(linkSessionCookie, 'A'.repeat(43));
      browser.cookies.set('rmtools_csrf', csrf.body.csrfToken);
      browser.csrf = csrf.body.csrfToken;
      await browser.requestCode(link.token).expect(202);
      const [ott] = await crmRows<{ purpose: string; device_id: string }>(`select purpose, device_id from auth_ott where subject = $1::text`, [`investor_token:${link.tokenId}`]);
      assert.deepEqual(ott, { purpose: 'INVESTOR_REGISTRATION', device_id: linkSessionDevice('A'.repeat(43)) });
    });
  });
});
