// Calendar files (issue 16): a deadline the app shows offers "add to calendar", which saves an
// `.ics` made in the browser — so the pre-check's dates work offline. Each file is read by the
// Python `icalendar` package (a parser that is not ours: lib/read_ics.py; scripts/test.sh
// installs it into .tools/icalendar-venv): one all-day event on the Gregorian day of the Jalali
// deadline, a stable UID, a display alarm a week before, the Jalali date in Persian digits and the
// article in the description. An issued exemption's end (seeded into SQLite) on "my requests"
// and on its track page, with the same button.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT, startServer, launchBrowser, openPage, firstVisit, startKiosk, casesByName, cli, walkPrecheck,
  axeViolations, errorsBut, gregorianMs, tehranNoon, parseJalali, persianDigits, STEP_TIMEOUT,
} from './lib/harness.mjs';
import { WITHDRAWAL, walkForm } from './lib/forms.mjs';
import { ALI, signIn } from './lib/signin.mjs';

const PYTHON = process.env.PISHKHAN_ICS_PYTHON ?? join(ROOT, '.tools/icalendar-venv/bin/python');
const MONTHS_FA = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'];
const WEEK = 7 * 86_400;

let browser;
let downloads;
before(async () => {
  assert.ok(existsSync(PYTHON), `no Python with the icalendar package at ${PYTHON} (scripts/test.sh installs it)`);
  browser = await launchBrowser();
  downloads = mkdtempSync(join(tmpdir(), 'pishkhan-ics-'));
});
after(async () => {
  await browser?.close();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

/** The file the button saves, pressed from the keyboard (focus, Enter); its name and what the parser read. */
async function saveWithKeyboard(page, button) {
  const box = await button.boundingBox();
  assert.ok(box && box.height >= 44 && box.width >= 44, `the button is smaller than 44 px: ${JSON.stringify(box)}`);
  await button.focus();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const name = download.suggestedFilename();
  const file = join(downloads, name);
  await download.saveAs(file);
  const read = JSON.parse(execFileSync(PYTHON, [join(ROOT, 'tests/browser/lib/read_ics.py'), file], { encoding: 'utf8' }));
  return { name, ...read };
}

/** Checks one file against the deadline `field` on Jalali `jalali`, made at `madeAt`. */
function assertDeadlineFile(ics, { field, jalali, summary, articleFa, articleEn, madeAt }) {
  const gregorian = new Date(gregorianMs(jalali)).toISOString().slice(0, 10);
  assert.equal(ics.name, `pishkhan-${field}-${jalali}.ics`);
  assert.ok(ics.crlf, 'content lines end in CRLF');
  assert.equal(ics.events.length, 1, 'one event');
  const [e] = ics.events;
  assert.equal(e.start, gregorian, `the event is on the Gregorian day of ${jalali}`);
  assert.ok(e.whole_day, 'an all-day event');
  assert.equal(e.value_param, 'DATE', 'DTSTART;VALUE=DATE');
  assert.equal(e.uid, `${field}-${gregorian.replaceAll('-', '')}@pishkhan`, 'a stable UID');
  assert.equal(new Date(e.stamp).getTime(), madeAt.getTime(), 'DTSTAMP: when the file was made');
  assert.equal(e.summary, summary);
  const j = parseJalali(jalali);
  const persianDate = `${persianDigits(j.day)} ${MONTHS_FA[j.month - 1]} ${persianDigits(j.year)}`;
  assert.ok(e.description.includes(persianDate), `the Jalali date "${persianDate}" in the description: ${e.description}`);
  assert.ok(e.description.includes(articleFa), `"${articleFa}" in the description: ${e.description}`);
  assert.ok(e.description.includes(articleEn), `"${articleEn}" in the description: ${e.description}`);
  assert.ok(e.description.indexOf(articleFa) < e.description.indexOf(articleEn), 'Persian first, English second');
  assert.deepEqual(e.alarms.map((a) => [a.action, a.trigger_seconds]), [['DISPLAY', -WEEK]], 'one display alarm a week before');
  assert.ok(e.alarms[0].description.includes(summary), e.alarms[0].description);
}

test('pre-check offline: the result offers each deadline as an .ics, made in the browser', async () => {
  const server = await startServer();
  const [c] = casesByName('precheck', ["Reza, continuous bachelor's in his 3rd year, nothing wrong: eligible"]);
  const want = cli('precheck', c.input);
  assert.ok(want.exemption_until > c.input.today, 'the case needs a deadline to come');
  const { context, page } = await openPage(browser, { today: c.input.today });
  try {
    // One visit online (the tools bundle cached in the background), then no network at all.
    await firstVisit(page, server.url);
    await context.setOffline(true);
    await server.stop();
    assert.equal(await page.evaluate(() => navigator.onLine), false);

    await walkPrecheck(page, server.url, c.input);
    const buttons = page.locator('button[data-calendar]');
    await buttons.first().waitFor();
    // A button beside each deadline the result shows, none beside "today".
    const fields = await buttons.evaluateAll((bs) => bs.map((b) => [b.dataset.calendar, b.dataset.value]));
    const expected = ['exemption_until', 'study_until', 'study_until_with_commission']
      .filter((f) => want[f]).map((f) => [f, want[f]]);
    assert.deepEqual(fields, expected);
    const button = page.locator('button[data-calendar=exemption_until]');
    assert.match(await button.innerText(), /^افزودن به تقویم/);
    assert.match(await button.evaluate((b) => b.textContent), /پایان معافیت تحصیلی/, 'named for a screen reader');

    const ics = await saveWithKeyboard(page, button);
    assertDeadlineFile(ics, {
      field: 'exemption_until',
      jalali: want.exemption_until,
      summary: 'پایان معافیت تحصیلی',
      articleFa: 'ماده ۳۳ تبصره ۱',
      articleEn: 'Art. 33 n.1',
      madeAt: tehranNoon(c.input.today),
    });
    assert.deepEqual(await axeViolations(page), [], 'the result with its calendar buttons: axe-core');
    assert.deepEqual(page.errors, [], 'errors in the page');
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a deadline that has passed offers no calendar file', async () => {
  const server = await startServer();
  const [c] = casesByName('precheck', ['bachelor_continuous started 1398-07-01: today 1403-07-02, the day after 1403-07-01: ALLOWED_YEARS_EXCEEDED']);
  const want = cli('precheck', c.input);
  assert.ok(want.study_until < c.input.today, 'the case needs a passed deadline');
  const { context, page } = await openPage(browser, { today: c.input.today });
  try {
    await walkPrecheck(page, server.url, c.input);
    await page.locator('[data-date=study_until]').waitFor();
    assert.equal(await page.locator('button[data-calendar=study_until]').count(), 0);
  } finally {
    await context.close();
    await server.stop();
  }
});

test("the withdrawal's check page and receipt: the Art. 34 and revocation deadlines as .ics files", async () => {
  const server = await startServer({ demoUsers: true });
  const today = '1403-07-15';
  const { context, page } = await openPage(browser, { today });
  try {
    await signIn(page, server.url, server.dataDir, ALI);
    await walkForm(page, server.url, 'withdrawal', WITHDRAWAL);
    // The check page's preview, for a withdrawal filed today: Art. 34's deadline.
    const preview = cli('revocation', { today, submitted: today, revocations_used: 0 });
    const presentBy = cli('presentation', { today, event: 'withdrawal', event_date: preview.final_ruling_from }).present_by;
    assert.equal(await page.locator('button[data-calendar=final_ruling_from]').count(), 0, 'the ruling\'s first day is no deadline');
    const presentation = await saveWithKeyboard(page, page.locator('button[data-calendar=present_by_earliest]'));
    assertDeadlineFile(presentation, {
      field: 'present_by_earliest',
      jalali: presentBy,
      summary: 'مهلت معرفی برای خدمت، اگر حکم انصراف در زودترین روز صادر شود',
      articleFa: 'ماده ۳۴ تبصره ۱',
      articleEn: 'Art. 34 n.1',
      madeAt: tehranNoon(today),
    });

    await page.locator('button[data-submit]').click();
    await page.waitForURL((u) => u.pathname === '/track');
    const code = await page.locator('[data-tracking-code]').first().getAttribute('data-tracking-code', { timeout: STEP_TIMEOUT });
    await page.locator(`[data-tracking-code="${code}"] a[data-receipt]`).click();
    await page.locator(`[data-receipt-for="${code}"]`).waitFor();
    // The receipt's deadline is the server's (its own clock's day of filing).
    const deadline = await page.locator('[data-date=revocation_deadline]').getAttribute('data-value');
    const receipt = await saveWithKeyboard(page, page.locator('button[data-calendar=revocation_deadline]'));
    assertDeadlineFile(receipt, {
      field: 'revocation_deadline',
      jalali: deadline,
      summary: 'آخرین روز برگشت از انصراف',
      articleFa: 'شیوه‌نامه انصراف تبصره ۲',
      articleEn: 'withdrawal procedure n.2',
      madeAt: tehranNoon(today),
    });
    assert.deepEqual(await axeViolations(page), [], 'the receipt with its calendar button: axe-core');
    assert.deepEqual(errorsBut(page, 401), [], 'no error but "not signed in" before signing in');
  } finally {
    await context.close();
    await server.stop();
  }
});

/** A valid tracking code (eleven digits and the Damm check digit, `rules::tracking`). */
function trackingCode(body) {
  const DAMM = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
  ];
  return body + [...body].reduce((i, d) => DAMM[i][Number(d)], 0);
}

test("an issued exemption's end on \"my requests\" and its track page, as an .ics", async () => {
  const server = await startServer({ demoUsers: true });
  const today = '1403-07-15';
  const until = '1408-07-01';
  // An A2 exemption of Ali's, issued: put into the server's SQLite file as the deputy's `issue`
  // leaves it (the end copied from its pre-check into `requests.exemption_until`).
  const code = trackingCode('41000000001');
  const now = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ kind: 'exemption', answers: {}, precheck: { exemption_until: until } });
  execFileSync('sqlite3', [join(server.dataDir, 'pishkhan.sqlite3')], {
    input: 'PRAGMA busy_timeout = 5000;\n' +
      'INSERT INTO requests (id, tracking_code, kind, national_id, body, status, submitted_at, ' +
      'submitted_jalali, version, process, updated_at, handle, university_id, exemption_until) VALUES ' +
      `(7001, '${code}', 'exemption', '${ALI.national_id}', '${body}', 'issued', ${now - 86_400}, ` +
      `'1403-07-14', 4, 'exemption_a2', ${now}, '${'7'.repeat(32)}', 1, '${until}');\n`,
  });
  const { context, page } = await openPage(browser, { today });
  try {
    await signIn(page, server.url, server.dataDir, ALI, { returnTo: '/track/mine' });
    const mine = page.locator(`[data-my-request="${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}"]`);
    await mine.waitFor();
    const shown = mine.locator('time[data-date=exemption_until]');
    assert.equal(await shown.getAttribute('data-value'), until);
    const shownText = await shown.innerText();
    assert.ok(shownText.includes('مهر') && shownText.includes(persianDigits(1408)), `the Jalali date in Persian digits: ${shownText}`);
    assert.doesNotMatch(shownText, /[0-9]/);
    const ics = await saveWithKeyboard(page, mine.locator('button[data-calendar=exemption_until]'));
    assertDeadlineFile(ics, {
      field: 'exemption_until',
      jalali: until,
      summary: 'پایان معافیت تحصیلی',
      articleFa: 'ماده ۳۳ تبصره ۱',
      articleEn: 'Art. 33 n.1',
      madeAt: tehranNoon(today),
    });
    assert.deepEqual(await axeViolations(page), [], 'my requests with the exemption\'s end: axe-core');

    // Its track page (the applicant API's view): the same day and button.
    await mine.locator('button[data-act-on]').click();
    await page.waitForURL((u) => u.pathname === '/track/receipt');
    const panel = page.locator('section.act-panel');
    await panel.locator('[data-state=issued]').waitFor();
    const end = panel.locator('dl[data-exemption-until] time[data-date=exemption_until]');
    assert.equal(await end.getAttribute('data-value'), until);
    assert.equal(await end.innerText(), shownText);
    assert.equal(await panel.locator('button[data-calendar=exemption_until]').count(), 1);
    assert.deepEqual(await axeViolations(page), [], 'the track page with the exemption\'s end: axe-core');
    assert.deepEqual(errorsBut(page, 401), [], 'no error but "not signed in" before signing in');
  } finally {
    await context.close();
    await server.stop();
  }
});

