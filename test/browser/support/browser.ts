import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { spawnLocalStack, type LocalStackProcess } from '../../support/local-stack.js';
import { localClient } from '../../support/local-client.js';

/**
 * Headless Chromium (Debian's `chromium`, driven by playwright-core) against `npm start`: the investor pages
 * as a person on a phone sees them. Each suite gets its own stack on free ports and one browser; each page is
 * watched for Content-Security-Policy refusals, script errors and failed requests, and photographed (full
 * page, 390x844) into test-artifacts/screenshots/<flow>-<step>.png.
 *
 * Without Chromium the suites are pending with a message that says so, unless BROWSER_TESTS=required (CI),
 * where a missing browser fails them.
 */
const defaultChromium = '/usr/bin/chromium';

/** Without the background-networking flags Chromium's own connections fail (and stall) on a closed network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const mobileViewport = { width: 390, height: 844 } as const;

export const screenshotDir = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));

export function wantedChromium(): string {
  return process.env.CHROMIUM_PATH || defaultChromium;
}

export function chromiumPath(): string | undefined {
  const path = wantedChromium();
  return existsSync(path) ? path : undefined;
}

/** What a page did wrong while a test drove it. */
export interface PageProblems {
  /** Console messages about the Content-Security-Policy (a refused script, style, image or connection). */
  csp: string[];
  /** Uncaught script errors. */
  scriptErrors: string[];
  /** Requests that never got an answer (blocked, aborted, refused). */
  failedRequests: string[];
  /** Answers of 400 and above to the page's own requests (the page itself excluded: closed pages are 404/410). */
  httpErrors: string[];
}

export interface BrowserHarness {
  stack: LocalStackProcess;
  client: ReturnType<typeof localClient>;
  browser: Browser;
  /** A fresh phone-sized context: no cookies, Indonesian locale, Jakarta time. */
  newContext: () => Promise<BrowserContext>;
  /** A page of the context, watched for problems. */
  newPage: (context: BrowserContext) => Promise<{ page: Page; problems: PageProblems }>;
}

/** One suite of browser tests; pending (or failing under BROWSER_TESTS=required) when there is no Chromium. */
export function describeInBrowser(title: string, body: (h: BrowserHarness) => void): void {
  const executablePath = chromiumPath();
  const required = process.env.BROWSER_TESTS === 'required';
  const skipped = !executablePath && !required;
  const suiteTitle = skipped ? `${title} [skipped: no Chromium at ${wantedChromium()}; apt-get install chromium, or set CHROMIUM_PATH]` : title;
  describe(suiteTitle, function () {
    this.timeout(120_000);
    const h = {} as BrowserHarness;
    const contexts: BrowserContext[] = [];
    const watched: Array<{ page: Page; problems: PageProblems }> = [];

    before(async function () {
      if (skipped) return this.skip();
      if (!executablePath) throw new Error(`BROWSER_TESTS=required but there is no Chromium at ${wantedChromium()} (apt-get install chromium, or set CHROMIUM_PATH)`);
      await mkdir(screenshotDir, { recursive: true });
      h.stack = await startStack();
      h.client = localClient(h.stack);
      h.browser = await chromium.launch({ executablePath, args: chromiumArgs, timeout: 60_000 });
      h.newContext = async () => {
        const context = await h.browser.newContext({
          viewport: { ...mobileViewport },
          screen: { ...mobileViewport },
          isMobile: true,
          hasTouch: true,
          deviceScaleFactor: 1,
          locale: 'id-ID',
          timezoneId: 'Asia/Jakarta',
        });
        context.setDefaultTimeout(15_000);
        contexts.push(context);
        return context;
      };
      h.newPage = async (context) => {
        const page = await context.newPage();
        const problems = watch(page);
        watched.push({ page, problems });
        return { page, problems };
      };
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed') {
        // What the browser saw, for the failure's report: each page's address and its problems.
        for (const w of watched) console.log(`    ${w.page.isClosed() ? '(closed)' : w.page.url()}: ${JSON.stringify(w.problems)}`);
        if (h.stack) console.log(`    npm start said:\n${h.stack.output().split('\n').slice(-30).join('\n')}`);
      }
      watched.splice(0);
      await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
    });

    after(async () => {
      await h.browser?.close().catch(() => undefined);
      h.stack?.kill();
    });

    body(h);
  });
}

/**
 * `npm start` on free ports; tried again when a port it was given was taken before it could listen (the
 * ports are found free, then bound a moment later).
 */
async function startStack(): Promise<LocalStackProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnLocalStack();
    } catch (err) {
      if (attempt >= 3 || !/is in use/.test(String(err))) throw err;
    }
  }
}

function watch(page: Page): PageProblems {
  const problems: PageProblems = { csp: [], scriptErrors: [], failedRequests: [], httpErrors: [] };
  page.on('console', (msg) => {
    if (/Content[- ]Security[- ]Policy/i.test(msg.text())) problems.csp.push(msg.text());
  });
  page.on('pageerror', (err) => problems.scriptErrors.push(err.message));
  // Chromium reports a request whose answer had an empty body (the storage's 200 to an upload PUT) as
  // net::ERR_ABORTED once the script moves on, though the answer arrived: not a failure.
  const answered = new WeakSet<Request>();
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? 'failed';
    if (answered.has(req) && error === 'net::ERR_ABORTED') return;
    problems.failedRequests.push(`${req.method()} ${req.url()}: ${error}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    answered.add(req);
    if (res.status() >= 400 && !(req.isNavigationRequest() && req.frame() === page.mainFrame())) {
      problems.httpErrors.push(`${req.method()} ${new URL(res.url()).pathname} → ${res.status()}`);
    }
  });
  return problems;
}

/**
 * No CSP refusal, script error or failed request; no error answer either, except those the test expects
 * (`allowHttp` matches "METHOD /path → status").
 */
export function assertCleanPage(problems: PageProblems, allowHttp?: RegExp): void {
  assert.deepEqual(problems.csp, [], 'Content-Security-Policy violations');
  assert.deepEqual(problems.scriptErrors, [], 'script errors');
  assert.deepEqual(problems.failedRequests, [], 'failed requests');
  assert.deepEqual(
    problems.httpErrors.filter((e) => !allowHttp?.test(e)),
    [],
    'error answers to the page’s requests',
  );
}

/** The page fits the phone: nothing wider than the viewport (no sideways scrolling). */
export async function assertFitsPhone(page: Page): Promise<void> {
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= mobileViewport.width, `the page is ${width}px wide on a ${mobileViewport.width}px phone`);
}

/** A full-page screenshot at test-artifacts/screenshots/<flow>-<step>.png; checks the phone layout too. */
export async function screenshot(page: Page, flow: string, step: string): Promise<string> {
  const path = `${screenshotDir}${flow}-${step}.png`;
  await page.screenshot({ path, fullPage: true });
  await assertFitsPhone(page);
  return path;
}
