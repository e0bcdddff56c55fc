// The browser-test harness: the real `pishkhan` server on a free port serving the real dist/,
// Debian's Chromium driven by playwright-core, a fake clock set to a case's Jalali "today", and
// the `pishkhan` CLI as the oracle for what a page must show.
//
// Environment (scripts/test.sh sets both; the defaults are the repository's own paths):
//   PISHKHAN_BIN   the server/CLI binary   (default: target/debug/pishkhan)
//   PISHKHAN_DIST  the built app           (default: dist)
//   CHROMIUM       the browser             (default: /usr/bin/chromium)

import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = resolve(ROOT, process.env.PISHKHAN_BIN ?? 'target/debug/pishkhan');
export const DIST = resolve(ROOT, process.env.PISHKHAN_DIST ?? 'dist');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'target/screenshots');
export const CASES = join(ROOT, 'tests/cases');

/** How long one page may take to appear or react (ms). */
export const STEP_TIMEOUT = 10_000;

// ---------------------------------------------------------------------------------------------
// The server

/**
 * Starts `pishkhan serve --addr 127.0.0.1:<port> --dist <dist> --data-dir <dir>` and resolves once
 * it has printed "pishkhan listening on http://ADDR". `port` 0 (the default) picks a free one;
 * `dataDir` defaults to a fresh temporary directory (pass the same one to restart on the same
 * data). `demoUsers` adds `--demo-users` (one staff user per role, password `pishkhan-demo`, and
 * the demo roster people sign in from: lib/signin.mjs), with the sign-in limits raised so that a
 * file may sign the same person in many times. `config` is a `pishkhan.toml` for `--config` (the
 * OpenID providers). `paymentGateway` is `--payment-gateway` (the sandbox, a development
 * server's test payment, by default; `null`: none, nothing can be paid). `stop()` kills it
 * (SIGKILL) and waits for it to exit.
 */
export async function startServer({ port = 0, dataDir, demoUsers = false, config, paymentGateway = 'sandbox' } = {}) {
  const owned = dataDir === undefined; // a temporary data directory of its own, removed on stop
  if (owned) dataDir = mkdtempSync(join(tmpdir(), 'pishkhan-data-'));
  for (const [what, path] of [['the pishkhan binary', BIN], ['the built app', join(DIST, 'index.html')]]) {
    if (!existsSync(path)) throw new Error(`${what} is missing: ${path} (build it: scripts/test.sh)`);
  }
  const args = ['serve', '--addr', `127.0.0.1:${port}`, '--dist', DIST, '--data-dir', dataDir, '--sms-log'];
  if (paymentGateway) args.push('--payment-gateway', paymentGateway);
  if (demoUsers) args.push('--demo-users', '--codes-per-person', '100', '--lookups-per-minute', '100');
  if (config) args.push('--config', config);
  const child = spawn(BIN, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d));
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  // Never leave a server behind, even when the test process dies early.
  const reap = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  process.once('exit', reap);
  exited.then(() => process.off('exit', reap));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('the server did not say where it listens within 15 s')), 15_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^pishkhan listening on (http:\/\/\S+)/.exec(line);
      m ? res(m[1]) : rej(new Error(`unexpected first line from the server: ${line}`));
    });
    exited.then(({ code, signal }) =>
      rej(new Error(`the server exited (${code ?? signal}) before listening: ${Buffer.concat(stderr)}`)));
  });
  lines.on('line', () => {}); // keep draining stdout
  child.stdout.resume();
  return {
    url,
    dataDir,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      if (owned) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The browser

/**
 * Debian's Chromium, headless. Playwright gives every launch a fresh temporary profile
 * (user-data-dir) of its own and removes it on close.
 */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A server and a browser for one test file: call in `before`, and `close()` in `after`.
 */
export async function setup(options = {}) {
  const [server, browser] = await Promise.all([startServer(options), launchBrowser()]);
  return {
    server,
    browser,
    base: server.url,
    async close() {
      await Promise.allSettled([browser.close(), server.stop()]);
    },
  };
}

/**
 * A fresh browser context (its own storage and service workers) whose clock says `today`
 * (a Jalali date, any digits) at noon in Tehran, and a page in it. Errors thrown in the page
 * are collected in `page.errors` for failure messages.
 */
export async function openPage(browser, { today = '1403-07-15', viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({
    viewport,
    locale: 'fa-IR',
    timezoneId: 'Asia/Tehran',
    bypassCSP: true, // lets the tests inject axe-core whatever the app's CSP says
  });
  await context.clock.setFixedTime(tehranNoon(today));
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(`console: ${m.text()}`);
  });
  page.setDefaultTimeout(STEP_TIMEOUT);
  return { context, page };
}

