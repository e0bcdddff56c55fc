// Signing in (issue 12) in a real browser against the real server: the pre-check and a draft
// offline, "submit" asking to sign in, the roster's code, the receipt, then "all my requests" on a
// second browser profile signed in there, acting on a request with no SMS code; the same through
// a real OpenID provider's login page (tests/oidc/provider.mjs) for each kind of request; a
// session ending during an outbox send; a request naming another person refused by the server
// and corrected; axe-core on the new pages in Persian and English, and a keyboard-only sign-in;
// with two universities (issue 14), the page asks for the university, offers its providers and
// signs a student number in at it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, axeViolations, casesByName, walkPrecheck, readResult, cli,
  waitForServiceWorker, waitForFormsShell, persianDigits, tabTo, errorsBut, STEP_TIMEOUT,
  watchAddresses, assertNoCode,
  appReady, BIN,
} from './lib/harness.mjs';
import { CLEARANCE, EXEMPTION, WITHDRAWAL, walkForm, readDrafts } from './lib/forms.mjs';
import {
  ALI, SARA, codeFor, expireSessions, signIn, signInFromLink, signInToSend, smsLines,
} from './lib/signin.mjs';
import { STUDENT, providerLogin, startWithProvider } from './lib/oidc.mjs';

const TODAY = '1403-07-15';
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The requests table of the server's SQLite file: `[[kind, national_id]]`. */
function requestRows(dataDir) {
  const out = execFileSync('sqlite3', ['-readonly', join(dataDir, 'pishkhan.sqlite3'),
    'SELECT kind, national_id FROM requests ORDER BY id;'], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
}

/** Submits the open check page and waits for "my requests". */
async function submit(page) {
  await page.locator('button[data-submit]').click();
  await page.waitForURL((u) => u.pathname === '/track');
}

/** Switches the page's language and waits until `<html lang>` says so. */
async function switchLanguage(page, lang) {
  await page.locator('[data-lang-switch]').click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

test('offline pre-check and draft, submit asks to sign in, roster code, receipt; my requests on a second profile', async () => {
  const server = await startServer({ demoUsers: true });
  const [c] = casesByName('precheck', ["Parsa, diplomat's son, 3 semesters, entered university 5 months after leaving: case (a)"]);
  const { context, page } = await openPage(browser, { today: TODAY });
  const { context: other, page: phone } = await openPage(browser, { today: TODAY });
  const addresses = [watchAddresses(page), watchAddresses(phone)];
  try {
    // One visit online: the app and the forms are kept by the service worker.
    await page.goto(server.url + '/');
    await appReady(page);
    await waitForServiceWorker(page);
    // The pre-check is in the tools bundle, cached in the background after this first visit.
    await page.locator('html[data-offline-bundles="cached"]').waitFor({ state: 'attached', timeout: 30_000 });
    await page.goto(server.url + '/requests/clearance?new=1');
    await page.locator('input[name=national_id]').waitFor();
    await waitForFormsShell(page);

    await context.setOffline(true);
    await walkPrecheck(page, server.url, c.input);
    assert.equal((await readResult(page)).verdict, cli('precheck', c.input).verdict);
    await walkForm(page, server.url, 'exemption', EXEMPTION);
    await submit(page);
    const entry = page.locator('[data-outbox-state=queued]');
    await entry.waitFor();
    assert.equal(await page.locator('[data-tracking-code]').count(), 0);

    // Back online and not signed in: the request waits, and the page asks to sign in.
    await context.setOffline(false);
    const ask = page.locator('[data-sign-in-needed=signed_out]');
    await ask.waitFor();
    assert.match(await ask.innerText(), /وارد شوید/);
    assert.equal(await entry.count(), 1, 'the request is kept');
    assert.equal((await readDrafts(page)).drafts.length, 1, 'the draft is kept');
    assert.equal(requestRows(server.dataDir).length, 0);

    const code = await signInToSend(page, server.dataDir, ALI);
    assert.deepEqual(requestRows(server.dataDir), [['exemption', ALI.national_id]]);
    assert.equal((await readDrafts(page)).drafts.length, 0, 'the receipt replaced the draft');
    await page.locator(`[data-tracking-code="${code}"] a[data-receipt]`).click();
    await page.locator(`[data-receipt-for="${code}"]`).waitFor();
    assert.equal(new URL(page.url()).pathname, '/track/receipt');
    assertNoCode(page.url(), code);

    // A second profile: "all my requests" asks to sign in, then lists the request.
    await phone.goto(server.url + '/track/mine');
    await signInFromLink(phone, server.dataDir, ALI, { by: 'student_number' });
    await phone.waitForURL((u) => u.pathname === '/track/mine');
    const mine = phone.locator(`[data-my-request="${code}"]`);
    await mine.waitFor();
    // An eligible exemption waits for its fee once filed; the state named in the page's language.
    assert.equal(await mine.getAttribute('data-state'), 'awaiting_payment');
    assert.match(await mine.innerText(), /در انتظار پرداخت هزینه خدمات/);
    assert.ok((await mine.innerText()).includes(persianDigits(code)), 'the code in Persian digits');
    assert.equal(await mine.locator('bdi').first().innerText(), persianDigits(code));
    assert.deepEqual(await axeViolations(phone), [], 'my requests (fa): axe-core');
    await switchLanguage(phone, 'en');
    await mine.getByText('Awaiting the service fee').waitFor();
    assert.deepEqual(await axeViolations(phone), [], 'my requests (en): axe-core');
    await switchLanguage(phone, 'fa');

    // Acting on it: the applicant panel opens with no code by SMS.
    const sms = smsLines(server.dataDir).length;
    await mine.locator('button[data-act-on]').click();
    await phone.waitForURL((u) => u.pathname === '/track/receipt');
    const panel = phone.locator(`section.act-panel[data-act-for="${code}"]`);
    await panel.locator('[data-state]').first().waitFor();
    assertNoCode(phone.url(), code);
    // No address either page showed on the way held the code (issue 13).
    assertNoCode(addresses.flat(), code);
    assert.equal(await panel.locator('[data-state]').first().getAttribute('data-state'), 'awaiting_payment');
    assert.equal(await panel.locator('[data-send-code-form]').count(), 0);
    assert.equal(smsLines(server.dataDir).length, sms, 'no SMS was sent');
    assert.deepEqual(errorsBut(page, 401).filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)), [], 'offline and signed out only');
  } finally {
    await context.close();
    await other.close();
    await server.stop();
  }
});

