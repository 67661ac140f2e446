import { z } from 'zod';
import { defineRoute, type AnyRoute, type RouteResult } from '../../../shared/http/route.js';
import { issueCsrfToken } from '../../../shared/http/csrf.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { errorForLog } from '../../../shared/logging.js';
import { renderRegistrationPage } from '../remote-registration/registration-page.js';
import { linkState, lockOpenLink, requireOpenLink, resolveLink, type OpenedLink } from './link-access.js';
import { requireSession, sendLinkCode } from './link-code.js';
import { closedPage, closedReasonOf, LinkClosed, pageLang, renderPage, type ClosedReason, type LinkPageContext, type PageContent, type RenderedPage } from './link-page.js';
import { ensureLinkSession, linkSessionOf } from './link-session.js';
import { renderSignaturePage } from '../signatures/signature-page.js';
import { signatureLinkClosedReason } from '../signatures/signature-state.js';
import type { LinkKind } from './link-token.repo.js';

const tags = ['Investor links'];
// Any string: a malformed token gets the same 404 page as an unknown one.
const tokenParams = z.strictObject({ token: z.string().min(1).max(2048) });
const langSchema = z.enum(['id', 'en']).optional().catch(undefined);

const renderers: Record<LinkKind, (ctx: LinkPageContext) => Promise<PageContent>> = {
  instruction: renderSignaturePage,
  investor: renderRegistrationPage,
};

/**
 * Why the link's subject itself is closed, if it is: an instruction cancelled by the RM revokes its link, and
 * the investor should read "cancelled" rather than "a newer link was sent".
 */
const subjectClosed: Partial<Record<LinkKind, (opened: OpenedLink) => Promise<ClosedReason | undefined>>> = {
  instruction: signatureLinkClosedReason,
};

async function closedReasonFor(opened: OpenedLink): Promise<ClosedReason | undefined> {
  const own = closedReasonOf(linkState(opened.link));
  // A used link stays "used": its subject was decided through it.
  if (own === undefined || own === 'used') return own;
  return (await subjectClosed[opened.link.kind]?.(opened)) ?? own;
}

function html(page: RenderedPage & { status: number }, cookies: Array<string | undefined> = []): RouteResult {
  const setCookie = cookies.filter((c): c is string => c !== undefined);
  return {
    status: page.status,
    body: page.html,
    contentType: 'text/html; charset=utf-8',
    headers: { 'Content-Security-Policy': page.csp, ...(setCookie.length ? { 'Set-Cookie': setCookie } : {}) },
  };
}

export const linkPageRoute = defineRoute({
  method: 'GET',
  path: '/crm/links/{token}',
  operationId: 'investorLinkPage',
  summary: 'The investor’s page behind an emailed link: approve and sign an instruction, or complete a remote registration (HTML; ?lang=en for English)',
  tags,
  access: 'public',
  params: tokenParams,
  query: z.object({ lang: langSchema }),
  response: { status: 200, description: 'text/html page; 404 or 410 pages for unknown, used or expired links', contentType: 'text/html' },
  handler: async ({ params, query, headers, ip, log }) => {
    const lang = pageLang(query.lang);
    try {
      const opened = await resolveLink(params.token, ip);
      if (!opened) return html(closedPage('unknown', lang));
      const closed = await closedReasonFor(opened);
      if (closed) return html(closedPage(closed, lang));
      const csrf = await issueCsrfToken();
      const content = await renderers[opened.link.kind]({ opened, lang, csrfToken: csrf.token });
      return html({ status: 200, ...renderPage(lang, content, csrf.token) }, [csrf.cookie, ensureLinkSession(headers).cookie]);
    } catch (err) {
      if (err instanceof LinkClosed) return html(closedPage(err.reason, lang));
      // The investor sees a calm page, never a stack trace; the log has the error.
      log.error({ err: errorForLog(err) }, 'investor page failed');
      return html(closedPage('error', lang));
    }
  },
});

export const sendLinkCodeRoute = defineRoute({
  method: 'POST',
  path: '/crm/links/{token}/otp',
  operationId: 'sendInvestorLinkCode',
  summary: 'Sends the investor a step-up code (SMS to the registered phone, else email), bound to this browser’s link session',
  tags,
  access: 'public',
  csrf: true,
  params: tokenParams,
  body: z.strictObject({ lang: langSchema }).optional(),
  response: {
    status: 202,
    description: 'The code is on its way',
    schema: z.object({ channel: z.enum(['SMS', 'EMAIL']), destination: z.string(), expiresAt: z.string() }),
  },
  errors: ['NOT_FOUND', 'LINK_EXPIRED', 'LINK_USED', 'FORBIDDEN', 'RATE_LIMITED', 'BUSINESS_RULE', 'CSRF_FAILED'],
  handler: async ({ params, body, headers, ip }) => {
    await enforceLimits([{ name: 'link-otp:ip', subject: ip, windowSeconds: 3600, limit: 30 }]);
    const session = requireSession(linkSessionOf(headers));
    const opened = await requireOpenLink(params.token, ip);
    const sent = await withTransaction(opened.actor, async (tx) => {
      const link = await lockOpenLink(tx, opened.link);
      return sendLinkCode(tx, { link, session, locale: pageLang(body?.lang) });
    });
    return { status: 202, body: sent };
  },
});

export const linkRoutes: readonly AnyRoute[] = [linkPageRoute, sendLinkCodeRoute];
