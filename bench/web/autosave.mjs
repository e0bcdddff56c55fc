// Pishkhan's autosave benchmark (issue 4, performance): what the request forms' autosave costs while
// someone types, in headless Chromium against the real `pishkhan serve` and the built dist/ (both
// bundles; the forms are dist/forms/). Not a test; CI does not run it.
//
//   node bench/web/autosave.mjs [--runs 3] [--changes 300] [--saves 30] [--cpu 1] [--out bench/web/results.md]
//
// Environment as for the browser tests (tests/browser/lib/harness.mjs, whose functions this
// reuses): PISHKHAN_BIN (default target/debug/pishkhan; use target/release/pishkhan for figures),
// PISHKHAN_DIST (default dist), CHROMIUM (default /usr/bin/chromium). Build first:
// `source scripts/tools.sh; bash scripts/build-app.sh` (dist/, dist/forms/) and
// `cargo build --release -p server`; on a shared checkout, copy dist/ (any build replaces it) and
// point PISHKHAN_DIST at the copy. Each run uses a fresh browser context (no fake clock: the
// 300 ms save delay and IndexedDB run in real time), walks a new exemption draft to its
// `residence` page and measures there:
//
//   1. cost per change on the main thread: N times, append one character to the field's value and
//      dispatch a bubbling `input` event; the time from just before the dispatch until every
//      microtask has run (a MessageChannel round trip), for the textarea `residence_address` and
//      the text input `residence_city`. The same loop on a detached textarea (no app listening)
//      gives the harness's own overhead. A second, shorter pass wraps Storage.prototype.setItem to
//      count the localStorage writes per change, their size and their share of the time.
//   2. the IndexedDB save: M times, one change, then the time from `[data-save-state]` becoming
//      `saving` to `saved` (a MutationObserver on the document; the element is redrawn on each
//      change of state), and the bytes of the stored draft (JSON, UTF-8) read back from IndexedDB;
//      also whether the field is still the same element, and focused, after each save.
//   3. input latency while typing fast: playwright's `keyboard.type()` of a 300-character Persian
//      text, delay 0, into the emptied textarea, with a PerformanceObserver on Event Timing
//      entries (`event`, durationThreshold 16, buffered): how many input/keydown/… events took
//      longer than 16 ms and the longest; the wall time per character seen from Node. Afterwards,
//      once saved, the draft in IndexedDB must hold the whole text (reported if not). Then the
//      same text in 10 bursts with 600 ms pauses (is it all kept?), and, as a floor, the same
//      typing into a plain textarea outside the app.
//
// Medians and 95th percentiles are over all changes of all runs (nearest rank); the per-run
// medians are listed too. --cpu N adds DevTools CPU throttling (N× slower) to every page.
// With --out, the section between the `autosave.mjs` markers of that file is replaced (or
// appended), everything else is kept.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { BIN, CHROMIUM, DIST, ROOT, launchBrowser, startServer } from '../../tests/browser/lib/harness.mjs';
import { EXEMPTION, formPage, readDrafts, waitSaved, walkForm } from '../../tests/browser/lib/forms.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const RUNS = Number(args.runs ?? 3);
const CHANGES = Number(args.changes ?? 300);
const SAVES = Number(args.saves ?? 30);
const CPU = Number(args.cpu ?? 1);
const LOAD_BEFORE = os.loadavg();

// 300 characters of Persian (letters, spaces, Persian digits, the Persian comma).
const SENTENCE = 'خیابان انقلاب، کوچه دانشگاه، پلاک ۱۲، طبقه ۳، واحد ۷، نزدیک ایستگاه مترو، ';
const TEXT = SENTENCE.repeat(Math.ceil(300 / SENTENCE.length)).slice(0, 300);

// ---------------------------------------------------------------------------------------------
// Statistics

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Nearest-rank percentile. */
const pct = (xs, p) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const ms = (x, digits = 2) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));

// ---------------------------------------------------------------------------------------------
// In the page

