// Kiosk mode (issue 4): `?kiosk=1` sticky until `?kiosk=0`, the inactivity warning with its
// countdown and "continue", the wipe of everything a visitor left (IndexedDB, local and session
// storage, Cache Storage, the DOM) when nobody answers or on "finish and clear", the digit keypad,
// and axe-core with the warning and the keypad open (screenshots of both into target/screenshots/).
// Kiosk mode is a bundle of its own (dist/kiosk/, loaded by public/register-sw.js only when it is
// on): a first visit without it requests nothing under /kiosk/.
//
// The kiosk counts idle seconds with a one-second `setInterval`, which Playwright's clock owns (the
// harness installs it to fix Date; timers keep running in real time): these tests let the idle
// timeout and the 20 s countdown pass with `page.clock.runFor`, which fires every tick in order,
// instead of waiting for them. After a wipe the start page marks `<html data-kiosk-wiped>` once its
// second pass has finished (docs/app-contract.md); the tests wait for that mark. The wipe and the
// forms ask the server whether someone is signed in (issue 12): its 401 is no error of the page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  setup, openPage, submitButton, axeViolations, waitForAsync, errorsBut, SCREENSHOTS, DIST, STEP_TIMEOUT,
} from './lib/harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/** The idle timeout of these tests: real time never reaches it, however slow the machine (the
    warning would then open by itself, half-way through a test); the tests let it pass on the
    clock. */
const IDLE = 120;
/** The seconds the warning counts down (app/src/kiosk/timer.rs, WARNING_SECONDS). */
const WARNING = 20;
const NATIONAL_ID = '0084575948';
const NAME = 'کیوان‌آزما';
const KIOSK_KEYS = ['pishkhan.kiosk', 'pishkhan.kiosk.idle'];

/** Opens `path` in kiosk mode (`query` added) and waits for the app and, when kiosk mode is to be
    on, for the kiosk bundle (it loads beside the app; its bar is the last thing it draws). */
async function open(page, path, query = `kiosk=1&idle=${IDLE}`, kiosk = !/kiosk=0/.test(query)) {
  await page.goto(`${env.base}${path}${path.includes('?') ? '&' : '?'}${query}`);
  await page.locator('html[data-app-ready]').waitFor({ state: 'attached' });
  await page.locator('main h1').first().waitFor();
  if (kiosk) {
    await page.locator('[data-kiosk-finish]').waitFor({ timeout: STEP_TIMEOUT }).catch(async (e) => {
      const state = await page.evaluate(() => ({
        html: document.documentElement.getAttributeNames().join(' '),
        local: { ...localStorage },
        bar: document.getElementById('kiosk-bar')?.outerHTML ?? null,
      }));
      throw new Error(`the kiosk bundle did not start: ${JSON.stringify(state)} ${page.errors.join(' | ')}: ${e.message}`);
    });
  }
}

/** The paths under /kiosk/ that `page` requests from now on. */
function kioskRequests(page) {
  const paths = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/kiosk/')) paths.push(path);
  });
  return paths;
}

/** Leaves a visitor's traces: a draft in IndexedDB `pishkhan`/`drafts` with a national ID and a
    name, a localStorage item and a Cache Storage cache of their own. First waits for the service
    worker to be activated: its activation deletes every `pishkhan-*` cache but the shells', which
    would remove the planted one behind the kiosk's back; and for its background caching of the
    other bundles to end (`<html data-offline-bundles>`), which would change the shells' caches
    between two readings of everything. */
