// Offline: after one visit the service worker serves the app with the server gone, and a whole
// pre-check still reaches the rules' answer; `.offline-indicator` shows while the browser is offline.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, casesByName, cli, walkPrecheck, readResult } from './lib/harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Waits until a service worker is active and controls the page (reloading once if needed). */
async function waitForServiceWorker(page) {
  const ready = () => page.evaluate(async () => {
    if (!('serviceWorker' in navigator)) return 'no serviceWorker in navigator';
    const timeout = new Promise((r) => setTimeout(() => r('timeout'), 10_000));
    const reg = await Promise.race([navigator.serviceWorker.ready, timeout]);
    if (reg === 'timeout') return 'no service worker became ready within 10 s';
    return navigator.serviceWorker.controller ? 'controlled' : 'ready, not controlling';
  });
  let state = await ready();
  if (state === 'ready, not controlling') {
    await page.reload();
    state = await ready();
  }
  assert.equal(state, 'controlled', 'the service worker does not control the page');
}

test('with the server stopped, a reload still loads the app and a whole pre-check completes', async () => {
  const server = await startServer();
  const [c] = casesByName('precheck', ["Parsa, diplomat's son, 3 semesters, entered university 5 months after leaving: case (a)"]);
  const { context, page } = await openPage(browser, { today: c.input.today });
  try {
    await page.goto(server.url + '/');
    await page.locator('main h1').waitFor();
    await waitForServiceWorker(page);
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
    await page.locator('main h1').waitFor();
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