/**
 * Waits until the app has taken over the page (`<html data-app-ready>`) and shows its heading.
 * The start page, the pre-check and the tools arrive prerendered (issue 15), so a heading alone
 * does not mean the app runs yet: what it records (kiosk mode, the language) may still be ahead.
 */
export async function appReady(page) {
  await page.locator('html[data-app-ready]').waitFor({ state: 'attached' });
  await page.locator('main h1').first().waitFor();
}

/** Waits until a service worker is active and controls the page (reloading once if needed). */
export async function waitForServiceWorker(page) {
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
  if (state !== 'controlled') throw new Error(`the service worker does not control the page: ${state}`);
}

/**
 * A first visit to the start page, left once the worker controls it and has cached the other
 * bundles in the background (`data-offline-bundles="cached"`): every page works offline after it.
 */
export async function firstVisit(page, base) {
  await page.goto(base + '/');
  await appReady(page);
  await waitForServiceWorker(page);
  await page.locator('html[data-offline-bundles="cached"]').waitFor({ state: 'attached', timeout: 30_000 });
}

/**
 * Kiosk mode on (`/?kiosk=1&idle=600`), ready once its bar is there (the kiosk bundle starts after
 * the app), with `window.print` counted in `window.__printed` instead of printing.
 */
export async function startKiosk(context, page, base) {
  await context.addInitScript(() => {
    window.__printed = 0;
    window.print = () => { window.__printed += 1; };
  });
  await page.goto(base + '/?kiosk=1&idle=600');
  await appReady(page);
  await page.locator('[data-kiosk-finish]').waitFor();
}

/** Waits until the service worker has cached the request forms' shell (after a visit to a form). */
export async function waitForFormsShell(page) {
  await waitForAsync(page, async () => {
    const cache = await caches.open('pishkhan-forms-v1');
    const keys = (await cache.keys()).map((r) => new URL(r.url).pathname);
    return keys.includes('/forms/index.html') && keys.some((k) => k.endsWith('_bg.wasm'));
  }, null, { what: 'the worker caching the forms shell', timeout: 15_000 });
}

/**
 * The page's errors, but the browser's own log line for an answer with one of `statuses` that the
 * page expects (a refusal the test asked for; 401 from `GET /api/v1/signin/me`, which is how the
 * request forms learn that no one is signed in).
 */
export function errorsBut(page, ...statuses) {
  const expected = new RegExp(`Failed to load resource: the server responded with a status of (${statuses.join('|')})`);
  return page.errors.filter((e) => !expected.test(e));
}

/**
 * Records every address the page's main frame shows — loads, redirects' ends and the app's own
 * navigations (`pushState`/`replaceState`) — for [`assertNoCode`].
 */
export function watchAddresses(page) {
  const seen = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.push(frame.url());
  });
  return seen;
}

/**
 * Fails, naming them, when any of `addresses` (one or a list) holds tracking code `code`, with or
 * without its dashes, in Latin or Persian digits: a tracking code is never in a URL (issue 13).
 */
