// The office dashboard (/staff/dashboard, issue 16) in a real browser against the real server
// started with `--demo-users`: three withdrawals of faculty `eng` and their audit trails are
// seeded into the server's SQLite file (the `sqlite3` shell) and counted into the dashboard's
// summary by `pishkhan dashboard-rebuild` (as an operator does after loading a trail by hand),
// the national central-office clerk signs in and opens
// the dashboard: the tables beside the charts show the seeded figures in Persian digits (waiting,
// longer than the threshold at 14 days and then at 25, the step's median), each chart is an
// SVG image with a title, each CSV link is UTF-8 with a BOM, and axe finds nothing; the weekly
// table follows the number of weeks typed (in any digit script), and a number out of range is
// refused with a Persian message naming the field.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  BIN, startServer, launchBrowser, openPage, axeViolations, latinDigits, errorsBut, screenshots,
  waitForAsync,
} from './lib/harness.mjs';

const DAY = 86_400;

/** Today's Jalali date in Tehran, as the server's clock says. */
function tehranToday() {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
    timeZone: 'Asia/Tehran', year: 'numeric', month: 'numeric', day: 'numeric',
  }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return `${parts.year}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`;
}

let server;
let browser;
before(async () => {
  [server, browser] = await Promise.all([startServer({ demoUsers: true }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Seeds withdrawals that left the head of education after `days` each and wait at the central
 * office since then; the filing 40 days ago. */
function seed(dataDir, days) {
  const now = Math.floor(Date.now() / 1000);
  const sent = now - 30 * DAY - DAY / 2;
  const statements = [];
  days.forEach((d, i) => {
    const id = 5000 + i;
    const at = sent + d * DAY;
    statements.push(
      `INSERT INTO requests (id, tracking_code, kind, national_id, body, status, submitted_at, ` +
      `submitted_jalali, version, process, faculty, updated_at, handle, university_id) VALUES ` +
      `(${id}, '9000000000${i}0', 'withdrawal', '000000000${i}', '{}', 'at_central_office', ` +
      `${now - 40 * DAY}, '1404-01-01', 3, 'withdrawal', 'eng', ${at}, ` +
      `'${String(id).padStart(32, '0')}', 1);`,
      `INSERT INTO audit (request_id, at, from_status, to_status, action, actor) VALUES ` +
      `(${id}, ${now - 40 * DAY}, NULL, 'submitted', 'seeded', 'test'), ` +
      `(${id}, ${sent}, 'submitted', 'at_head_of_education', 'seeded', 'test'), ` +
      `(${id}, ${at}, 'at_head_of_education', 'at_central_office', 'seeded', 'test');`,
    );
  });
  execFileSync('sqlite3', [join(dataDir, 'pishkhan.sqlite3')], {
    input: `PRAGMA busy_timeout = 5000;\n${statements.join('\n')}\n`,
  });
  execFileSync(BIN, ['dashboard-rebuild', '--data-dir', dataDir]);
}

/** The cells of the row of `table` whose heading contains `text`, as Latin-digit text. */
async function rowCells(page, table, text) {
  const row = page.locator(`[data-testid=${table}-table] tbody tr`, { hasText: text }).first();
  await row.waitFor();
  return (await row.locator('td').allTextContents()).map((c) => latinDigits(c).replace('٫', '.'));
}

test('a national clerk sees the seeded figures as charts, tables and CSV', async () => {
  // Three: 2, 4 and 9 days at the head of education; now 28.5, 26.5 and 21.5 days at the
  // central office.
  seed(server.dataDir, [2, 4, 9]);
  const { context, page } = await openPage(browser, { today: tehranToday() });
  try {
    await page.goto(server.url + '/staff/login');
    await page.locator('#username').pressSequentially('central-office');
    await page.locator('#password').pressSequentially('pishkhan-demo');
    await page.locator('#password').press('Enter');
    await page.waitForURL((u) => u.pathname === '/staff' || u.pathname === '/staff/');
    await page.locator('nav a[href="/staff/dashboard"]').click();
    await page.waitForURL((u) => u.pathname === '/staff/dashboard');
    await page.locator('[data-testid=waiting-table]').waitFor();

    // Waiting at the central office: three, all three longer than 14 days.
    const waiting = await rowCells(page, 'waiting', 'اداره کل خدمات آموزشی');
    assert.deepEqual(waiting, ['3', '3'], `waiting row: ${waiting}`);
    const heads = await page.locator('[data-testid=waiting-table] thead th').allTextContents();
    assert.ok(heads.some((h) => h.includes('۱۴')), `the threshold in Persian digits: ${heads}`);
    // Persian digits on the table and the chart.
    const cellText = await page.locator('[data-testid=waiting-table] tbody td').first().textContent();
    assert.match(cellText, /^[۰-۹]+$/);
    const chartText = await page.locator('[data-testid=waiting-chart] text').allTextContents();
    assert.ok(chartText.includes('۳'), `the chart's values in Persian digits: ${chartText}`);
    // The head of education's step: median 4 days (the buckets' precision: within 9%).
    const step = await rowCells(page, 'steps', 'رئیس اداره آموزش');
    const median = Number(step[0]);
    assert.ok(Math.abs(median - 4) <= 0.4, `median ${step}`);
    assert.equal(step[2], '3');
    // Every chart is an image named by its title and described.
    for (const svg of await page.locator('svg.dash-chart').all()) {
      assert.equal(await svg.getAttribute('role'), 'img');
      const [titleId, descId] = (await svg.getAttribute('aria-labelledby')).split(' ');
      assert.ok(await svg.locator(`title#${titleId}`).textContent());
      assert.ok(await svg.locator(`desc#${descId}`).textContent());
    }
    // The CSV: UTF-8 with a BOM, the Persian labels and the figures.
    const href = await page.locator('[data-testid=waiting-csv]').getAttribute('href');
    assert.match(href, /^data:text\/csv;charset=utf-8,%EF%BB%BF/);
    const csv = decodeURIComponent(href.slice(href.indexOf(',') + 1));
    assert.ok(csv.startsWith('\uFEFF'));
    assert.match(csv, /اداره کل خدمات آموزشی[^\r\n]*","3","3"/);

    assert.deepEqual(await axeViolations(page), [], 'dashboard: axe-core');
    await screenshots(page, 'staff-dashboard');

    // The threshold at 25 days, typed in Persian digits: two of the three.
    await page.locator('#stale_days').fill('۲۵');
    await page.locator('#stale_days').press('Enter');
    await page.locator('[data-testid=waiting-table] thead th', { hasText: '۲۵' }).waitFor();
    assert.deepEqual(await rowCells(page, 'waiting', 'اداره کل خدمات آموزشی'), ['3', '2']);

    // The weekly table: twelve weeks by default; out of range, the error names the field and
    // the table stays; four weeks typed in Arabic-Indic digits, then 30 in Latin ones.
    const weeklyRows = page.locator('[data-testid=weekly-table] tbody tr');
    assert.equal(await weeklyRows.count(), 12);
    assert.equal(await page.locator('label[for=weeks]').count(), 1);
    await page.locator('#weeks').fill('۲۰۰');
    await page.locator('#weeks').press('Enter');
    const summary = page.locator('#error-summary');
    await summary.waitFor();
    assert.match(await summary.textContent(), /weeks: عددی درست از ۱ تا ۱۰۴/);
    assert.equal(await weeklyRows.count(), 12);
    await page.locator('#weeks').fill('٤');
    await page.locator('#weeks').press('Enter');
    await summary.waitFor({ state: 'detached' });
    await waitForAsync(page, () => document.querySelectorAll('[data-testid=weekly-table] tbody tr').length === 4,
      undefined, { what: 'four weeks' });
    // The threshold typed before is kept.
    assert.deepEqual(await rowCells(page, 'waiting', 'اداره کل خدمات آموزشی'), ['3', '2']);
    await page.locator('#weeks').fill('30');
    await page.locator('#weeks').press('Enter');
    await waitForAsync(page, () => document.querySelectorAll('[data-testid=weekly-table] tbody tr').length === 30,
      undefined, { what: 'thirty weeks' });
    assert.deepEqual(await axeViolations(page), [], 'dashboard with weeks: axe-core');
    assert.deepEqual(errorsBut(page, 422), [], 'only the refused number of weeks');
  } finally {
    await context.close();
  }
});