async function plantVisitorData(page) {
  await page.locator('html[data-offline-bundles]').waitFor({ state: 'attached' });
  await page.evaluate(async ({ id, name }) => {
    const { active } = await navigator.serviceWorker.ready;
    await new Promise((resolve) => {
      const done = () => active.state === 'activated' && resolve();
      active.addEventListener('statechange', done);
      done();
    });
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('pishkhan', 1);
      req.onupgradeneeded = () => {
        for (const store of ['drafts', 'attachments']) {
          if (!req.result.objectStoreNames.contains(store)) req.result.createObjectStore(store);
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('drafts', 'readwrite');
      tx.objectStore('drafts').put(
        { id: 'kiosk-test', kind: 'exemption', answers: { national_id: id, first_name: name } }, 'kiosk-test');
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    localStorage.setItem('pishkhan.visitor-note', `${name} ${id}`);
    const cache = await caches.open('pishkhan-visitor-receipts');
    await cache.put('/receipt.json', new Response(JSON.stringify({ id, name })));
  }, { id: NATIONAL_ID, name: NAME });
}

/** Lets `seconds` of the page's clock pass at once, firing every timer due on the way in order:
    the kiosk's tick once a second. */
async function idleFor(page, seconds) {
  await page.clock.runFor(seconds * 1000);
}

/** Lets the idle timeout pass and waits for the warning. */
async function warningShown(page) {
  await idleFor(page, IDLE);
  await page.locator('[data-kiosk-warning]').waitFor();
}

/** Everything the origin keeps that a visitor could have left, read from inside the page. */
async function readEverything(page) {
  return page.evaluate(async () => {
    const databases = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
    const idb = {};
    for (const name of databases) {
      const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      idb[name] = {};
      for (const store of db.objectStoreNames) {
        idb[name][store] = await new Promise((resolve) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result.map((v) => (v instanceof Blob ? `[blob ${v.size}]` : v)));
          req.onerror = () => resolve(`[unreadable: ${req.error}]`);
        });
      }
      db.close();
    }
    const cacheNames = await caches.keys();
    const cacheText = [];
    for (const name of cacheNames) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        if (/\.(wasm|woff2?|png)$/.test(req.url)) continue;
        cacheText.push(`${name} ${req.url} ${await (await cache.match(req)).text()}`);
      }
    }
    const values = [...document.querySelectorAll('input, textarea, select')].map((e) => e.value);
    return {
      databases,
      idb,
      local: Object.fromEntries(Object.entries(localStorage)),
      session: Object.fromEntries(Object.entries(sessionStorage)),
      cacheNames,
      cacheText,
      dom: document.documentElement.outerHTML + '\n' + values.join('\n'),
      path: location.pathname,
    };
  });
}

/** Waits for the start page after a wipe: the path is `/`, the app is ready and the second pass
    has finished (`<html data-kiosk-wiped>`). */
async function waitForWipedStart(page) {
  await page.waitForURL((u) => u.pathname === '/');
  await page.locator('html[data-app-ready][data-kiosk-wiped]').waitFor({ state: 'attached' });
}

/** Asserts that nothing of the visitor is left and only the kiosk settings are kept. */
function assertWiped(all, idle = IDLE) {
  const everything = JSON.stringify(all);
  for (const secret of [NATIONAL_ID, NAME]) {
    assert.ok(!everything.includes(secret), `"${secret}" is still there: ${everything.slice(0, 2000)}`);
  }
  assert.deepEqual(all.databases, [], 'IndexedDB databases are left');
  assert.deepEqual(all.local, { 'pishkhan.kiosk': '1', 'pishkhan.kiosk.idle': String(idle) },
    'localStorage should hold the kiosk settings only');
  assert.deepEqual(all.session, {}, 'sessionStorage is not empty');
  for (const name of all.cacheNames) {
    assert.match(name, /^pishkhan-(shell|tools|forms)/, `a cache of visitor data is left: ${name}`);
  }
  assert.equal(all.path, '/');
}

/** Answers the pre-check's first page and reaches the study start (session storage answers). */
async function startPrecheck(page) {
  await page.locator('input[name="level"][value="bachelor_continuous"]').check();
  await (await submitButton(page)).click();
  await page.waitForURL((u) => u.pathname === '/precheck/study-start');
  await page.locator('input[name="study_start.day"]').waitFor();
}

