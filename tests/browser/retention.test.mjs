// Retention in the staff area (docs/retention.md): an A2 permit the deputy cancelled, erased by
// `pishkhan purge` once its period is over, opens in the staff detail as a tombstone — the
// state kept, the notice "erased under retention" shown. The request is filed and moved through
// the API as the demo users (server/tests/retention.rs walks the same steps); the purge runs
// as of 31 days from now (its hidden `--now`, the tests' clock).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, openPage, latinDigits, BIN } from './lib/harness.mjs';

const PASSWORD = 'pishkhan-demo';

/** Today's Jalali date in Tehran, `{year, month, day}` (the server's own "today"). */
function tehranToday() {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
    timeZone: 'Asia/Tehran', year: 'numeric', month: 'numeric', day: 'numeric',
  }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day };
}
const TODAY = tehranToday();
const machine = ({ year, month, day }) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
/** `months` months before today (the day kept at most 29, which every month has). */
function monthsAgo(months) {
  const index = TODAY.year * 12 + (TODAY.month - 1) - months;
  return machine({ year: Math.floor(index / 12), month: (index % 12) + 1, day: Math.min(TODAY.day, 29) });
}

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer({ demoUsers: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Signs a demo user in through the API: a function that calls the staff API as them. */
async function clerk(username) {
  const login = await fetch(`${server.url}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('pishkhan_staff=')).split(';')[0];
  const { csrf_token: csrf } = await login.json();
  return async (method, path, body) => {
    const r = await fetch(server.url + path, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  };
}

test('a cancelled A2 permit erased under retention shows as a tombstone in the staff detail', async () => {
  const police = await clerk('police');
  const filed = await police('POST', '/api/v1/staff/requests', {
    answers: {
      national_id: '0013542419', mobile: '09357773311', sms_opt_in: false,
      residence_province: 'تهران', residence_city: 'کرج', residence_address: 'خیابان انقلاب',
      previous_level: 'diploma', previous_graduation: monthsAgo(4), university: 'دانشگاه تهران',
      level: 'bachelor_continuous', study_start: monthsAgo(1), field_of_study: 'ریاضی',
      institution_approved: true, unjustified_absence: false,
    },
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const code = filed.body.tracking_code;
  // Staff URLs name a request by its opaque handle (docs/staff-api.md); the search finds it.
  const found = await police('POST', '/api/v1/staff/cartable/search', { q: code });
  const handle = found.body.requests[0].handle;
  const steps = [
    ['police', 'grant_permit'],
    ['university', 'submit_admitted_list'],
    ['deputy', 'cancel_permit'],
  ];
  for (const [user, action] of steps) {
    const as = await clerk(user);
    const { body: detail } = await as('GET', `/api/v1/staff/requests/${handle}`);
    const moved = await as('POST', `/api/v1/staff/requests/${handle}/actions`, { action, version: detail.version });
    assert.equal(moved.status, 200, `${action}: ${JSON.stringify(moved.body)}`);
  }
  const later = String(Math.floor(Date.now() / 1000) + 31 * 86_400);
  const out = execFileSync(BIN, ['purge', '--data-dir', server.dataDir, '--now', later], { encoding: 'utf8' });
  assert.ok(out.split('\n').includes('cancelled_a2_permit: 1'), out);

  const { context, page } = await openPage(browser, { today: machine(TODAY) });
  try {
    await page.goto(server.url + '/staff/login');
    await page.locator('#username').pressSequentially('deputy');
    await page.locator('#password').pressSequentially(PASSWORD);
    await page.locator('#password').press('Enter');
    await page.waitForURL((u) => u.pathname === '/staff' || u.pathname === '/staff/');
    await page.goto(`${server.url}/staff/requests/${handle}`);
    const summary = page.locator('[data-testid=request-summary]');
    await summary.waitFor();
    assert.equal(await summary.getAttribute('data-state'), 'permit_cancelled');
    const notice = page.locator('[data-testid=erased]');
    await notice.waitFor();
    assert.match(await notice.innerText(), /امحا/);
    assert.equal(await notice.getAttribute('role'), 'status');
    // The national ID is no longer shown anywhere on the page.
    assert.ok(!latinDigits(await page.locator('main, body').first().innerText()).includes('0013542419'));
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