export function assertNoCode(addresses, code) {
  const forms = [code, code.replace(/-/g, ''), persianDigits(code), persianDigits(code.replace(/-/g, ''))];
  const found = [].concat(addresses).filter((a) => forms.some((f) => decodeURIComponent(a).includes(f)));
  assert.deepEqual(found, [], `tracking code ${code} in the address bar`);
}

/**
 * Waits until `fn(arg)`, run in the page, resolves to something truthy, and returns it.
 * For an async condition: `page.waitForFunction` does not await a returned promise (a promise is
 * truthy, so it would return at once). Polls every 50 ms; throws naming `what` after `timeout`.
 */
export async function waitForAsync(page, fn, arg, { what = 'the condition', timeout = STEP_TIMEOUT } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const result = await page.evaluate(fn, arg);
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`${what}: not so after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---------------------------------------------------------------------------------------------
// Jalali dates and digits

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC = '٠١٢٣٤٥٦٧٨٩';

export function latinDigits(s) {
  return String(s).replace(/[۰-۹]/g, (c) => PERSIAN.indexOf(c)).replace(/[٠-٩]/g, (c) => ARABIC.indexOf(c));
}

export function persianDigits(s) {
  return String(s).replace(/[0-9]/g, (c) => PERSIAN[c]);
}

/** `"۱۴۰۳/۰۷/۱۵"` or `"1403-07-15"` → `{year: 1403, month: 7, day: 15}`. */
export function parseJalali(s) {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(latinDigits(s).trim());
  if (!m) throw new Error(`not a Jalali date: ${s}`);
  return { year: +m[1], month: +m[2], day: +m[3] };
}

export function machineDate({ year, month, day }) {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const persianFormat = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
  timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric',
});

function jalaliOfUtcDay(ms) {
  const parts = Object.fromEntries(persianFormat.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day };
}

const DAY = 86_400_000;

/** The Gregorian day (UTC midnight, ms) of a Jalali date, found through ICU's Persian calendar. */
export function gregorianMs(jalali) {
  const j = typeof jalali === 'string' ? parseJalali(jalali) : jalali;
  // 1 Farvardin falls on 20 or 21 March; start a little before the estimate and walk.
  const estimate = Date.UTC(j.year + 621, 2, 20) + ((j.month - 1) * 31 - (j.month > 7 ? j.month - 7 : 0) + j.day - 1) * DAY;
  for (let ms = estimate - 5 * DAY; ms <= estimate + 5 * DAY; ms += DAY) {
    const k = jalaliOfUtcDay(ms);
    if (k.year === j.year && k.month === j.month && k.day === j.day) return ms;
  }
  throw new Error(`no Gregorian day found for ${machineDate(j)}`);
}

/** Noon in Tehran (UTC+03:30) on a Jalali date, as a Date: safely inside that civil day. */
export function tehranNoon(jalali) {
  return new Date(gregorianMs(jalali) + 8.5 * 3_600_000);
}

/** Whole days from `from` to `to` (negative when `to` has passed). */
export function daysBetween(from, to) {
  return Math.round((gregorianMs(to) - gregorianMs(from)) / DAY);
}

// ---------------------------------------------------------------------------------------------
// The oracle: the pishkhan CLI

/** The rules' answer for one input, from `pishkhan <tool>`. */
export function cli(tool, input) {
  const out = execFileSync(BIN, [tool], { input: JSON.stringify(input), encoding: 'utf8' });
  return JSON.parse(out);
}

/** The cases of `tests/cases/<file>.jsonl`, looked up by exact name (a missing name throws). */
export function casesByName(file, names) {
  const all = readFileSync(join(CASES, `${file}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return names.map((name) => {
    const c = all.find((x) => x.name === name);
    if (!c) throw new Error(`no case named ${JSON.stringify(name)} in ${file}.jsonl`);
    return c;
  });
}

// ---------------------------------------------------------------------------------------------
// Forms