test('?kiosk=1&idle=5 turns kiosk mode on, it stays on without the parameter, ?kiosk=0 turns it off', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await open(page, '/', 'kiosk=1&idle=5');
    assert.ok(await page.locator('html[data-kiosk]').count(), '<html data-kiosk> is missing');
    assert.deepEqual(await page.evaluate((keys) => keys.map((k) => localStorage.getItem(k)), KIOSK_KEYS), ['1', '5']);
    const finish = page.locator('[data-kiosk-finish]');
    assert.ok(await finish.isVisible(), 'no visible "finish and clear" button');
    const box = await finish.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `the finish button is ${box.width}×${box.height}`);

    // Sticky: a navigation without the parameter, and the other bundle.
    await open(page, '/precheck', 'x=1');
    assert.ok(await page.locator('html[data-kiosk]').count(), 'kiosk mode did not survive a navigation');
    await open(page, '/requests/exemption', 'x=1');
    assert.ok(await page.locator('html[data-kiosk]').count(), 'kiosk mode is off in the forms bundle');
    assert.ok(await page.locator('[data-kiosk-finish]').isVisible());

    // The minimum idle value is 5 s.
    await open(page, '/', 'idle=1');
    assert.equal(await page.evaluate(() => localStorage.getItem('pishkhan.kiosk.idle')), '5');

    await open(page, '/', 'kiosk=0');
    assert.equal(await page.locator('html[data-kiosk]').count(), 0, 'kiosk=0 did not turn it off');
    assert.equal(await page.locator('[data-kiosk-finish]').count(), 0);
    assert.deepEqual(await page.evaluate((keys) => keys.map((k) => localStorage.getItem(k)), KIOSK_KEYS), [null, null]);
    await open(page, '/precheck', 'x=1', false);
    assert.equal(await page.locator('html[data-kiosk]').count(), 0, 'kiosk mode came back after kiosk=0');
    assert.deepEqual(errorsBut(page, 401), []);
  } finally {
    await context.close();
  }
});

test('a first visit without kiosk mode requests nothing of the kiosk bundle', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    const requested = kioskRequests(page);
    await open(page, '/', 'x=1', false);
    await open(page, '/precheck', 'x=1', false);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(requested, [], 'files of the kiosk bundle were requested');
    assert.equal(await page.locator('html[data-kiosk], [data-kiosk-finish], link[href^="/kiosk/"]').count(), 0);
    assert.deepEqual(errorsBut(page, 401), []);
  } finally {
    await context.close();
  }
});

test('?kiosk=1 loads the kiosk bundle; its bar follows the page language', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    const requested = kioskRequests(page);
    const types = {};
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/kiosk/')) types[path] = r.headers()['content-type'];
    });
    await open(page, '/');
    for (const path of ['/kiosk/kiosk.js', '/kiosk/kiosk_bg.wasm', '/kiosk/kiosk.css']) {
      assert.ok(requested.includes(path), `${path} was not requested: ${requested}`);
    }
    assert.match(types['/kiosk/kiosk.js'] ?? '', /javascript/);
    assert.match(types['/kiosk/kiosk_bg.wasm'] ?? '', /application\/wasm/);
    assert.match(types['/kiosk/kiosk.css'] ?? '', /text\/css/);
    // The bar is a labelled landmark outside the app's own nodes, in the page's language.
    const bar = async () => page.locator('[data-kiosk-finish]').evaluate((b) => {
      const region = b.closest('[role="region"]');
      return { label: region?.getAttribute('aria-label'), text: b.textContent, inMain: !!b.closest('main, header') };
    });
    const fa = await bar();
    assert.ok(fa.label, 'the bar is not a labelled region');
    assert.equal(fa.inMain, false);
    assert.match(fa.text, /[\u0600-\u06FF]/);
    await page.locator('button[data-lang-switch]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForFunction(() => /^[ -~]+$/.test(document.querySelector('[data-kiosk-finish]').textContent));
    const en = await bar();
    assert.notEqual(en.label, fa.label, 'the bar\'s label did not follow the language');
    assert.deepEqual(errorsBut(page, 401), []);
  } finally {
    await context.close();
  }
});

