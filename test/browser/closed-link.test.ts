import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { assertCleanPage, describeInBrowser, screenshot } from './support/browser.js';
import { open } from './support/scenario.js';

/**
 * A link nobody issued (the right shape: 43 base64url characters) shows the calm closed page, 404, in
 * Indonesian, and in English through the language switch; nothing on it is refused by the policy.
 */
describeInBrowser('Investor pages in Chromium: an unknown link', (h) => {
  it('shows #closed[data-reason=unknown] with 404, in Indonesian and in English', async () => {
    const { page, problems } = await h.newPage(await h.newContext());
    const url = `${h.stack.baseUrl}/crm/links/${randomBytes(32).toString('base64url')}`;
    assert.equal(await open(page, url), 404);
    await page.locator('#closed[data-reason="unknown"]').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    assert.match(await page.locator('#closed h1').innerText(), /Tautan tidak dikenal/);
    await screenshot(page, 'closed-unknown', 'id');

    await page.click('#lang-switch');
    await page.locator('html[lang="en"] #closed[data-reason="unknown"]').waitFor();
    assert.match(await page.locator('#closed h1').innerText(), /Unknown link/);
    await screenshot(page, 'closed-unknown', 'en');
    assertCleanPage(problems);
  });

  it('(the harness) sees a Content-Security-Policy refusal when a page has one', async () => {
    const { page, problems } = await h.newPage(await h.newContext());
    const url = `${h.stack.baseUrl}/_harness-check`;
    await page.route(url, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        headers: { 'Content-Security-Policy': "default-src 'none'" },
        body: '<!doctype html><p>x</p><script>document.title = "ran"</script>',
      }),
    );
    await open(page, url);
    await page.waitForTimeout(200);
    assert.notEqual(await page.title(), 'ran');
    assert.ok(problems.csp.length > 0, 'the inline script refused by the policy went unnoticed');
    assert.throws(() => assertCleanPage(problems), /Content-Security-Policy/);
  });
});
