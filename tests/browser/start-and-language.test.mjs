// The start page in a real browser, the fake clock, and the language switch (Persian ⇄ English).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, htmlLangDir, STEP_TIMEOUT, appReady } from './lib/harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('the start page renders in Persian, right to left, and links to every tool', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await page.goto(env.base + '/');
    await appReady(page);
    assert.deepEqual(await htmlLangDir(page), { lang: 'fa', dir: 'rtl' });
    assert.match(await page.locator('main h1').innerText(), /پیشخوان/);
    const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => new URL(a.href).pathname));
    for (const route of ['/precheck', '/deadline/revocation', '/deadline/presentation', '/travel', '/discharge']) {
      assert.ok(hrefs.includes(route), `the start page has no link to ${route} (links: ${hrefs.join(', ')})`);
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test("the faked clock is the app's today (Tehran), leap days included", async () => {
  // The shell shows today as <time data-date="today" data-value="YYYY-MM-DD">; the app's
  // "today" must equal the case's for every case the other tests fake.
  for (const today of ['1403-07-15', '1403-12-30', '1404-01-01', '1399-12-30', '1408-12-30']) {
    const { context, page } = await openPage(env.browser, { today });
    try {
      await page.goto(env.base + '/');
      const shown = page.locator('[data-date="today"]');
      if ((await shown.count()) === 0) {
        // Without the element the check is indirect: Date in the page is the fake one.
        const iso = await page.evaluate(() => new Date().toISOString());
        assert.ok(iso.endsWith('T08:30:00.000Z'), `the page's clock is not faked: ${iso}`);
        continue;
      }
      assert.equal(await shown.first().getAttribute('data-value'), today);
    } finally {
      await context.close();
    }
  }
});

test('the language switch turns the page English, left to right, and back; the choice survives a reload', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await page.goto(env.base + '/');
    const sw = page.locator('button[data-lang-switch]');
    await sw.waitFor({ timeout: STEP_TIMEOUT }).catch(() => {
      throw new Error('no button[data-lang-switch] on the start page');
    });
    const faHeading = await page.locator('main h1').innerText();
    assert.deepEqual(await htmlLangDir(page), { lang: 'fa', dir: 'rtl' });

    await sw.click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.deepEqual(await htmlLangDir(page), { lang: 'en', dir: 'ltr' });
    const enHeading = await page.locator('main h1').innerText();
    assert.notEqual(enHeading, faHeading, 'the heading did not change language');
    assert.doesNotMatch(enHeading, /[\u0600-\u06FF]/, `Persian text left in the English heading: ${enHeading}`);
    assert.ok(await page.evaluate(() => localStorage.getItem('pishkhan.lang')),
      'localStorage["pishkhan.lang"] is not set');

    await page.reload();
    await appReady(page);
    assert.deepEqual(await htmlLangDir(page), { lang: 'en', dir: 'ltr' }, 'English did not survive a reload');
    // …and a later visit in another tab of the same browser profile.
    const other = await context.newPage();
    await other.goto(env.base + '/precheck');
    await appReady(other);
    assert.deepEqual(await htmlLangDir(other), { lang: 'en', dir: 'ltr' }, 'English was not kept for a new visit');
    await other.close();

    await page.locator('button[data-lang-switch]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fa');
    assert.deepEqual(await htmlLangDir(page), { lang: 'fa', dir: 'rtl' });
    assert.equal(await page.locator('main h1').innerText(), faHeading);
    await page.reload();
    await appReady(page);
    assert.deepEqual(await htmlLangDir(page), { lang: 'fa', dir: 'rtl' }, 'Persian did not survive a reload');
  } finally {
    await context.close();
  }
});

test('switching language on a question page stays on that page', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await page.goto(env.base + '/precheck');
    await page.waitForURL((u) => u.pathname === '/precheck/level');
    await page.locator('button[data-lang-switch]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(new URL(page.url()).pathname, '/precheck/level');
    await page.locator('button[data-lang-switch]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fa');
  } finally {
    await context.close();
  }
});

test('under the server\'s Content-Security-Policy the inlined styles apply and nothing is refused', async () => {
  // Not openPage: its context bypasses the CSP (for axe-core).
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const refused = [];
  page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) refused.push(m.text()); });
  try {
    for (const path of ['/', '/requests/clearance?new=1']) {
      const response = await page.goto(env.base + path);
      assert.match(response.headers()['content-security-policy'], /style-src 'self'( 'sha256-[^']+')*;/);
      await page.locator('html[data-app-ready]').waitFor({ state: 'attached' });
      const header = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
      assert.equal(header, 'rgb(29, 91, 58)', `${path}: the stylesheet does not apply`);
    }
    assert.deepEqual(refused, []);
  } finally {
    await context.close();
  }
});