test('idle: the warning counts down in Persian digits; "continue" keeps everything', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await open(page, '/precheck');
    await startPrecheck(page);
    await page.locator('input[name="study_start.day"]').fill('15');
    await plantVisitorData(page);
    const before = await readEverything(page);
    assert.match(before.session['pishkhan.precheck'] ?? '', /bachelor_continuous/);
    assert.ok(JSON.stringify(before.idb).includes(NATIONAL_ID));

    const warning = page.locator('[data-kiosk-warning]');
    await warningShown(page);
    const info = await page.evaluate(() => {
      const w = document.querySelector('[data-kiosk-warning]');
      const labelled = document.getElementById(w.getAttribute('aria-labelledby'));
      return {
        role: w.getAttribute('role'),
        label: labelled?.textContent ?? '',
        focusInside: w.contains(document.activeElement),
        text: w.textContent,
      };
    });
    assert.equal(info.role, 'alertdialog');
    assert.ok(info.label.trim(), 'the warning has no label');
    assert.ok(info.focusInside, 'the focus is not inside the warning');
    const seconds = async () => {
      const text = await page.locator('[data-kiosk-warning] [role="timer"]').innerText();
      assert.match(text, /[۰-۹]/, `the countdown is not in Persian digits: ${text}`);
      assert.doesNotMatch(text, /[0-9]/, `Latin digits in the countdown: ${text}`);
      return Number(text.replace(/[^۰-۹]/g, '').replace(/[۰-۹]/g, (c) => '۰۱۲۳۴۵۶۷۸۹'.indexOf(c)));
    };
    const first = await seconds();
    assert.ok(first >= 17 && first <= 20, `the countdown starts at ${first}, not about 20`);
    await idleFor(page, 2);
    const later = await seconds();
    assert.ok(later < first, `the countdown does not move: ${first} → ${later}`);

    await page.locator('[data-kiosk-warning] [data-kiosk-continue]').click();
    await warning.waitFor({ state: 'detached' });
    const after = await readEverything(page);
    assert.equal(after.path, '/precheck/study-start');
    assert.deepEqual(after.session, before.session, '"continue" lost session storage');
    assert.deepEqual(after.idb, before.idb, '"continue" lost IndexedDB');
    assert.deepEqual(after.local, before.local);
    assert.deepEqual(after.cacheNames, before.cacheNames);
    assert.equal(await page.locator('input[name="study_start.day"]').inputValue(), '15');
    assert.deepEqual(errorsBut(page, 401), []);
  } finally {
    await context.close();
  }
});

test('no answer to the warning: everything of the visitor is wiped and the start page shown', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await open(page, '/precheck');
    await startPrecheck(page);
    await page.locator('input[name="study_start.day"]').fill('15');
    await plantVisitorData(page);
    await warningShown(page);
    await idleFor(page, WARNING);
    await waitForWipedStart(page);
    assertWiped(await readEverything(page));
    assert.equal(await page.locator('[data-kiosk-warning]').count(), 0);
    assert.ok(await page.locator('html[data-kiosk]').count(), 'kiosk mode is off after the wipe');
    assert.deepEqual(errorsBut(page, 401), []);
  } finally {
    await context.close();
  }
});

test('"finish and clear" wipes at once', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await open(page, '/precheck');
    await startPrecheck(page);
    await plantVisitorData(page);
    // The visitor chose English: the language cookie (by which the server and the worker pick
    // the prerendered first page) says so until the wipe.
    await page.locator('button[data-lang-switch]').click();
    await page.waitForFunction(() => document.cookie.split('; ').includes('pishkhan_lang=en'));
    await page.locator('[data-kiosk-finish]').click();
    await waitForWipedStart(page);
    assertWiped(await readEverything(page));
    // The next visitor's page is Persian from its first paint: the cookie went with the wipe.
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fa');
    const lang = (await context.cookies()).filter((c) => c.name === 'pishkhan_lang').map((c) => c.value);
    assert.ok(!lang.includes('en'), `the language cookie survived the wipe: ${lang}`);
    assert.deepEqual(errorsBut(page, 401), []);
  } finally {
    await context.close();
  }
});