/** N changes to `selector` (or to a detached textarea when null); the ms of each. */
function changeLoop({ selector, n, char, spy }) {
  // Re-found before every change: the page may redraw its form (a new element) after a save.
  const detached = document.createElement('textarea');
  const field = () => {
    const el = selector ? document.querySelector(selector) : detached;
    if (!el) throw new Error(`no ${selector} on the page`);
    return el;
  };
  const channel = new MessageChannel();
  let wake = null;
  channel.port1.onmessage = () => wake();
  const drained = () => new Promise((resolve) => { wake = resolve; channel.port2.postMessage(0); });
  const spyLog = { calls: 0, bytes: 0, ms: 0, keys: new Set() };
  let original = null;
  if (spy) {
    original = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      const t = performance.now();
      try { return original.call(this, key, value); } finally {
        spyLog.ms += performance.now() - t;
        spyLog.calls += 1;
        spyLog.bytes += (String(key).length + String(value).length) * 2; // UTF-16, as Chromium counts quota
        spyLog.keys.add(String(key).replace(/[0-9a-f-]{36}$/, '<id>'));
      }
    };
  }
  return (async () => {
    field().focus();
    const times = [];
    try {
      for (let i = 0; i < n; i++) {
        const el = field();
        el.value += char;
        const t0 = performance.now();
        el.dispatchEvent(new Event('input', { bubbles: true }));
        await drained();
        times.push(performance.now() - t0);
      }
    } finally {
      if (original) Storage.prototype.setItem = original;
    }
    // Was the effect's write inside the timed window? The kept answers must already be current.
    let inWindow = null;
    if (selector) {
      const key = Object.keys(localStorage).find((k) => k.startsWith('pishkhan.pending.'));
      const name = field().name;
      inWindow = Boolean(key) && JSON.parse(localStorage.getItem(key)).answers[name] === field().value;
    }
    return { times, inWindow, length: field().value.length, spy: { ...spyLog, keys: [...spyLog.keys] } };
  })();
}

/** M saves: one change, then `saving` → `saved`; the ms of each and the delay before `saving`. */
function saveLoop({ selector, m, char }) {
  const state = () => document.querySelector('[data-save-state]');
  let waiter = null;
  const observer = new MutationObserver(() => {
    if (waiter && waiter.test()) { const w = waiter; waiter = null; w.resolve(performance.now()); }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-save-state', 'data-revision'] });
  const until = (test, what) => new Promise((resolve, reject) => {
    if (test()) return resolve(performance.now());
    const timer = setTimeout(() => reject(new Error(`no ${what} within 10 s (state ${state()?.dataset.saveState})`)), 10_000);
    waiter = { test, resolve: (t) => { clearTimeout(timer); resolve(t); } };
  });
  return (async () => {
    const saves = [];
    try {
      for (let i = 0; i < m; i++) {
        const revision = Number(state()?.dataset.revision ?? 0);
        const el = document.querySelector(selector); // a new element after each save (see below)
        el.focus();
        el.value += char;
        const t0 = performance.now();
        el.dispatchEvent(new Event('input', { bubbles: true }));
        const tSaving = await until(() => state()?.dataset.saveState === 'saving', '"saving"');
        const tSaved = await until(() => state()?.dataset.saveState === 'saved' && Number(state().dataset.revision) > revision, '"saved"');
        await new Promise((r) => setTimeout(r, 0)); // let the redraw that follows `saved` finish
        saves.push({
          delay: tSaving - t0,
          save: tSaved - tSaving,
          revision: Number(state().dataset.revision),
          replaced: document.querySelector(selector) !== el,
          focus: document.activeElement === document.querySelector(selector) ? 'field' : document.activeElement?.tagName.toLowerCase(),
        });
      }
    } finally {
      observer.disconnect();
    }
    return saves;
  })();
}

/** Collects Event Timing entries (buffered, so earlier ones come too: the caller filters by start). */
function observeEventTiming() {
  window.__eventTiming = [];
  // Held by the page: an observer nothing refers to may be collected and go quiet.
  window.__eventObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__eventTiming.push({ name: e.name, duration: e.duration, start: e.startTime,
        processing: e.processingEnd - e.processingStart, delay: e.processingStart - e.startTime });
    }
  });
  window.__eventObserver.observe({ type: 'event', durationThreshold: 16, buffered: true });
}

// ---------------------------------------------------------------------------------------------
// One run

async function openContext(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fa-IR', timezoneId: 'Asia/Tehran' });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.setDefaultTimeout(15_000);
  if (CPU > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
  }
  return { context, page };
}

const utf8 = (s) => Buffer.byteLength(s, 'utf8');