test('OpenID Connect: each kind of request filed, then sent after signing in at the provider\'s own login page; a kiosk signs out there too', async () => {
  const env = await startWithProvider();
  const { server } = env;
  const { context, page } = await openPage(browser, { today: TODAY });
  const { context: kiosk, page: shared } = await openPage(browser, { today: TODAY });
  try {
    const mine = { national_id: STUDENT.national_id, mobile: STUDENT.mobile };
    await walkForm(page, server.url, 'exemption', { ...EXEMPTION, ...mine });
    await submit(page);
    await walkForm(page, server.url, 'withdrawal', { ...WITHDRAWAL, ...mine, student_number: STUDENT.student_number });
    await submit(page);
    await walkForm(page, server.url, 'clearance', { ...CLEARANCE, ...mine });
    await submit(page);
    await page.locator('[data-sign-in-needed=signed_out]').waitFor();
    assert.equal(await page.locator('[data-outbox-state=queued]').count(), 3);

    await page.locator('a[data-sign-in-link]').click();
    await page.waitForURL((u) => u.pathname === '/signin');
    const provider = page.locator('a[data-provider=university]');
    const href = new URL(await provider.getAttribute('href'), server.url);
    assert.equal(href.pathname, '/api/v1/signin/oidc/university/start');
    assert.equal(href.searchParams.get('return_to'), '/track');
    assert.equal(href.searchParams.get('fresh'), null, 'not a kiosk');
    await provider.click();
    await providerLogin(page, env.issuer, STUDENT.login);
    // Back from the provider, the app loads again: it sends what waited.
    await page.waitForURL((u) => u.href.startsWith(server.url) && u.pathname === '/track');
    await page.locator('[data-signed-in]').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-tracking-code]').length === 3 &&
      !document.querySelector('[data-outbox]'), null, { timeout: STEP_TIMEOUT });
    assert.deepEqual(requestRows(server.dataDir).map(([kind, id]) => [kind, id]).sort(), [
      ['clearance', STUDENT.national_id], ['exemption', STUDENT.national_id], ['withdrawal', STUDENT.national_id],
    ]);
    await page.goto(server.url + '/track/mine');
    await page.waitForFunction(() => document.querySelectorAll('[data-my-request]').length === 3);

    // At a kiosk, the provider is asked for a fresh sign-in; "finish and clear" signs out on the
    // server and at the provider, whose end of session leads back to the start page.
    await shared.goto(server.url + '/?kiosk=1&idle=600');
    await appReady(shared);
    // Kiosk mode is recorded by the kiosk bundle, which starts after the app: its bar is there.
    await shared.locator('[data-kiosk-finish]').waitFor();
    await shared.goto(server.url + '/signin');
    const link = shared.locator('a[data-provider=university]');
    const fresh = new URL(await link.getAttribute('href'), server.url);
    assert.equal(fresh.searchParams.get('fresh'), 'true');
    await link.click();
    await providerLogin(shared, env.issuer, STUDENT.login);
    await shared.waitForURL((u) => u.href.startsWith(server.url) && u.pathname === '/track');
    await shared.locator('[data-signed-in]').waitFor();
    await shared.locator('[data-kiosk-finish]').click();
    await shared.waitForURL((u) => u.href.startsWith(env.issuer));
    await shared.locator('button[name=logout][value=yes]').click();
    await shared.waitForURL((u) => u.href === `${server.url}/`);
    await shared.locator('html[data-kiosk-wiped]').waitFor({ state: 'attached' });
    assert.equal(await shared.evaluate(async () => (await fetch('/api/v1/signin/me')).status), 401);
    assert.ok(!(await kiosk.cookies()).some((c) => c.name === 'pishkhan_person'), 'no session cookie');
  } finally {
    await context.close();
    await kiosk.close();
    await env.stop();
  }
});