/** Field names (as in rules.md §8, dotted for `abroad.*`) whose values are dates. */
const DATE_FIELDS = new Set([
  'birth_date', 'study_start', 'previous_graduation', 'abroad.exit_date', 'abroad.university_entry',
  'submitted', 'event_date',
]);
/** What an unasked or absent optional answer means (rules.md §8 defaults). */
const DEFAULTS = {
  prior_exemption_same_level: false,
  withdrew_from_same_level: false,
  withdrawn_renewals_used: 0,
  commission_extension: false,
  abroad: false,
  admitted_via_national_exam: false,
  university_letter: false,
  seminary_council_confirmation: false,
};

/**
 * A contract input as the answers a student gives, keyed by form field name (without the
 * date suffixes): `abroad` becomes the yes/no radio plus `abroad.<field>`, `today` is dropped
 * (it is the clock's), absent optional booleans are false and counts 0.
 */
export function answersOf(input) {
  const answers = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'today') continue;
    if (key === 'abroad') {
      answers.abroad = value !== null && typeof value === 'object';
      if (answers.abroad) for (const [k, v] of Object.entries(value)) answers[`abroad.${k}`] = v;
    } else {
      answers[key] = value;
    }
  }
  for (const [k, v] of Object.entries(DEFAULTS)) if (!(k in answers)) answers[k] = v;
  return answers;
}

/**
 * What to type into one input named `name` (`study_start.day`, `level`, …), or `undefined` when
 * the answers do not say (optional dates are left empty: `''`).
 * `digits`: 'latin' or 'persian' for dates and counts.
 */
