// Submitting finished drafts through the outbox, in a real browser against the real server and
// its SQLite file, signed in as a person of the demo roster (lib/signin.mjs): sent at once when
// online; queued while the server is down and sent once when it is back; a connection lost after
// the server stored the request is retried with the same idempotency key and still makes one
// row; a refusal goes back to the form; the receipt; a kiosk visit that signs in, files and is
// wiped, leaving no session on the server and no cookie.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, axeViolations, screenshots, errorsBut, STEP_TIMEOUT, assertNoCode,
  appReady, startKiosk,
} from './lib/harness.mjs';
import { CLEARANCE, WITHDRAWAL, walkForm, readDrafts } from './lib/forms.mjs';
import { ALI, signIn, signInToSend } from './lib/signin.mjs';

const TODAY = '1403-07-15';
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Rows of the server's requests table (through Debian's sqlite3). */
function requestRows(dataDir) {
  const db = join(dataDir, 'pishkhan.sqlite3');
  const out = execFileSync('sqlite3', ['-readonly', db, 'SELECT tracking_code, kind FROM requests;'], { encoding: 'utf8' });
  // Stored as bare digits; shown and answered in groups of four.
  const grouped = (code) => code.replace(/(\d{4})(?=\d)/g, '$1-');
  return out.trim().split('\n').filter(Boolean).map((line) => {
    const [code, kind] = line.split('|');
    return [grouped(code), kind];
  });
}

/** The tracking codes shown on "my requests". */
async function shownCodes(page) {
  return page.locator('[data-tracking-code]').evaluateAll((els) => els.map((e) => e.dataset.trackingCode));
}

async function submit(page) {
  await page.locator('button[data-submit]').click();
  await page.waitForURL((u) => u.pathname === '/track');
}

test('online: submitted at once; tracking code, receipt with a QR code; the draft is gone', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser, { today: TODAY });
  try {
    await signIn(page, server.url, server.dataDir, ALI);
    await walkForm(page, server.url, 'withdrawal', WITHDRAWAL);
    await submit(page);
    await page.locator('[data-tracking-code]').first().waitFor({ timeout: STEP_TIMEOUT });
    const [code] = await shownCodes(page);
    assert.match(code, /^\d{4}-\d{4}-\d{4}$/);
    assert.deepEqual(requestRows(server.dataDir), [[code, 'withdrawal']]);
    // The server's lookup knows it by the same code and national ID.
    const lookup = await page.evaluate(async ({ code, id }) => {
      const r = await fetch('/api/v1/requests/lookup', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tracking_code: code, national_id: id }) });
      return { status: r.status, body: await r.json() };
    }, { code, id: WITHDRAWAL.national_id });
    assert.equal(lookup.status, 200);
    assert.equal(lookup.body.status, 'submitted');
    const { drafts } = await readDrafts(page);
    assert.equal(drafts.length, 0, 'the draft is removed once the receipt is stored');
    assert.deepEqual(await axeViolations(page), [], 'my requests: axe-core');
    await screenshots(page, 'fa-track');
    await page.locator(`[data-tracking-code="${code}"] a[data-receipt]`).click();
    await page.locator(`[data-receipt-for="${code}"]`).waitFor();
    assertNoCode(page.url(), code);
    assert.equal(await page.locator('.qr svg').count(), 1);
    assert.deepEqual(await axeViolations(page), [], 'receipt: axe-core');
    await screenshots(page, 'fa-receipt');
    assert.match(await page.locator('[data-date=revocation_deadline]').getAttribute('data-value'), /^\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(errorsBut(page, 401), [], 'no error but "not signed in" before signing in');
  } finally {
    await context.close();
    await server.stop();
  }
});