test('the keypad types Persian digits into a date field and the page accepts them', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await open(page, '/precheck');
    await startPrecheck(page);
    const keypad = page.locator('[data-kiosk-keypad]');
    assert.equal(await keypad.count(), 0, 'the keypad is open before any field has the focus');
    const press = async (...keys) => {
      for (const k of keys) await keypad.locator(`button[data-key="${k}"]`).click();
    };
    for (const [part, keys] of [['day', ['1', '9', 'backspace', '5']], ['month', ['9', 'clear', '0', '7']], ['year', ['1', '4', '0', '2']]]) {
      const input = page.locator(`input[name="study_start.${part}"]`);
      await input.click();
      await keypad.waitFor();
      await press(...keys);
      assert.ok(await input.evaluate((e) => e === document.activeElement), `the keypad took the focus from ${part}`);
    }
    assert.equal(await page.locator('input[name="study_start.day"]').inputValue(), '۱۵');
    assert.equal(await page.locator('input[name="study_start.month"]').inputValue(), '۰۷');
    assert.equal(await page.locator('input[name="study_start.year"]').inputValue(), '۱۴۰۲');

    // Every key is a touch target of at least 44 px, labelled, and shows a Persian digit.
    const keys = await keypad.locator('button').evaluateAll((bs) => bs.map((b) => {
      const r = b.getBoundingClientRect();
      return { key: b.dataset.key, text: b.textContent, w: r.width, h: r.height };
    }));
    assert.equal(keys.length, 13);
    for (const k of keys) {
      assert.ok(k.w >= 44 && k.h >= 44, `key ${k.key} is ${k.w}×${k.h}`);
      assert.ok(k.text.trim(), `key ${k.key} has no text`);
      if (/^\d$/.test(k.key)) assert.equal(k.text, '۰۱۲۳۴۵۶۷۸۹'[k.key]);
    }
    const role = await keypad.evaluate((e) => ({ role: e.getAttribute('role'), label: e.getAttribute('aria-label') }));
    assert.equal(role.role, 'region'); // a landmark: axe wants all content in one
    assert.ok(role.label);

    // A keyboard still types.
    await page.locator('input[name="study_start.day"]').press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('6');
    assert.equal(await page.locator('input[name="study_start.day"]').inputValue(), '۱6');
    await page.locator('input[name="study_start.day"]').fill('');
    await page.locator('input[name="study_start.day"]').click();
    await press('1', '5', 'done');
    await keypad.waitFor({ state: 'detached' });

    // The page took the keypad's digits (its on:input saw them): it accepts the date.
    assert.match(await page.evaluate(() => sessionStorage.getItem('pishkhan.precheck')), /۱۴۰۲/);
    await (await submitButton(page)).click();
    await page.waitForURL((u) => u.pathname === '/precheck/previous-graduation').catch(async () => {
      const summary = await page.locator('.error-summary').allInnerTexts();
      throw new Error(`the date typed on the keypad was refused: ${summary.join(' ')}`);
    });
    assert.deepEqual(errorsBut(page, 401), []);
  } finally {
    await context.close();
  }
});

test('axe-core: no violations with the keypad open and with the warning open (Persian and English); screenshots saved', async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const { context, page } = await openPage(env.browser);
  const problems = [];
  try {
    for (const lang of ['fa', 'en']) {
      await open(page, '/precheck');
      if (lang === 'en' && (await page.evaluate(() => document.documentElement.lang)) !== 'en') {
        await page.locator('button[data-lang-switch]').click();
        await page.waitForFunction(() => document.documentElement.lang === 'en');
      }
      await startPrecheck(page);
      await page.locator('input[name="study_start.day"]').click();
      await page.locator('[data-kiosk-keypad]').waitFor();
      for (const v of await axeViolations(page)) problems.push(`${lang} keypad: ${v}`);
      await page.screenshot({ path: join(SCREENSHOTS, `${lang}-kiosk-keypad.png`) });
      await warningShown(page);
      assert.equal(await page.locator('[data-kiosk-keypad]').count(), 0, 'the keypad stays open under the warning');
      const text = await page.locator('[data-kiosk-warning]').innerText();
      if (lang === 'en') assert.doesNotMatch(text, /[\u0600-\u06FF]/, `Persian text in the English warning: ${text}`);
      else assert.match(text, /[\u0600-\u06FF]/);
      for (const v of await axeViolations(page)) problems.push(`${lang} warning: ${v}`);
      await page.screenshot({ path: join(SCREENSHOTS, `${lang}-kiosk-warning.png`) });
      await page.locator('[data-kiosk-continue]').click();
      await page.locator('[data-kiosk-warning]').waitFor({ state: 'detached' });
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, []);
});