test('at a kiosk: no file to save on the shared machine; the printed receipt carries the event as a QR code', async () => {
  const server = await startServer({ demoUsers: true });
  const today = '1403-07-15';
  const { context, page } = await openPage(browser, { today });
  try {
    await startKiosk(context, page, server.url);
    await signIn(page, server.url, server.dataDir, ALI);
    await walkForm(page, server.url, 'withdrawal', WITHDRAWAL);
    await page.locator('[data-date=present_by_earliest]').waitFor();
    assert.equal(await page.locator('button[data-calendar]').count(), 0, 'no download at a kiosk');
    await page.locator('button[data-submit]').click();
    await page.waitForURL((u) => u.pathname === '/track/receipt');
    await page.locator('[data-receipt-for]').waitFor();
    await page.waitForFunction(() => window.__printed === 1);
    const qr = page.locator('figure[data-calendar-qr=revocation_deadline]');
    await qr.locator('svg').waitFor();
    assert.match(await qr.locator('[role=img]').getAttribute('aria-label'), /آخرین روز برگشت از انصراف/);
    assert.match(await qr.locator('figcaption').innerText(), /تقویم گوشی/);
    assert.equal(await page.locator('button[data-calendar]').count(), 0, 'no download at a kiosk');
    assert.deepEqual(await axeViolations(page), [], 'the kiosk receipt with its calendar QR code: axe-core');
  } finally {
    await context.close();
    await server.stop();
  }
});