test('the session ends during an outbox send: nothing is lost, sign in again, sent once', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser, { today: TODAY });
  try {
    await signIn(page, server.url, server.dataDir, ALI);
    await walkForm(page, server.url, 'clearance', CLEARANCE);
    let expired = false;
    await page.route('**/api/v1/requests', async (route) => {
      if (!expired) {
        expired = true;
        expireSessions(server.dataDir); // the session ends while the request is on its way
      }
      await route.continue();
    });
    await submit(page);
    const ended = page.locator('[data-sign-in-needed=ended]');
    await ended.waitFor();
    assert.match(await ended.innerText(), /زمان ورود شما تمام شده است/);
    assert.equal(await page.locator('[data-outbox-state=queued]').count(), 1, 'still waiting');
    assert.equal((await readDrafts(page)).drafts.length, 1, 'the draft is kept');
    assert.equal(requestRows(server.dataDir).length, 0);
    await signInToSend(page, server.dataDir, ALI);
    assert.deepEqual(requestRows(server.dataDir), [['clearance', ALI.national_id]]);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a request naming another person is refused by the server, the field named; signed in, the form has the person\'s own ID', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser, { today: TODAY });
  try {
    // Filled before signing in, with someone else's national ID.
    await walkForm(page, server.url, 'clearance', { ...CLEARANCE, national_id: SARA.national_id });
    await submit(page);
    await signInFromLink(page, server.dataDir, ALI);
    await page.locator('[data-outbox-state=rejected]').waitFor();
    await page.locator('a[data-fix]').click();
    const refused = page.locator('[data-server-refused]');
    await refused.waitFor();
    assert.match(await refused.innerText(), /کد ملی/);
    // Signed in, the national ID is the person's own, read-only.
    const field = page.locator('[data-change=national_id]');
    await field.click();
    const input = page.locator('input[name=national_id]');
    await input.waitFor();
    assert.equal(await input.getAttribute('readonly'), '');
    assert.equal(await input.inputValue(), persianDigits(ALI.national_id));
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => u.pathname.endsWith('/check'));
    await submit(page);
    await page.locator('[data-tracking-code]').first().waitFor();
    assert.deepEqual(requestRows(server.dataDir), [['clearance', ALI.national_id]]);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('the sign-in page: axe-core in Persian and English at each step; keyboard only; errors name the field', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser, { today: TODAY });
  try {
    await page.goto(server.url + '/signin?return_to=/track/mine');
    await page.locator('form[data-signin-roster]').waitFor();
    for (const lang of ['en', 'fa']) {
      await switchLanguage(page, lang);
      assert.deepEqual(await axeViolations(page), [], `sign-in (${lang}): axe-core`);
    }
    // Keyboard only: an empty answer, then a wrong one, each named in the error summary.
    await tabTo(page, 'button[data-signin-send]');
    await page.keyboard.press('Enter');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /کد ملی/);
    await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
    await tabTo(page, 'input[name=national_id]');
    await page.keyboard.type('۰۱۲۳۴۵۶۷۸۸');
    await page.keyboard.press('Enter');
    // The summary now names the field with the rules' reason (no longer "enter this").
    await page.waitForFunction(() => {
      const text = document.querySelector('.error-summary')?.textContent ?? '';
      return text.includes('کد ملی:') && !text.includes('این را بنویسید');
    });
    assert.deepEqual(await axeViolations(page), [], 'sign-in with an error: axe-core');
    await page.locator('input[name=national_id]').fill('');
    // The code step: a wrong code is named; then the right one, typed in Persian digits.
    await tabTo(page, 'input[name=national_id]');
    await page.keyboard.type(persianDigits(ALI.national_id));
    const before = smsLines(server.dataDir).length;
    await page.keyboard.press('Enter');
    await page.locator('[data-code-sent]').waitFor();
    await page.waitForFunction(() => document.activeElement?.name === 'code');
    await page.keyboard.type('۱۲۳');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /۶ رقم/.test(document.querySelector('.error-summary')?.textContent ?? ''));
    assert.deepEqual(await axeViolations(page), [], 'the code step: axe-core');
    await switchLanguage(page, 'en');
    assert.deepEqual(await axeViolations(page), [], 'the code step (en): axe-core');
    await switchLanguage(page, 'fa');
    const code = await codeFor(server.dataDir, ALI.mobile, before);
    await tabTo(page, 'input[name=code]');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(persianDigits(code));
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/track/mine');
    await page.locator('[data-signed-in]').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'my requests, none yet: axe-core');
    // Signing out: the server has no session any more.
    await tabTo(page, 'button[data-sign-out]');
    await page.keyboard.press('Enter');
    await page.locator('[data-sign-in-needed]').waitFor();
    assert.equal(await page.evaluate(async () => (await fetch('/api/v1/signin/me')).status), 401);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('two universities: the sign-in page asks for the university, offers its providers, and a student number signs in at it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pishkhan-data-'));
  // A second university whose roster gives Ali's student number to someone else, and two
  // providers (never reached here): sharif's own and a national one.
  execFileSync(BIN, ['university', 'add', '--data-dir', dataDir, '--code', 'sharif',
    '--name-fa', 'دانشگاه شریف', '--name-en', 'Sharif University']);
  const other = { national_id: '1234567891', student_number: ALI.student_number, mobile: '09130000950' };
  const csv = join(dataDir, 'sharif.csv');
  writeFileSync(csv, 'student_number,national_id,mobile,faculty,level,status\n'
    + `${other.student_number},${other.national_id},${other.mobile},برق,phd,student\n`);
  execFileSync(BIN, ['roster', 'import', '--data-dir', dataDir, '--university', 'sharif', csv]);
  const config = join(dataDir, 'pishkhan.toml');
  const provider = (id, processes, universities) => [
    '[[oidc.providers]]', `id = "${id}"`, 'issuer = "http://127.0.0.1:9/"', 'client_id = "pishkhan"',
    'client_secret = "s"', 'redirect_base = "http://127.0.0.1:9"', `processes = ${processes}`,
    ...(universities ? [`universities = ${universities}`] : []), '',
  ].join('\n');
  writeFileSync(config, provider('campus', '["withdrawal", "clearance"]', '["sharif"]')
    + provider('national', '["exemption"]'));
  const server = await startServer({ dataDir, demoUsers: true, config });
  const { context, page } = await openPage(browser, { today: TODAY });
  try {
    await page.goto(server.url + '/signin?return_to=/track/mine');
    const select = page.locator('[data-signin-university] select[name=university]');
    await select.waitFor();
    const providers = () => page.locator('a[data-provider]')
      .evaluateAll((links) => links.map((a) => a.dataset.provider).sort());
    // None chosen: every provider; the default university's: the national one; sharif's: both.
    assert.deepEqual(await providers(), ['campus', 'national']);
    await select.selectOption('default');
    await page.waitForFunction(() => !document.querySelector('a[data-provider=campus]'));
    assert.deepEqual(await providers(), ['national']);
    await select.selectOption('sharif');
    await page.locator('a[data-provider=campus]').waitFor();
    for (const lang of ['en', 'fa']) {
      await switchLanguage(page, lang);
      assert.deepEqual(await axeViolations(page), [], `sign-in with two universities (${lang}): axe-core`);
    }
    // A student number needs the university: named when none is chosen.
    await select.selectOption('');
    const form = page.locator('form[data-signin-roster]');
    await form.locator('input[name=signin_with][value=student_number]').check();
    await form.locator('input[name=student_number]').fill(persianDigits(ALI.student_number));
    await form.locator('button[data-signin-send]').click();
    await page.waitForFunction(() => (document.querySelector('.error-summary')?.textContent ?? '').includes('دانشگاه شما'));
    assert.deepEqual(await axeViolations(page), [], 'no university chosen: axe-core');
    // At sharif, Ali's number is the other student's: the code goes to that student's mobile.
    await select.selectOption('sharif');
    const before = smsLines(dataDir).length;
    await form.locator('button[data-signin-send]').click();
    await page.locator('[data-code-sent]').waitFor();
    const code = await codeFor(dataDir, other.mobile, before);
    assert.equal(smsLines(dataDir).slice(before).some((m) => m.to === ALI.mobile), false);
    await page.locator('input[name=code]').fill(persianDigits(code));
    await page.locator('button[data-signin-verify]').click();
    await page.waitForURL((u) => u.pathname === '/track/mine');
    await page.locator(`[data-signed-in="${other.national_id}"]`).waitFor();
    // The sign-in box names the university a withdrawal or clearance will be filed at.
    const university = page.locator('[data-signed-in-university="sharif"]');
    await university.waitFor();
    assert.match(await university.textContent(), /دانشگاه: دانشگاه شریف/);
  } finally {
    await context.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