test('the print view shows the page without its controls, black on white', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await open(page, '/precheck');
    await startPrecheck(page);
    await page.locator('input[name="study_start.day"]').click();
    await page.locator('[data-kiosk-keypad]').waitFor();
    await page.emulateMedia({ media: 'print' });
    const shown = await page.evaluate(() => {
      const visible = (sel) => [...document.querySelectorAll(sel)].some((e) => getComputedStyle(e).display !== 'none');
      const main = getComputedStyle(document.querySelector('main'));
      return {
        header: visible('.site-header'), skip: visible('.skip-link'), buttons: visible('button'),
        keypad: visible('[data-kiosk-keypad]'), back: visible('.back-link'), main: visible('main h1'),
        color: getComputedStyle(document.querySelector('main h1')).color, background: main.backgroundColor,
      };
    });
    assert.deepEqual(
      { header: shown.header, skip: shown.skip, buttons: shown.buttons, keypad: shown.keypad, back: shown.back, main: shown.main },
      { header: false, skip: false, buttons: false, keypad: false, back: false, main: true });
    assert.equal(shown.color, 'rgb(0, 0, 0)');
    assert.match(shown.background, /rgba\(0, 0, 0, 0\)|rgb\(255, 255, 255\)/);
  } finally {
    await context.close();
  }
});

// The request forms (the second bundle): a national ID typed into /requests/exemption is wiped too.
const formsBuilt = existsSync(join(DIST, 'forms/index.html'));
test('a national ID typed into the exemption request is wiped when nobody answers', { skip: !formsBuilt && 'no dist/forms' }, async () => {
  const { context, page } = await openPage(env.browser);
  try {
    // The first page asks for the Sakha code (docs/app-contract.md); "yes" leads to the national ID.
    await open(page, '/requests/exemption?new=1');
    await page.waitForURL((u) => u.pathname.endsWith('/sakha'));
    await page.locator('input[name="has_sakha_code"][value="true"]').check();
    await (await submitButton(page)).click();
    await page.waitForURL((u) => u.pathname.endsWith('/national-id'));
    const input = page.locator('input[name="national_id"]');
    await input.fill(NATIONAL_ID);
    // The draft's autosave writes it to IndexedDB (docs/app-contract.md: data-save-state).
    await waitForAsync(page, async (id) => {
      // Never create the database here (open() would): only read it once the app has.
      if (!(await indexedDB.databases()).some((d) => d.name === 'pishkhan')) return false;
      const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open('pishkhan');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      try {
        if (!db.objectStoreNames.contains('drafts')) return false;
        const all = await new Promise((resolve) => {
          const req = db.transaction('drafts').objectStore('drafts').getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => resolve([]);
        });
        return JSON.stringify(all).includes(id);
      } finally {
        db.close();
      }
    }, NATIONAL_ID, { what: 'the national ID saved in the draft' }).catch(async (e) => {
      const state = await page.locator('[data-save-state]').first().getAttribute('data-save-state').catch(() => null);
      throw new Error(`the draft with the national ID was not saved (data-save-state=${state}): ${e.message}`);
    });
    const before = await readEverything(page);
    assert.ok(JSON.stringify(before.idb).includes(NATIONAL_ID) || JSON.stringify(before.local).includes(NATIONAL_ID),
      `the national ID was not kept anywhere before the wipe: ${JSON.stringify(before).slice(0, 1000)}`);
    await warningShown(page);
    await idleFor(page, WARNING);
    await waitForWipedStart(page);
    assertWiped(await readEverything(page));
    assert.deepEqual(errorsBut(page, 401), []);
  } finally {
    await context.close();
  }
});
