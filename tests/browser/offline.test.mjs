// Offline: after one visit the service worker serves the app with the server gone, and a whole
// pre-check still reaches the rules' answer; after one visit to the start page every request form
// opens offline and saves its draft (the worker caches the forms bundle in the background, not when
// the browser asks to save data, and kiosk mode's files in kiosk mode); `.offline-indicator` shows
// while the browser is offline.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, casesByName, cli, walkPrecheck, readResult, waitForAsync, waitForServiceWorker,
  waitForFormsShell,
  appReady, firstVisit,
} from './lib/harness.mjs';
import { EXEMPTION, WITHDRAWAL, CLEARANCE, waitForFormPage, fillFormPage, waitSaved, readDrafts } from './lib/forms.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('with the server stopped, a reload still loads the app and a whole pre-check completes', async () => {
  const server = await startServer();
  const [c] = casesByName('precheck', ["Parsa, diplomat's son, 3 semesters, entered university 5 months after leaving: case (a)"]);
  const { context, page } = await openPage(browser, { today: c.input.today });
  try {
    // The other bundles cached in the background after the first visit (the result page is the
    // tools bundle's).
    await firstVisit(page, server.url);
    // Visit the pre-check once online too (as a student would); nothing here may be needed later.
    await page.goto(server.url + '/precheck');
    await page.waitForURL((u) => u.pathname === '/precheck/level');

    await server.stop();
    // The server is really gone: a fetch the worker does not answer from its cache fails.
    const health = await page.evaluate(async () => {
      try { return (await fetch('/api/v1/health', { cache: 'no-store' })).status; } catch { return 'failed'; }
    });
    assert.notEqual(health, 200, 'the server still answers after being stopped');

    await page.reload();
    await page.locator('button[type=submit]').waitFor().catch(() => {
      throw new Error('the reload with the server stopped did not show the pre-check');
    });
    await walkPrecheck(page, server.url, c.input);
    const shown = await readResult(page);
    const want = cli('precheck', c.input);
    assert.equal(shown.verdict, want.verdict);
    assert.deepEqual(shown.reasons, want.reasons.map((r) => r.code));
    assert.equal(shown.dates.exemption_until?.[0], want.exemption_until);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('.offline-indicator shows while the browser is offline and hides when back online', async () => {
  const server = await startServer();
  const { context, page } = await openPage(browser);
  try {
    await page.goto(server.url + '/');
    await appReady(page);
    const indicator = page.locator('.offline-indicator');
    assert.equal(await indicator.isVisible(), false, 'the offline indicator shows while online');
    await context.setOffline(true);
    await indicator.waitFor({ state: 'visible' }).catch(() => {
      throw new Error('no visible .offline-indicator after going offline');
    });
    assert.equal(await indicator.getAttribute('role'), 'status');
    await context.setOffline(false);
    await indicator.waitFor({ state: 'hidden' });
  } finally {
    await context.close();
    await server.stop();
  }
});

test('the request forms are a second bundle: reached from the start page, then cached for offline use', async () => {
  const server = await startServer();
  const { context, page } = await openPage(browser);
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  try {
    await page.goto(server.url + '/');
    await appReady(page);
    await waitForServiceWorker(page);
    // The first visit did not download the forms' code.
    assert.ok(requested.some((path) => path.endsWith('_bg.wasm')), 'no wasm request was seen at all');
    assert.ok(!requested.some((path) => path.startsWith('/forms/')), 'the start page loaded the forms bundle');

    await page.locator('a[href="/requests/exemption"]').click();
    await page.waitForURL((u) => /^\/requests\/exemption\/[0-9a-f-]+\/sakha$/.test(u.pathname));
    await page.locator('html[data-app-ready]').waitFor();
    assert.equal(await page.locator('main h1').textContent(), 'آیا کد سخا دارید؟');
    assert.ok(
      requested.some((path) => /^\/forms\/forms-[0-9a-f]+_bg\.wasm$/.test(path)),
      'the forms wasm was not loaded: ' + requested.join(' '),
    );
    // Let the worker finish caching the forms shell it met on this navigation, and the other
    // bundles (the pre-check's, opened offline below) in the background.
    await waitForFormsShell(page);
    await page.locator('html[data-offline-bundles="cached"]').waitFor({ state: 'attached', timeout: 30_000 });

    await server.stop();
    await page.goto(server.url + '/drafts');
    await page.locator('html[data-app-ready]').waitFor();
    assert.equal(await page.locator('main h1').textContent(), 'پیش‌نویس‌های من');
    // A form can be started and saved offline: drafts live in the browser.
    await page.goto(server.url + '/requests/clearance?new=1');
    await page.locator('input[name=national_id]').fill('0084575948');
    await page.waitForFunction(() => document.querySelector('[data-save-state]')?.dataset.saveState === 'saved');
    await page.goto(server.url + '/precheck');
    await page.waitForURL((u) => u.pathname === '/precheck/level');
    await page.locator('input[name=level]').first().waitFor();
  } finally {
    await context.close();
    await server.stop();
  }
});

/** The paths a Cache Storage cache of the page's origin holds. */
function cachedPaths(page, name) {
  return page.evaluate(async (name) => {
    if (!(await caches.has(name))) return [];
    return (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
  }, name);
}

/** Waits for register-sw.js's outcome (`<html data-offline-bundles>`) and returns it. */
async function offlineBundles(page) {
  await page.locator('html[data-offline-bundles]').waitFor({ state: 'attached', timeout: 30_000 });
  return page.locator('html').getAttribute('data-offline-bundles');
}

test('after one visit to the start page, every request form opens offline and saves its draft', async () => {
  const server = await startServer();
  const { context, page } = await openPage(browser);
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  try {
    await page.goto(server.url + '/');
    await page.locator('html[data-app-ready]').waitFor({ state: 'attached' });
    assert.equal(await offlineBundles(page), 'cached');
    assert.ok(!requested.some((path) => path.startsWith('/forms/')), 'the start page itself loaded the forms bundle');
    const forms = await cachedPaths(page, 'pishkhan-forms-v1');
    assert.ok(forms.includes('/forms/index.html') && forms.some((p) => /^\/forms\/forms-[0-9a-f]+_bg\.wasm$/.test(p)),
      'the forms shell is not cached: ' + forms.join(' '));
    assert.ok(!requested.some((path) => path.startsWith('/tools/')), 'the start page itself loaded the tools bundle');
    const tools = await cachedPaths(page, 'pishkhan-tools-v1');
    assert.ok(tools.includes('/tools/index.html') && tools.some((p) => /^\/tools\/tools-[0-9a-f]+_bg\.wasm$/.test(p)),
      'the tools shell is not cached: ' + tools.join(' '));
    assert.equal(await page.locator('[data-save-data-note]').count(), 0, 'the save-data note shows without save-data');

    await context.setOffline(true);
    const health = await page.evaluate(async () => {
      try { return (await fetch('/api/v1/health', { cache: 'no-store' })).status; } catch { return 'failed'; }
    });
    assert.equal(health, 'failed', 'the browser still reaches the server');
    for (const [form, answers] of [['exemption', EXEMPTION], ['withdrawal', WITHDRAWAL], ['clearance', CLEARANCE]]) {
      await page.goto(`${server.url}/requests/${form}?new=1`);
      const slug = await waitForFormPage(page);
      await fillFormPage(page, answers);
      await waitSaved(page);
      const id = /^\/requests\/[a-z]+\/([0-9a-f-]+)\//.exec(new URL(page.url()).pathname)[1];
      const draft = (await readDrafts(page)).drafts.find((d) => d.id === id);
      assert.ok(draft, `${form}: no draft ${id} in IndexedDB`);
      assert.equal(draft.kind, form);
      assert.ok(Object.keys(draft.answers).length > 0, `${form}: the draft saved on page ${slug} holds no answer`);
    }
    // The one-page tools (the tools bundle) open offline too.
    for (const path of ['/travel', '/deadline/revocation']) {
      await page.goto(server.url + path);
      await page.locator('html[data-app-ready]').waitFor({ state: 'attached' });
      await page.locator('main form input').first().waitFor();
    }
  } finally {
    await context.close();
    await server.stop();
  }
});

test('when the browser asks to save data, the forms and the tools are not cached in advance and the start page says so', async () => {
  const server = await startServer();
  const { context, page } = await openPage(browser);
  await context.addInitScript(() => {
    if (navigator.connection) {
      Object.defineProperty(Object.getPrototypeOf(navigator.connection), 'saveData', { get: () => true });
    }
  });
  try {
    await page.goto(server.url + '/');
    assert.equal(await offlineBundles(page), 'save-data');
    const fa = await page.locator('[data-save-data-note]').innerText();
    assert.match(fa, /یک بار با اینترنت/);
    assert.match(fa, /فرم‌های درخواست و ابزارها/);
    await page.locator('button[data-lang-switch]').click();
    const en = await page.locator('[data-save-data-note]').innerText();
    assert.match(en, /once while online/);
    assert.match(en, /request forms and the tools/);
    assert.deepEqual(await cachedPaths(page, 'pishkhan-forms-v1'), []);
    assert.deepEqual(await cachedPaths(page, 'pishkhan-tools-v1'), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('in kiosk mode the first visit also caches kiosk mode\'s files', async () => {
  const server = await startServer();
  const { context, page } = await openPage(browser);
  try {
    await page.goto(server.url + '/?kiosk=1');
    assert.equal(await offlineBundles(page), 'cached');
    const app = await cachedPaths(page, 'pishkhan-shell-v1');
    for (const file of ['/kiosk/kiosk.js', '/kiosk/kiosk_bg.wasm', '/kiosk/kiosk.css']) {
      assert.ok(app.includes(file), `${file} is not cached: ${app.join(' ')}`);
    }
  } finally {
    await context.close();
    await server.stop();
  }
});
