// Prerendered first paint (app/src/bin/prerender.rs): the student app's first pages are drawn from
// the HTML alone, before any wasm, in the language of the `pishkhan_lang` cookie; the app then takes
// them over in place — no other language shown in between, no layout shift — and a choice, a send
// or the language switch used before it was ready is not lost. The wasm is held back by the test
// until it says so (Playwright's routing), so "before the app is ready" is a state, not a race.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, htmlLangDir } from './lib/harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/** Holds every wasm request of `page` until `release()`. */
async function holdWasm(page) {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  await page.route(/_bg\.wasm$/, async (route) => {
    await gate;
    await route.continue();
  });
  return release;
}

/** Records, from before the page's first script, every language and heading the page shows and
    every layout shift. */
function watchPage() {
  const seen = (window.__seen = { langs: [], headings: [], shifts: 0 });
  const look = () => {
    const lang = document.documentElement.lang;
    if (lang && seen.langs.at(-1) !== lang) seen.langs.push(lang);
    const h1 = document.querySelector('main h1')?.textContent;
    if (h1 && seen.headings.at(-1) !== h1) seen.headings.push(h1);
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) seen.shifts += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
}

async function isReady(page) {
  return page.evaluate(() => document.documentElement.hasAttribute('data-app-ready'));
}

for (const [lang, dir, route, heading] of [
  ['fa', 'rtl', '/', /پیشخوان/],
  ['en', 'ltr', '/travel', /travel abroad/i],
  ['fa', 'rtl', '/precheck/level', /مقطع/],
  // The start page's link: the first question's page, the address then replaced by the app.
  ['en', 'ltr', '/precheck', /what level/i],
]) {
  test(`${route} in ${lang}: drawn from the HTML before the wasm, then taken over in place`, async () => {
    const { context, page } = await openPage(env.browser);
    try {
      if (lang === 'en') {
        await context.addCookies([{ name: 'pishkhan_lang', value: 'en', url: env.base }]);
        await context.addInitScript(() => localStorage.setItem('pishkhan.lang', 'en'));
      }
      await context.addInitScript(watchPage);
      const fonts = [];
      page.on('request', (r) => { if (r.url().endsWith('.woff2')) fonts.push(r.url()); });
      const release = await holdWasm(page);
      await page.goto(env.base + route);
      await page.locator('main h1').waitFor();
      assert.equal(await isReady(page), false, 'the app ran although its wasm was held back');
      // A first visit: the web fonts wait for the app, not to share the link with its wasm.
      assert.deepEqual(fonts, [], 'fonts were fetched before the app was ready');
      assert.deepEqual(await htmlLangDir(page), { lang, dir });
      const drawn = await page.locator('main h1').innerText();
      assert.match(drawn, heading);
      assert.match(await page.title(), /–/, 'the prerendered page has no title of its own');
      const entries = await page.evaluate(() => history.length);

      release();
      await page.locator('html[data-app-ready]').waitFor({ state: 'attached' });
      assert.equal(await page.locator('main h1').innerText(), drawn);
      assert.equal(await page.locator('#prerendered').count(), 0, 'the prerendered nodes are still there');
      assert.equal(await page.locator('main').count(), 1);
      const seen = await page.evaluate(() => window.__seen);
      assert.deepEqual(seen.langs, [lang], 'another language was shown on the way');
      assert.deepEqual(seen.headings, [drawn], 'another heading was shown on the way');
      assert.ok(seen.shifts <= 0.02, `layout shift ${seen.shifts}`);
      if (route === '/precheck') {
        await page.waitForURL((u) => u.pathname === '/precheck/level');
        // The redirect replaced /precheck in the history: "back" leaves the pre-check.
        assert.equal(await page.evaluate(() => history.length), entries);
      }
      assert.deepEqual(page.errors, []);
    } finally {
      await context.close();
    }
  });
}

test('a choice made and sent before the app is ready is replayed: the pre-check moves on with it', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    const release = await holdWasm(page);
    await page.goto(env.base + '/precheck/level');
    await page.locator('label[for="level-4"]').click(); // continuous bachelor's
    await page.locator('main button[type=submit]').click();
    assert.equal(new URL(page.url()).pathname, '/precheck/level', 'the form was sent by the browser itself');
    assert.equal(await isReady(page), false);
    release();
    await page.waitForURL((u) => u.pathname.startsWith('/precheck/') && u.pathname !== '/precheck/level');
    const kept = await page.evaluate(() => sessionStorage.getItem('pishkhan.precheck'));
    assert.match(kept ?? '', /bachelor_continuous/);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('the language switch used before the app is ready loads the page again in the other language', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    const release = await holdWasm(page);
    await page.goto(env.base + '/');
    await page.locator('main h1').waitFor();
    await page.locator('button[data-lang-switch]').click();
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
    assert.match(await page.locator('main h1').innerText(), /Pishkhan/);
    assert.equal(await isReady(page), false);
    const cookies = await context.cookies(env.base);
    assert.equal(cookies.find((c) => c.name === 'pishkhan_lang')?.value, 'en');
    release();
    await page.locator('html[data-app-ready]').waitFor({ state: 'attached' });
    assert.deepEqual(await htmlLangDir(page), { lang: 'en', dir: 'ltr' });
    assert.equal(await page.evaluate(() => localStorage.getItem('pishkhan.lang')), 'en');
  } finally {
    await context.close();
  }
});

test('a link used before the app is ready is a plain link: the next page is drawn from its HTML', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    const release = await holdWasm(page);
    await page.goto(env.base + '/');
    await page.locator('main a[href="/deadline/revocation"]').click();
    await page.waitForURL((u) => u.pathname === '/deadline/revocation');
    await page.locator('main h1').waitFor();
    assert.equal(await isReady(page), false);
    release();
    await page.locator('html[data-app-ready]').waitFor({ state: 'attached' });
  } finally {
    await context.close();
  }
});

test('the app keeps the cookie in step with the language, and the service worker answers offline with the prerendered page', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await page.goto(env.base + '/');
    await page.locator('html[data-offline-bundles="cached"]').waitFor({ state: 'attached', timeout: 30_000 });
    const cookie = async () => (await context.cookies(env.base)).find((c) => c.name === 'pishkhan_lang')?.value;
    assert.equal(await cookie(), 'fa');
    await page.locator('button[data-lang-switch]').click();
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
    await page.waitForFunction(() => document.cookie.includes('pishkhan_lang=en'));
    await context.setOffline(true);
    const response = await page.goto(env.base + '/travel');
    assert.ok(response.fromServiceWorker(), 'the navigation was not answered by the service worker');
    const html = await response.text();
    assert.match(html, /<html dir="ltr" lang="en"/);
    assert.match(html, /<div id="prerendered">/);
    await page.locator('html[data-app-ready]').waitFor({ state: 'attached' });
    assert.match(await page.locator('main h1').innerText(), /travel abroad/i);
  } finally {
    await context.close();
  }
});