async function oneRun(browser, base, run) {
  const { context, page } = await openContext(browser);
  try {
    await walkForm(page, base, 'exemption', EXEMPTION, { stopAt: 'residence' });
    const { id } = formPage(page);
    // Give the page its answers (the walk's first change of this page), and let it settle.
    await page.locator('[name=residence_province]').fill(EXEMPTION.residence_province);
    await page.locator('[name=residence_city]').fill(EXEMPTION.residence_city);
    await page.locator('[name=residence_address]').fill(EXEMPTION.residence_address);
    await waitSaved(page);

    // 1. Cost per change.
    const overhead = await page.evaluate(changeLoop, { selector: null, n: CHANGES, char: 'ب' });
    const area = await page.evaluate(changeLoop, { selector: '[name=residence_address]', n: CHANGES, char: 'ب' });
    await waitSaved(page);
    const city = await page.evaluate(changeLoop, { selector: '[name=residence_city]', n: CHANGES, char: 'ن' });
    await waitSaved(page);
    const spied = await page.evaluate(changeLoop, { selector: '[name=residence_address]', n: 100, char: 'پ', spy: true });
    await waitSaved(page);

    // 2. The IndexedDB save.
    const saves = await page.evaluate(saveLoop, { selector: '[name=residence_address]', m: SAVES, char: 'ت' });
    await waitSaved(page);
    const afterSaves = (await readDrafts(page)).drafts.find((d) => d.id === id);
    const draftBytes = afterSaves ? utf8(JSON.stringify(afterSaves)) : NaN;
    const addressChars = afterSaves ? [...afterSaves.answers.residence_address].length : NaN;

    // 3. Typing fast.
    await page.locator('[name=residence_address]').fill('');
    await waitSaved(page);
    await page.evaluate(observeEventTiming);
    await page.locator('[name=residence_address]').focus();
    const since = await page.evaluate(() => performance.now());
    const t0 = performance.now();
    await page.keyboard.type(TEXT, { delay: 0 });
    const typeMs = performance.now() - t0;
    const shown = await page.locator('[name=residence_address]').inputValue();
    const tSaved0 = performance.now();
    await waitSaved(page);
    const settleMs = performance.now() - tSaved0;
    await new Promise((r) => setTimeout(r, 200)); // let the observer deliver the last entries
    // Only the typing's own events (the buffered entries include the walk's clicks).
    const events = await page.evaluate((t) => window.__eventTiming.filter((e) => e.start >= t), since);
    const stored = (await readDrafts(page)).drafts.find((d) => d.id === id);
    const storedText = stored?.answers?.residence_address;
    const typed = {
      ms: typeMs,
      perChar: typeMs / [...TEXT].length,
      settleMs,
      shownOk: shown === TEXT,
      savedOk: storedText === TEXT,
      savedChars: storedText === undefined ? null : [...storedText].length,
      events,
      draftBytes: stored ? utf8(JSON.stringify(stored)) : NaN,
    };
    // 3b. The same text typed in 10 bursts of 30 characters with a 600 ms pause after each (a
    // pause longer than the save delay, as a person makes): is everything kept?
    await page.locator('[name=residence_address]').fill('');
    await waitSaved(page);
    await page.locator('[name=residence_address]').focus();
    for (let c = 0; c < 10; c++) {
      await page.keyboard.type(TEXT.slice(c * 30, (c + 1) * 30), { delay: 0 });
      await page.waitForTimeout(600);
    }
    await waitSaved(page);
    const pausedStored = (await readDrafts(page)).drafts.find((d) => d.id === id)?.answers?.residence_address ?? '';
    const paused = {
      ok: pausedStored === TEXT,
      chars: [...pausedStored].length,
      focus: await page.evaluate(() => document.activeElement?.tagName.toLowerCase()),
    };
    // 3c. The floor: the same typing into a textarea outside the app (fixed on top of the page, no
    // handler of its own), so what the browser and the machine cost without the autosave shows.
    await page.evaluate(() => {
      const t = document.createElement('textarea');
      t.id = 'bench-floor';
      // In view: Event Timing entries wait for a paint, and a field off screen gets none.
      t.style.cssText = 'position: fixed; inset: 0 auto auto 0; width: 40em; height: 8em; z-index: 9999';
      document.body.append(t);
    });
    await page.locator('#bench-floor').focus();
    const floorSince = await page.evaluate(() => performance.now());
    const f0 = performance.now();
    await page.keyboard.type(TEXT, { delay: 0 });
    const floorMs = performance.now() - f0;
    await new Promise((r) => setTimeout(r, 200));
    const floor = {
      ms: floorMs,
      perChar: floorMs / [...TEXT].length,
      ok: (await page.locator('#bench-floor').inputValue()) === TEXT,
      events: await page.evaluate((t) => window.__eventTiming.filter((e) => e.start >= t), floorSince),
    };
    if (page.errors.length) process.stderr.write(`run ${run}: page errors: ${page.errors.join(' | ')}\n`);
    return { overhead, area, city, spied, saves, draftBytes, addressChars, typed, paused, floor };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function brFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.wasm.br')).map((f) => ({ file: relative(ROOT, join(dir, f)), bytes: statSync(join(dir, f)).size }));
}

function report(runs) {
  const all = (f) => runs.flatMap(f);
  const lines = [];
  const say = (s = '') => lines.push(s);
  const row = (name, xs, perRun) =>
    say(`| ${name} | ${ms(median(xs))} | ${ms(pct(xs, 95))} | ${ms(Math.max(...xs))} | ${perRun.map((x) => ms(x)).join(', ')} |`);
  let browserVersion = CHROMIUM;
  try { browserVersion = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { /* keep the path */ }
  say('## Request forms: autosave cost and input latency (autosave.mjs)');
  say();
  say(`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by ` +
    `\`${process.env.PISHKHAN_DIST ? `PISHKHAN_DIST=${relative(ROOT, DIST)} ` : ''}PISHKHAN_BIN=${relative(ROOT, BIN)} node bench/web/autosave.mjs --runs ${RUNS} --changes ${CHANGES} --saves ${SAVES}` +
    `${CPU > 1 ? ` --cpu ${CPU}` : ''}${args.out ? ` --out ${relative(ROOT, args.out)}` : ''}\` ` +
    `on ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, headless ${browserVersion}` +
    `${CPU > 1 ? `, CPU throttled ${CPU}×` : ', no CPU throttling'}, dist \`${relative(ROOT, DIST) || '.'}\` ` +
    `(release build of both bundles). Load average before → after: ${LOAD_BEFORE.map((x) => x.toFixed(1)).join(' ')} → ` +
    `${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (1, 5, 15 min): a busy machine, so read the medians, not single values.`);
  say();
  say(`### 1. Main-thread cost per change (${CHANGES} changes × ${RUNS} runs each)`);
  say();
  say('One character appended, a bubbling `input` event dispatched, timed until every microtask ran ' +
    '(the Leptos signal, the effect that writes `pishkhan.pending.<id>` to localStorage and re-arms the 300 ms timer, the DOM updates). ms:');
  say();
  say('(`performance.now()` is coarsened to 0.1 ms in a page that is not cross-origin isolated, so single changes read as multiples of 0.1 ms.)');
  say();
  say('| field | median | p95 | max | median per run |');
  say('|---|---:|---:|---:|---|');
  row('`residence_address` (textarea)', all((r) => r.area.times), runs.map((r) => median(r.area.times)));
  row('`residence_city` (text input)', all((r) => r.city.times), runs.map((r) => median(r.city.times)));
  row('detached textarea (no app: the measuring overhead)', all((r) => r.overhead.times), runs.map((r) => median(r.overhead.times)));
  say();
  say(`The localStorage copy (\`pishkhan.pending.<id>\`) already held the last change when its timing ended: ` +
    `${runs.every((r) => r.area.inWindow && r.city.inWindow) ? 'yes, in every run (the effect runs in the microtasks timed)' : `**not always** (${runs.map((r) => `${r.area.inWindow}/${r.city.inWindow}`).join(', ')})`}.`);
  say();
  const firstLast = (r, k) => [median(r[k].times.slice(0, 50)), median(r[k].times.slice(-50))];
  const fl = runs.map((r) => firstLast(r, 'area'));
  say(`Growth with the text's length (textarea, first 50 vs last 50 changes, median of the run medians): ` +
    `${ms(median(fl.map((x) => x[0])))} ms → ${ms(median(fl.map((x) => x[1])))} ms ` +
    `(the address grows from ${EXEMPTION.residence_address.length} to ${runs[0].area.length} characters).`);
  const spy = runs.map((r) => r.spied.spy);
  const spyTimes = all((r) => r.spied.times);
  say();
  say(`localStorage, measured in a separate pass of 100 textarea changes per run with \`Storage.prototype.setItem\` wrapped: ` +
    `${ms(median(spy.map((s) => s.calls / 100)), 1)} setItem calls per change (keys: ${[...new Set(spy.flatMap((s) => s.keys))].map((k) => `\`${k}\``).join(', ')}), ` +
    `${Math.round(median(spy.map((s) => s.bytes / Math.max(1, s.calls))))} bytes (UTF-16) per call, ` +
    `${ms(median(spy.map((s) => s.ms / 100)), 3)} ms per change inside setItem, of ${ms(median(spyTimes), 3)} ms per change in that pass.`);
  say();
  say(`### 2. The IndexedDB save (${SAVES} saves × ${RUNS} runs)`);
  say();
  say('One change, then the time from `[data-save-state]` showing `saving` to `saved` with a higher `data-revision` ' +
    '(`put_draft`: a readwrite transaction that reads the stored draft, migrates it to check its revision, writes, commits; then the redraw). ms:');
  say();
  say('| | median | p95 | max | median per run |');
  say('|---|---:|---:|---:|---|');
  row('`saving` → `saved`', all((r) => r.saves.map((s) => s.save)), runs.map((r) => median(r.saves.map((s) => s.save))));
  row('change → `saving` (the 300 ms delay)', all((r) => r.saves.map((s) => s.delay)), runs.map((r) => median(r.saves.map((s) => s.delay))));
  say();
  say(`Stored draft (JSON of the IndexedDB value, UTF-8): ${median(runs.map((r) => r.draftBytes))} bytes after these saves ` +
    `(exemption draft at its residence page, the address ${median(runs.map((r) => r.addressChars))} characters); ` +
    `${median(runs.map((r) => r.typed.draftBytes))} bytes with the 300-character address of part 3.`);
  say();
  say(`### 3. Typing fast: \`keyboard.type()\` of ${[...TEXT].length} Persian characters, delay 0, into the textarea`);
  say();
  const slow = runs.map((r) => r.typed.events.filter((e) => e.duration > 16));
  const byName = {};
  for (const r of runs) for (const e of r.typed.events) if (e.duration > 16) (byName[e.name] ??= []).push(e.duration);
  const names = Object.keys(byName).sort();
  if (!runs.every((r) => r.floor.ok)) say('**The floor textarea did not receive the whole text in every run.**\n');
  say('Event Timing durations are rounded to 8 ms; "slower than 16 ms" counts entries over 16 ms (so 24 ms and more). ' +
    'The floor is the same typing into a plain textarea added to `<body>` outside the app (fixed at the top, in view: Event Timing entries wait for a paint), in the same page right after; entries of exactly 16 ms are common even there, an event waiting for the next 60 Hz frame.');
  say();
  say('| | median of runs | per run | floor (no app), per run |');
  say('|---|---:|---|---|');
  const floorSlow = runs.map((r) => r.floor.events.filter((e) => e.duration > 16));
  say(`| events slower than 16 ms (Event Timing, all types) | ${median(slow.map((s) => s.length))} | ${slow.map((s) => s.length).join(', ')} | ${floorSlow.map((s) => s.length).join(', ')} |`);
  for (const n of names) {
    const per = runs.map((r) => r.typed.events.filter((e) => e.name === n && e.duration > 16).length);
    const perFloor = runs.map((r) => r.floor.events.filter((e) => e.name === n && e.duration > 16).length);
    say(`| … of which \`${n}\` | ${median(per)} | ${per.join(', ')} | ${perFloor.join(', ')} |`);
  }
  const maxes = slow.map((s) => (s.length ? Math.max(...s.map((e) => e.duration)) : 0));
  const floorMaxes = floorSlow.map((s) => (s.length ? Math.max(...s.map((e) => e.duration)) : 0));
  say(`| longest event, ms | ${ms(median(maxes), 0)} | ${maxes.map((x) => ms(x, 0)).join(', ')} | ${floorMaxes.map((x) => ms(x, 0)).join(', ')} |`);
  say(`| wall time per character, ms (Node's view, CDP round trip included) | ${ms(median(runs.map((r) => r.typed.perChar)))} | ${runs.map((r) => ms(r.typed.perChar)).join(', ')} | ${runs.map((r) => ms(r.floor.perChar)).join(', ')} |`);
  say(`| total wall time, s | ${ms(median(runs.map((r) => r.typed.ms)) / 1000)} | ${runs.map((r) => ms(r.typed.ms / 1000)).join(', ')} | ${runs.map((r) => ms(r.floor.ms / 1000)).join(', ')} |`);
  say(`| from the last character to \`saved\`, ms | ${ms(median(runs.map((r) => r.typed.settleMs)), 0)} | ${runs.map((r) => ms(r.typed.settleMs, 0)).join(', ')} | |`);
  say();
  const ok = runs.every((r) => r.typed.savedOk && r.typed.shownOk);
  say(ok
    ? `The whole text was on the page and in IndexedDB (\`pishkhan\` / \`drafts\`, \`answers.residence_address\`) after \`saved\` in every run.`
    : `**Not all typed text was kept**: ${runs.map((r, i) => `run ${i + 1}: shown ${r.typed.shownOk ? 'complete' : 'INCOMPLETE'}, stored ${r.typed.savedOk ? 'complete' : `INCOMPLETE (${r.typed.savedChars} of ${[...TEXT].length} characters)`}`).join('; ')}.`);
  say();
  const pausedOk = runs.every((r) => r.paused.ok);
  say(`Typing the same ${[...TEXT].length} characters in 10 bursts of 30 with a 600 ms pause after each (longer than the 300 ms save delay): ` +
    (pausedOk ? 'the whole text was stored in every run.'
      : `**text lost**: stored ${runs.map((r) => `${r.paused.chars}`).join(', ')} of ${[...TEXT].length} characters (per run); ` +
        `the focus was then on \`${[...new Set(runs.map((r) => r.paused.focus))].join(', ')}\`.`));
  say();
  const replaced = all((r) => r.saves.map((s) => s.replaced));
  const focus = all((r) => r.saves.map((s) => s.focus));
  say(`After a save (part 2, the field focused before each change): the field was a new element in ${replaced.filter(Boolean).length} of ${replaced.length} saves; ` +
    `the focus was then on: ${Object.entries(focus.reduce((m, f) => ({ ...m, [f]: (m[f] ?? 0) + 1 }), {})).map(([k, v]) => `\`${k}\` ${v}×`).join(', ')}.`);
  say();
  say('Note: playwright types characters that are not on its US keyboard layout (all Persian letters and digits, `،`) ' +
    'with `Input.insertText`, which fires `beforeinput`/`input` but no `keydown`/`keyup`; only the spaces are key presses.');
  say();
  const br = [...brFiles(DIST), ...brFiles(join(DIST, 'forms'))];
  if (br.length) {
    say(`Bundles in \`${relative(ROOT, DIST) || '.'}\` (precompressed brotli, for information): ${br.map((b) => `\`${b.file}\` ${b.bytes} bytes`).join(', ')}.`);
    say();
  }
  return lines.join('\n') + '\n';
}

const BEGIN = '<!-- autosave.mjs: begin (generated; `node bench/web/autosave.mjs --out bench/web/results.md` replaces it) -->';
const END = '<!-- autosave.mjs: end -->';

function writeSection(file, text) {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const block = `${BEGIN}\n${text}${END}\n`;
  const i = old.indexOf(BEGIN);
  const j = old.indexOf(END);
  const next = i >= 0 && j > i ? old.slice(0, i) + block + old.slice(j + END.length + 1) : `${old.trimEnd()}\n\n${block}`;
  writeFileSync(file, next);
}

async function main() {
  const [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const runs = [];
  try {
    for (let i = 1; i <= RUNS; i++) {
      const r = await oneRun(browser, server.url, i);
      runs.push(r);
      process.stderr.write(
        `run ${i}/${RUNS}: textarea ${ms(median(r.area.times))} ms/change (p95 ${ms(pct(r.area.times, 95))}), ` +
          `input ${ms(median(r.city.times))}, overhead ${ms(median(r.overhead.times))}; ` +
          `save ${ms(median(r.saves.map((s) => s.save)))} ms; typing: ${r.typed.events.filter((e) => e.duration > 16).length} events > 16 ms, ` +
          `${ms(r.typed.perChar)} ms/char, saved ${r.typed.savedOk ? 'all' : `${r.typed.savedChars} chars`}; ` +
          `with pauses saved ${r.paused.chars} chars; floor: ${r.floor.events.filter((e) => e.duration > 16).length} events > 16 ms\n`,
      );
    }
  } finally {
    await Promise.allSettled([browser.close(), server.stop()]);
  }
  const text = report(runs);
  process.stdout.write(text);
  if (args.out) writeSection(args.out, text);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