export function valueFor(answers, name, digits = 'latin') {
  const conv = digits === 'persian' ? persianDigits : latinDigits;
  const m = /^(.*)\.(day|month|year)$/.exec(name);
  if (m && DATE_FIELDS.has(m[1])) {
    const date = answers[m[1]];
    if (date === undefined || date === null) return m[1] === 'previous_graduation' ? '' : undefined;
    const j = parseJalali(date);
    return conv(m[2] === 'year' ? String(j.year) : String(j[m[2]]).padStart(2, '0'));
  }
  const v = answers[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return conv(String(v));
  return /^[0-9۰-۹٠-٩]+$/.test(v) ? conv(v) : v;
}

/** The named inputs of the page's form a person types into, in document order: `[{name, type}]`, radios once. */
export async function formFields(page) {
  return page.$$eval('main input[name], main select[name], main textarea[name]', (els) => {
    const seen = new Set();
    const out = [];
    for (const el of els) {
      // Read-only: filled by the sign-in (the signed-in identity on the request forms).
      if (el.type === 'hidden' || el.type === 'submit' || el.readOnly || seen.has(el.name)) continue;
      seen.add(el.name);
      out.push({ name: el.name, type: el.type || el.tagName.toLowerCase() });
    }
    return out;
  });
}

/**
 * Fills every named input on the page from `answers`; returns the names filled. Throws when the
 * page asks something the answers cannot answer.
 */
export async function fillForm(page, answers, { digits = 'latin' } = {}) {
  const filled = [];
  for (const { name, type } of await formFields(page)) {
    const value = valueFor(answers, name, digits);
    if (value === undefined) {
      throw new Error(`${page.url()} asks "${name}", which the case does not answer`);
    }
    if (type === 'radio' || type === 'checkbox') {
      const radio = page.locator(`input[name="${name}"][value="${value}"]`);
      if ((await radio.count()) !== 1) {
        throw new Error(`${page.url()}: no single radio ${name}=${value}`);
      }
      await radio.check();
    } else if (type === 'select-one') {
      await page.locator(`select[name="${name}"]`).selectOption(value);
    } else {
      await page.locator(`[name="${name}"]`).fill(value);
    }
    filled.push(name);
  }
  return filled;
}

async function pageState(page) {
  return page.evaluate(() => ({
    path: location.pathname,
    h1: document.querySelector('h1')?.textContent ?? '',
  }));
}

/** The page's error summary text, if one is shown (for failure messages). */
async function errorSummary(page) {
  const s = page.locator('.error-summary');
  return (await s.count()) ? (await s.first().innerText()).replace(/\s+/g, ' ') : null;
}

/** Waits until the path differs from `from` and the page's heading has been redrawn. */
export async function waitForPathChange(page, from, what) {
  try {
    await page.waitForFunction((p) => location.pathname !== p, from.path, { timeout: STEP_TIMEOUT });
  } catch (e) {
    const summary = await errorSummary(page);
    throw new Error(`${what}: still on ${from.path} after submitting` +
      (summary ? ` — error summary: ${summary}` : '') +
      (page.errors.length ? ` — page errors: ${page.errors.join(' | ')}` : ''));
  }
  await page.waitForFunction((h) => (document.querySelector('h1')?.textContent ?? '') !== h, from.h1, { timeout: 2_000 })
    .catch(() => {}); // two pages may share a heading; the path change is what counts
}

/** The page's single submit button (the contract: exactly one). */
export async function submitButton(page) {
  const button = page.locator('button[type=submit]');
  await button.first().waitFor({ state: 'visible' });
  const n = await button.count();
  if (n !== 1) throw new Error(`${page.url()} has ${n} submit buttons, not 1`);
  return button;
}

/**
 * Walks the pre-check from /precheck to the result page, answering each question page from
 * `input` (a rules.md §8 precheck input). `onPage(name, page)` runs on each page as it appears
 * (`level` … `check`, `result`). Returns the pages visited and the fields filled.
 * `fill(page, answers)` may replace the mouse-driven filling and submitting (keyboard test).
 */
export async function walkPrecheck(page, base, input, { digits = 'latin', onPage, fill, submit, start = '/precheck' } = {}) {
  const answers = answersOf(input);
  const visited = [];
  const filled = new Set();
  await page.goto(base + start);
  await page.waitForFunction(() => /^\/precheck\/[a-z-]+$/.test(location.pathname), null, { timeout: STEP_TIMEOUT })
    .catch(() => { throw new Error(`/precheck did not lead to a question page (at ${page.url()})`); });
  for (let step = 0; step < 20; step++) {
    const name = new URL(page.url()).pathname.replace(/^\/precheck\//, '');
    visited.push(name);
    if (name === 'result') {
      await page.locator('[data-verdict]').first().waitFor({ state: 'attached' });
      if (onPage) await onPage(name, page);
      return { visited, filled: [...filled] };
    }
    await submitButton(page);
    if (onPage) await onPage(name, page);
    const before = await pageState(page);
    if (name !== 'check') {
      for (const f of await (fill ?? fillForm)(page, answers, { digits })) filled.add(f);
    }
    if (submit) await submit(page);
    else await (await submitButton(page)).click();
    await waitForPathChange(page, before, `pre-check page "${name}"`);
  }
  throw new Error(`the pre-check did not reach a result in 20 pages: ${visited.join(' → ')}`);
}

/**
 * The question pages the contract asks for this input, in order (docs/app-contract.md).
 * For `school` the page after the birth date may or may not be previous-graduation, so it is
 * returned as optional ('previous-graduation?').
 */
export function expectedPages(input) {
  const a = answersOf(input);
  const pages = ['level'];
  if (a.level === 'school') pages.push('birth-date', 'previous-graduation?');
  else pages.push('study-start', 'previous-graduation');
  pages.push('institution', 'absence', 'earlier-exemption');
  if (a.prior_exemption_same_level) pages.push('withdrew');
  if (a.prior_exemption_same_level && a.withdrew_from_same_level) pages.push('renewals');
  if (a.level !== 'school' && a.level !== 'seminary') pages.push('commission');
  pages.push('abroad');
  if (a.abroad) pages.push('abroad-staff');
  if (a.abroad && a['abroad.parent_permanent_government_staff']) pages.push('abroad-details');
  pages.push('check', 'result');
  return pages;
}

/** Whether `visited` follows `expected` (entries ending in `?` may be absent). */
export function followsPages(visited, expected) {
  let i = 0;
  for (const e of expected) {
    const optional = e.endsWith('?');
    const name = e.replace(/\?$/, '');
    if (visited[i] === name) i++;
    else if (!optional) return false;
  }
  return i === visited.length;
}

/** Fills the tool's form from the input, submits, and waits for the answer on the same page. */
export async function answerTool(page, base, route, input, digits) {
  await page.goto(base + route);
  const submit = await submitButton(page);
  await fillForm(page, answersOf(input), { digits });
  await submit.click();
  await page.locator('[data-reason-code], [data-days-left], [data-date]:not([data-date="today"])')
    .first().waitFor({ state: 'attached', timeout: STEP_TIMEOUT })
    .catch(async () => {
      const summary = page.locator('.error-summary');
      const text = (await summary.count()) ? await summary.first().innerText() : '';
      throw new Error(`${route}: no answer appeared after submitting` + (text ? ` — error summary: ${text}` : ''));
    });
  if (new URL(page.url()).pathname !== route) throw new Error(`the answer should appear on ${route}, not ${page.url()}`);
}

// ---------------------------------------------------------------------------------------------
// Results

/** What a result page (or a tool page after submitting) shows, by the contract's attributes. */
export async function readResult(page) {
  return page.evaluate(() => {
    const dates = {};
    for (const el of document.querySelectorAll('[data-date]')) {
      (dates[el.dataset.date] ??= []).push(el.dataset.value ?? null);
    }
    return {
      verdict: document.querySelector('[data-verdict]')?.dataset.verdict ?? null,
      verdicts: document.querySelectorAll('[data-verdict]').length,
      reasons: [...document.querySelectorAll('[data-reason-code]')].map((e) => e.dataset.reasonCode),
      dates,
      daysLeft: [...document.querySelectorAll('[data-days-left]')].map((e) => e.dataset.daysLeft),
    };
  });
}

/**
 * Compares what the page shows with the CLI's `answer`: the reason codes in order, and each
 * non-null date of `dateFields` (every element carrying it must hold the machine value).
 * Returns a list of differences (empty when they agree).
 */
export function differences(shown, answer, dateFields) {
  const diffs = [];
  const codes = answer.reasons.map((r) => r.code);
  if (JSON.stringify(shown.reasons) !== JSON.stringify(codes)) {
    diffs.push(`reasons: page ${JSON.stringify(shown.reasons)}, rules ${JSON.stringify(codes)}`);
  }
  for (const f of dateFields) {
    if (answer[f] === null || answer[f] === undefined) continue;
    const values = shown.dates[f];
    if (!values) diffs.push(`date ${f}: not on the page (rules: ${answer[f]})`);
    else if (values.some((v) => v !== answer[f])) diffs.push(`date ${f}: page ${JSON.stringify(values)}, rules ${answer[f]}`);
  }
  return diffs;
}

// ---------------------------------------------------------------------------------------------
// Accessibility and screenshots

const AXE = join(ROOT, 'tests/browser/node_modules/axe-core/axe.min.js');

/** axe-core's violations on the page as it is now: `["rule-id (impact): target, …"]`. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE });
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}` +
    (v.nodes.length > 4 ? ` and ${v.nodes.length - 4} more` : ''));
}

export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

/** Full-page screenshots of the page at each viewport, as target/screenshots/<name>-<w>x<h>.png. */
export async function screenshots(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize();
  await page.evaluate(() => document.fonts.ready);
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${vp.width}x${vp.height}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** Presses Tab until `selector` has the focus (at most `max` times). */
export async function tabTo(page, selector, max = 30) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** `<html lang dir>` of the page. */
export async function htmlLangDir(page) {
  return page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
}