test('server down: queued, then sent once when it is back (same port, same data)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pishkhan-data-'));
  let server = await startServer({ dataDir, demoUsers: true });
  const port = new URL(server.url).port;
  const { context, page } = await openPage(browser, { today: TODAY });
  try {
    await signIn(page, server.url, server.dataDir, ALI);
    await walkForm(page, server.url, 'clearance', CLEARANCE);
    await server.stop();
    await submit(page);
    const entry = page.locator('[data-outbox-state=queued]');
    await entry.waitFor();
    await page.waitForFunction(() => /تلاش دوباره/.test(document.querySelector('[data-outbox]')?.textContent ?? ''));
    assert.deepEqual(await axeViolations(page), [], 'a queued request: axe-core');
    assert.equal(await page.locator('[data-tracking-code]').count(), 0);

    server = await startServer({ port, dataDir, demoUsers: true });
    await page.locator('button[data-retry-now]').click();
    await page.locator('[data-tracking-code]').first().waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await page.locator('[data-outbox]').count(), 0);
    const codes = await shownCodes(page);
    assert.equal(codes.length, 1);
    assert.deepEqual(requestRows(dataDir), [[codes[0], 'clearance']]);
  } finally {
    await context.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the connection lost after the server stored the request: retried with the same key, one row', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser, { today: TODAY });
  const keys = [];
  try {
    await signIn(page, server.url, server.dataDir, ALI);
    await walkForm(page, server.url, 'clearance', CLEARANCE);
    let cut = true;
    await page.route('**/api/v1/requests', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (cut) {
        cut = false;
        await route.fetch(); // the server stores it …
        await route.abort('connectionreset'); // … and the answer never arrives
      } else {
        await route.continue();
      }
    });
    await submit(page);
    await page.locator('[data-outbox-state=queued]').waitFor();
    await page.locator('button[data-retry-now]').click();
    await page.locator('[data-tracking-code]').first().waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1], 'the retry sends the same idempotency key');
    const codes = await shownCodes(page);
    assert.deepEqual(requestRows(server.dataDir), [[codes[0], 'clearance']]);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a request the server refuses goes back to the form with the server\'s reasons', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser, { today: TODAY });
  try {
    await signIn(page, server.url, server.dataDir, ALI);
    await walkForm(page, server.url, 'clearance', CLEARANCE);
    // The server sees an answer the form would never send.
    await page.route('**/api/v1/requests', async (route) => {
      const body = JSON.parse(route.request().postData());
      body.answers.reason = 'holiday';
      await route.continue({ postData: JSON.stringify(body) });
    });
    await submit(page);
    await page.locator('[data-outbox-state=rejected]').waitFor();
    await page.locator('a[data-fix]').click();
    await page.locator('[data-server-refused]').waitFor();
    assert.match(await page.locator('[data-server-refused]').innerText(), /علت تسویه حساب/);
    assert.equal(requestRows(server.dataDir).length, 0);
    await page.unroute('**/api/v1/requests');
    await submit(page);
    await page.locator('[data-tracking-code]').first().waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(requestRows(server.dataDir).length, 1);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('kiosk: signed in there, the receipt is shown and printed at once, then "finish and clear" leaves nothing, not even the session', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser, { today: TODAY });
  try {
    await startKiosk(context, page, server.url);
    await walkForm(page, server.url, 'clearance', CLEARANCE);
    await page.locator('button[data-submit]').click();
    // Not signed in: the request waits; signing in here sends it.
    await page.waitForURL((u) => u.pathname === '/track');
    await signInToSend(page, server.dataDir, ALI);
    await page.waitForURL((u) => u.pathname === '/track/receipt');
    await page.locator('[data-receipt-for]').waitFor();
    await page.waitForFunction(() => window.__printed === 1);
    const code = await page.locator('[data-receipt-for]').getAttribute('data-receipt-for');
    assertNoCode(page.url(), code);
    assert.deepEqual(requestRows(server.dataDir), [[code, 'clearance']]);
    await page.locator('[data-kiosk-finish]').click();
    await page.waitForURL((u) => u.pathname === '/');
    await appReady(page);
    // The start page's second wipe has finished (docs/app-contract.md).
    await page.locator('html[data-kiosk-wiped]').waitFor({ state: 'attached' });
    const left = await page.evaluate(async () => {
      const dbs = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
      return { dbs, local: { ...localStorage }, session: { ...sessionStorage }, html: document.body.innerHTML };
    });
    assert.ok(!left.dbs.includes('pishkhan') || !(await readReceipts(page)).length, 'no receipt is left in IndexedDB');
    // The person session ended on the server, and its cookie is gone; the only cookie left is
    // the start page's own language (Persian, the default), which names nobody.
    const me = await page.evaluate(async () => (await fetch('/api/v1/signin/me')).status);
    assert.equal(me, 401);
    const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`);
    assert.deepEqual(cookies.filter((c) => c !== 'pishkhan_lang=fa'), []);
    for (const where of [JSON.stringify(left.local), JSON.stringify(left.session), left.html]) {
      assert.ok(!where.includes(code) && !where.includes(code.replace(/-/g, '')), 'the tracking code is gone');
      assert.ok(!where.includes(CLEARANCE.national_id), 'the national ID is gone');
    }
  } finally {
    await context.close();
    await server.stop();
  }
});

/** The receipts kept in IndexedDB (`pishkhan`/`requests`). */
async function readReceipts(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('pishkhan');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('requests')) { db.close(); resolve([]); return; }
      const all = db.transaction('requests').objectStore('requests').getAll();
      all.onsuccess = () => { db.close(); resolve(all.result); };
      all.onerror = () => reject(all.error);
    };
  }));
}

test('another device looks a request up by tracking code and national ID', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser, { today: TODAY });
  const { context: other, page: phone } = await openPage(browser, { today: TODAY });
  try {
    await signIn(page, server.url, server.dataDir, ALI);
    await walkForm(page, server.url, 'clearance', CLEARANCE);
    await submit(page);
    await page.locator('[data-tracking-code]').first().waitFor({ timeout: STEP_TIMEOUT });
    const [code] = await shownCodes(page);

    await phone.goto(server.url + '/track');
    await phone.locator('[data-no-requests]').waitFor();
    const lookup = phone.locator('form[data-lookup]');
    // A mistyped code is caught before asking the server (its check digit).
    const wrong = code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10);
    await lookup.locator('[name=tracking_code]').fill(wrong);
    await lookup.locator('[name=national_id]').fill(CLEARANCE.national_id);
    await lookup.locator('button[type=submit]').click();
    await lookup.locator('.error-summary').waitFor();
    assert.match(await lookup.locator('.error-summary').innerText(), /کد رهگیری/);
    // Persian digits, no hyphens: found.
    await lookup.locator('[name=tracking_code]').fill(code.replace(/-/g, '').replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]));
    await lookup.locator('button[type=submit]').click();
    const result = phone.locator(`[data-lookup-result="${code}"]`);
    await result.waitFor();
    // A clearance starts at the first office of its route (seed 002).
    assert.equal(await result.getAttribute('data-status'), 'at_office:department');
    assert.equal(await result.locator('ol li').count(), 1, 'the timeline: submitted');
    assert.match(await result.innerText(), /کارشناس بخش/);
    // Someone else's national ID: the same "not found" as an unknown code.
    await lookup.locator('[name=national_id]').fill('0012345679');
    await lookup.locator('button[type=submit]').click();
    await phone.waitForFunction(() => document.querySelector('[data-lookup-result]')?.dataset.lookupResult === '');
    assert.deepEqual(await axeViolations(phone), []);
  } finally {
    await context.close();
    await other.close();
    await server.stop();
  }
});
