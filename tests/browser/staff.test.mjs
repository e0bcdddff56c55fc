// The staff area (/staff) in a real browser against the real server started with
// `--demo-users`: a clearance walked through every office by that office's own clerk (an
// in-person mark at the food service, debt at the dormitory, debt and instalments at welfare), a
// stale move in a second tab; a withdrawal cancelled by the faculty and revoked by the student
// from /track/<code>; a withdrawal walked by every role to the ruling, refused before
// final_ruling_from. The order of the steps and their data follow
// server/tests/workflow_api.rs; the pages' hooks are docs/app-contract.md ("Staff app").
//
// The server's clock is the real one, so the browsers' clocks are set to today in Tehran too. The
// students sign in as the demo roster's people; the sign-in and one-time codes and the SMS are read
// from <data-dir>/sms.log, as the server writes them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, axeViolations, latinDigits, persianDigits, errorsBut, STEP_TIMEOUT,
} from './lib/harness.mjs';
import { walkForm, tabTo, PDF } from './lib/forms.mjs';
import { ALI, SARA, signIn, smsLines } from './lib/signin.mjs';

const PASSWORD = 'pishkhan-demo';

/** Today's Jalali date in Tehran, `{year, month, day}` (the server's own "today"). */
function tehranToday() {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
    timeZone: 'Asia/Tehran', year: 'numeric', month: 'numeric', day: 'numeric',
  }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day };
}
const TODAY = tehranToday();
const TODAY_MACHINE = `${TODAY.year}-${String(TODAY.month).padStart(2, '0')}-${String(TODAY.day).padStart(2, '0')}`;

/** The clearance route of a student who is not in the evening course: the department, then the
 * offices in route order (rules::requests::default_offices), each with its demo user. */
const ROUTE = [
  ['department', 'department'],
  ...['kharazmi_library', 'mirza_shirazi_library', 'molla_sadra_library', 'counselling_centre',
    'food_service', 'student_accounting', 'dormitory', 'welfare'].map((id) => [id, `office-${id}`]),
];

/** A clearance of the demo roster's first person (who signs in to file it). */
const CLEARANCE_ANSWERS = {
  national_id: ALI.national_id,
  mobile: ALI.mobile,
  reason: 'expulsion',
  evening_course: 'false',
};

/** A withdrawal of the demo roster's second person. */
const WITHDRAWAL_ANSWERS = {
  student_number: SARA.student_number,
  national_id: SARA.national_id,
  mobile: SARA.mobile,
  faculty: SARA.faculty,
  level: 'bachelor_continuous',
  reason: 'شروع به کار',
  withdrawal_form: PDF,
  early_withdrawal: 'false',
  student_card: 'handed_in',
  duplicate_card_requested: 'false',
};

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The page's errors, less the browser's own log line for a refusal the test asked for (409, 422). */
const unexpectedErrors = (page) => errorsBut(page, 409, 422);

const digitsOnly = (code) => latinDigits(code).replace(/\D/g, '');

/** Waits (polling the file) until an SMS of `kind` for `code` is in the log; returns it. */
async function waitSms(dataDir, code, kind, { after = 0 } = {}) {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const found = smsLines(dataDir).slice(after)
      .find((m) => m.kind === kind && digitsOnly(m.tracking_code ?? '') === digitsOnly(code));
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no ${kind} SMS for ${code} in sms.log: ${JSON.stringify(smsLines(dataDir))}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Files a request through the student's forms and the outbox, signed in as `who`; its tracking code. */
async function fileRequest(server, form, answers, who) {
  const { context, page } = await openPage(browser, { today: TODAY_MACHINE });
  try {
    await signIn(page, server.url, server.dataDir, who);
    await walkForm(page, server.url, form, answers);
    await page.locator('button[data-submit]').click();
    await page.waitForURL((u) => u.pathname === '/track');
    const row = page.locator('[data-tracking-code]').first();
    await row.waitFor({ timeout: STEP_TIMEOUT });
    const code = await row.getAttribute('data-tracking-code');
    assert.match(code, /^\d{4}-\d{4}-\d{4}$/);
    assert.deepEqual(errorsBut(page, 401), [], 'no error but "not signed in" before signing in');
    return code;
  } finally {
    await context.close();
  }
}

/** A fresh browser context signed in at /staff/login as `username` (typed; Enter submits). */
async function staffSession(base, username, { onLoginPage } = {}) {
  const { context, page } = await openPage(browser, { today: TODAY_MACHINE });
  await page.goto(base + '/staff/login');
  await page.locator('#username').waitFor();
  if (onLoginPage) await onLoginPage(page);
  await page.locator('#username').pressSequentially(username);
  await page.locator('#password').pressSequentially(PASSWORD);
  await page.locator('#password').press('Enter');
  await page.waitForURL((u) => u.pathname === '/staff' || u.pathname === '/staff/');
  await cartableShown(page);
  return { context, page };
}

/** Waits until the cartable (or its "empty" note) is drawn. */
async function cartableShown(page) {
  await page.locator('[data-testid=cartable], [data-testid=cartable-empty]').first().waitFor();
}

/**
 * Searches the cartable (typed, Enter) and waits for the server's answer: a POST with the search
 * in its body, never in the URL.
 */
async function search(page, q) {
  const answered = page.waitForResponse((r) => {
    const u = new URL(r.url());
    const request = r.request();
    return u.pathname === '/api/v1/staff/cartable/search' && request.method() === 'POST' &&
      latinDigits(request.postDataJSON()?.q ?? '') === latinDigits(q);
  });
  await page.locator('#q').fill(q);
  await page.locator('#q').press('Enter');
  const response = await answered;
  assert.equal(new URL(response.url()).search, '', 'no search in the URL');
}

/** The cartable row of `code`. */
function cartableRow(page, code) {
  return page.locator(`[data-testid=cartable] tr[data-tracking-code="${code}"]`);
}

/** Opens `code` from the cartable by clicking its link; waits for its detail. */
/**
 * Counts, inside the page, its GETs of `/api/v1/staff/requests/…` (`window.__detailCalls`) and
 * sets `window.__meApplied` once the next `/api/v1/staff/me` answer has been read and the turn of
 * the event loop that applies it is over (the app's reactive updates run in microtasks).
 */
async function countDetailCalls(page) {
  await page.evaluate(() => {
    const fetch = window.fetch;
    window.__detailCalls = [];
    window.__meApplied = false;
    const nextTask = () => new Promise((r) => {
      const c = new MessageChannel();
      c.port1.onmessage = r;
      c.port2.postMessage(0);
    });
    window.fetch = function (input, init) {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      if (method === 'GET' && url.pathname.startsWith('/api/v1/staff/requests/')) window.__detailCalls.push(url.pathname);
      const answer = fetch.apply(this, arguments);
      if (url.pathname === '/api/v1/staff/me') {
        return answer.then((response) => {
          const text = response.text;
          response.text = function () {
            const read = text.apply(this, arguments);
            read.then(nextTask).then(() => { window.__meApplied = true; });
            return read;
          };
          return response;
        });
      }
      return answer;
    };
  });
}

async function openFromCartable(page, code) {
  await cartableRow(page, code).locator('a').click();
  await detailShown(page, code);
}

async function detailShown(page, code) {
  // The request's opaque handle in the URL, never its tracking code.
  await page.waitForURL((u) => /^\/staff\/requests\/[0-9a-f]{32}$/.test(u.pathname));
  await page.locator('[data-testid=request-summary]').waitFor();
  assert.equal(digitsOnly(await page.locator('h1 .tracking-code').innerText()), digitsOnly(code));
}

/** The detail page's state and version. */
async function shownState(page) {
  const summary = page.locator('[data-testid=request-summary]');
  return { state: await summary.getAttribute('data-state'), version: await summary.getAttribute('data-version') };
}

/**
 * Presses the action's button (and, when `fill` is given, fills the inputs it opens and confirms
 * them); waits until the page shows the next version and announces the move.
 */
async function act(page, action, { fill, keyboard = false } = {}) {
  const before = await shownState(page);
  const button = page.locator(`button[data-action="${action}"]`);
  if (keyboard) {
    await tabTo(page, `button[data-action="${action}"]`, 80);
    await page.keyboard.press('Enter');
  } else {
    await button.click();
  }
  if (fill) {
    await page.locator(`form[data-action-form="${action}"]`).waitFor();
    await fill(page);
    await page.locator(`[data-action-submit="${action}"]`).click();
  }
  await page.waitForFunction((v) => document.querySelector('[data-testid=request-summary]')?.dataset.version !== v,
    before.version, { timeout: STEP_TIMEOUT }).catch(async () => {
    const summary = page.locator('#error-summary');
    const text = (await summary.count()) ? await summary.innerText() : '';
    throw new Error(`${action} did not move the request (still ${before.state})` + (text ? ` — error summary: ${text}` : '') +
      (page.errors.length ? ` — page errors: ${page.errors.join(' | ')}` : ''));
  });
  assert.match(await page.locator('[data-testid=status]').innerText(), /اقدام ثبت شد/);
  return shownState(page);
}

/** Fills a date's three inputs (Persian digits). */
async function fillDate(page, name, { year, month, day }) {
  await page.locator(`[name="${name}.day"]`).fill(persianDigits(String(day)));
  await page.locator(`[name="${name}.month"]`).fill(persianDigits(String(month)));
  await page.locator(`[name="${name}.year"]`).fill(persianDigits(String(year)));
}

test('a clearance passes every office, with an in-person mark at the food service; a stale move; cleared', async () => {
  const server = await startServer({ demoUsers: true });
  const base = server.url;
  const contexts = [];
  try {
    const code = await fileRequest(server, 'clearance', CLEARANCE_ANSWERS, ALI);
    for (const [i, [office, username]] of ROUTE.entries()) {
      const { context, page } = await staffSession(base, username, {
        onLoginPage: i === 0 ? async (p) => assert.deepEqual(await axeViolations(p), [], 'login page: axe-core') : undefined,
      });
      contexts.push(context);
      const row = cartableRow(page, code);
      await row.waitFor();
      assert.equal(await row.getAttribute('data-state'), `at_office:${office}`);
      if (i === 0) {
        assert.deepEqual(await axeViolations(page), [], 'cartable: axe-core');
        // The search: someone else's national ID finds nothing; the code in Persian digits
        // without hyphens finds it.
        await search(page, '0012345679');
        await page.locator('[data-testid=cartable-empty]').waitFor();
        await search(page, persianDigits(digitsOnly(code)));
        await row.waitFor();
      }
      const next = ROUTE[i + 1] ? `at_office:${ROUTE[i + 1][0]}` : 'cleared';

      if (office === 'counselling_centre') {
        // Keyboard only: Tab to the row's link, Enter; Tab to the button, Enter.
        await tabTo(page, `[data-testid=cartable] tr[data-tracking-code="${code}"] a`, 80);
        await page.keyboard.press('Enter');
        await detailShown(page, code);
        await page.waitForFunction(() => document.activeElement?.matches('h1'));
        assert.equal((await act(page, 'forward', { keyboard: true })).state, next);
        // The pressed button is gone: the focus stays in the actions section, not on <body>.
        await page.waitForFunction(() => document.activeElement?.id === 'actions-heading');
      } else if (office === 'kharazmi_library') {
        // Two tabs of the same clerk on the same version: the first moves it, the second is told
        // someone else did, and a reload shows where it is now.
        await openFromCartable(page, code);
        const second = await context.newPage();
        second.errors = [];
        second.on('pageerror', (e) => second.errors.push(String(e)));
        second.on('console', (m) => { if (m.type() === 'error') second.errors.push(`console: ${m.text()}`); });
        await second.goto(page.url());
        await detailShown(second, code);
        assert.equal((await act(page, 'forward')).state, next);
        await second.locator('button[data-action=forward]').click();
        const stale = second.locator('[data-testid=stale]');
        await stale.waitFor();
        assert.match(await stale.innerText(), /کس دیگری پیش از شما این درخواست را جابه‌جا کرده است/);
        assert.equal(await second.locator('button[data-action=forward]').isDisabled(), true);
        // The way on has the focus: Enter reloads, and the heading has the focus again.
        await second.waitForFunction(() => document.activeElement?.matches('[data-testid=reload]'));
        await second.keyboard.press('Enter');
        await stale.waitFor({ state: 'detached' });
        await second.waitForFunction(() => document.activeElement?.matches('h1'));
        await second.locator('[data-testid=no-actions]').waitFor();
        assert.equal((await shownState(second)).state, next);
        assert.deepEqual(unexpectedErrors(second), [], 'the second tab: page errors');
      } else {
        await countDetailCalls(page);
        await openFromCartable(page, code);
        // A page built twice would ask again as `/me`'s answer is applied, in the same turn of
        // the event loop: once that turn is over, every call the page makes for it is counted.
        await page.waitForFunction(() => window.__meApplied === true);
        const detailCalls = await page.evaluate(() => window.__detailCalls);
        assert.equal(detailCalls.length, 1, `the page asks for the request once: ${detailCalls}`);
        if (i === 0) {
          assert.deepEqual(await axeViolations(page), [], 'detail page: axe-core');
          // Choices read as the form offered them, not as machine names.
          assert.equal(await page.locator('[data-answer=reason] dd').innerText(), 'اخراج');
          assert.equal(await page.locator('[data-answer=evening_course] dd').innerText(), 'خیر');
          // The student filed it: named once, by the role (not "متقاضی – applicant").
          assert.doesNotMatch(await page.locator('[data-testid=audit] [data-action=submit]').innerText(), /applicant/);
        }
        if (office === 'food_service') {
          const marked = await act(page, 'require_visit');
          assert.equal(marked.state, 'visit_required:food_service');
          assert.match(await page.locator('[data-testid=state]').innerText(), /مراجعه حضوری/);
          const sms = await waitSms(server.dataDir, code, 'in_person_visit_required');
          assert.match(sms.text, /مراجعه حضوری/);
          assert.equal(latinDigits(sms.to), CLEARANCE_ANSWERS.mobile);
        }
        let fill;
        if (office === 'dormitory') {
          fill = (p) => p.locator('[name=debt_rials]').fill('۰');
        } else if (office === 'welfare') {
          fill = async (p) => {
            await p.locator('[name=debt_rials]').fill('۱۲۰۰۰۰۰۰۰');
            await fillDate(p, 'instalments_start', TODAY);
            // Instalments that end before they start: the rule's words, nothing moves.
            await fillDate(p, 'instalments_end', { ...TODAY, year: TODAY.year - 1, day: Math.min(TODAY.day, 29) });
            await p.locator('[data-action-submit=forward]').click();
            const summary = p.locator('#error-summary');
            await summary.waitFor();
            assert.match(await summary.innerText(), /تاریخ پایان اقساط .+ پیش از تاریخ شروع آن .+ است/);
            assert.equal((await shownState(p)).state, 'at_office:welfare');
            await fillDate(p, 'instalments_end', { ...TODAY, year: TODAY.year + 1, day: Math.min(TODAY.day, 29) });
          };
        }
        assert.equal((await act(page, 'forward', { fill })).state, next);
      }
      await page.locator('[data-testid=no-actions]').waitFor();
      assert.deepEqual(unexpectedErrors(page), [], `${office}: page errors`);
      if (next !== 'cleared') await context.close();
    }

    // The last office: cleared on its detail page, and gone from its cartable.
    const last = contexts.at(-1).pages()[0];
    assert.equal((await shownState(last)).state, 'cleared');
    const audit = await last.locator('[data-testid=audit] [data-action]').evaluateAll((els) => els.map((e) => e.dataset.action));
    assert.equal(audit.filter((a) => a === 'forward').length, ROUTE.length);
    assert.ok(audit.includes('require_visit'));
    // An office's clerk is named after the office, though this page may not read the office list.
    assert.match(await last.locator('[data-testid=audit] [data-action=require_visit]').innerText(), /کارشناس اداره تغذیه/);
    assert.doesNotMatch(await last.locator('[data-testid=audit]').innerText(), /کارشناس [a-z_]+/);
    await last.locator('nav a[href="/staff"]').first().click();
    await cartableShown(last);
    assert.equal(await cartableRow(last, code).count(), 0, 'a cleared request leaves the cartable');
    // A handle that names no request (or a tracking code in its place): said so, and no
    // "loading" left behind.
    await last.goto(base + '/staff/requests/' + '0'.repeat(32));
    await last.locator('#error-summary').waitFor();
    assert.match(await last.locator('#error-summary').innerText(), /چنین درخواستی نیست/);
    assert.equal(await last.locator('.loading').count(), 0);
    await waitSms(server.dataDir, code, 'cleared');

    // The student's lookup on /track says the same.
    const { context: phoneContext, page: phone } = await openPage(browser, { today: TODAY_MACHINE });
    contexts.push(phoneContext);
    await phone.goto(base + '/track');
    const lookup = phone.locator('form[data-lookup]');
    await lookup.locator('[name=tracking_code]').fill(code);
    await lookup.locator('[name=national_id]').fill(CLEARANCE_ANSWERS.national_id);
    await lookup.locator('button[type=submit]').click();
    const result = phone.locator(`[data-lookup-result="${code}"]`);
    await result.waitFor();
    assert.equal(await result.getAttribute('data-status'), 'cleared');
  } finally {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await server.stop();
  }
});

/**
 * On /track/<code>, signs in as the applicant through `section.act-panel`: the national ID, "send
 * code", the 6-digit code read from sms.log (typed in Persian digits), "verify".
 */
async function applicantSignIn(page, base, dataDir, code, nationalId) {
  await page.goto(`${base}/track/${code}`);
  const panel = page.locator(`section.act-panel[data-act-for="${code}"]`);
  await panel.waitFor();
  const id = panel.locator('input[data-testid=applicant-national-id]');
  await id.fill(nationalId);
  const before = smsLines(dataDir).length;
  await panel.locator('button[data-testid=send-code]').click();
  await panel.locator('[data-sent-to]').waitFor();
  const sms = await waitSms(dataDir, code, 'one_time_code', { after: before });
  const otp = latinDigits(sms.text).split(/\D+/).find((w) => w.length === 6);
  assert.ok(otp, `no 6-digit code in ${sms.text}`);
  await panel.locator('input[data-testid=one-time-code]').pressSequentially(persianDigits(otp));
  await panel.locator('button[data-testid=verify-code]').click();
  await panel.locator('[data-state]').first().waitFor();
  return panel;
}

/** The actions of the audit trail on a staff detail page, in order. */
async function auditActions(page) {
  return page.locator('[data-testid=audit] [data-action]').evaluateAll((els) => els.map((e) => e.dataset.action));
}

test('a withdrawal: the faculty cancels the card, the student revokes it from /track/<code>', async () => {
  const server = await startServer({ demoUsers: true });
  const base = server.url;
  const contexts = [];
  try {
    const code = await fileRequest(server, 'withdrawal', WITHDRAWAL_ANSWERS, SARA);
    const { context, page: faculty } = await staffSession(base, 'faculty');
    contexts.push(context);
    await openFromCartable(faculty, code);
    assert.equal((await shownState(faculty)).state, 'submitted');
    assert.equal((await act(faculty, 'cancel_card')).state, 'awaiting_student_clearances');

    const { context: studentContext, page: student } = await openPage(browser, { today: TODAY_MACHINE });
    contexts.push(studentContext);
    const panel = await applicantSignIn(student, base, server.dataDir, code, WITHDRAWAL_ANSWERS.national_id);
    assert.equal(await panel.locator('[data-state]').first().getAttribute('data-state'), 'awaiting_student_clearances');
    await panel.locator('button[data-action=revoke]').click();
    const confirm = panel.locator('[data-confirm=revoke]');
    await confirm.waitFor();
    await confirm.locator('button[data-confirm-action=revoke]').click();
    await panel.locator('[data-state="revoked"]').waitFor();
    assert.deepEqual(await axeViolations(student), [], '/track/<code> after the revocation: axe-core');
    assert.deepEqual(errorsBut(student, 401), [], 'no error but "not signed in" (the panel\'s own code)');
    await waitSms(server.dataDir, code, 'revoked');

    // The faculty expert's page, reloaded: revoked, nothing left to do, the whole trail.
    await faculty.reload();
    await detailShown(faculty, code);
    assert.equal((await shownState(faculty)).state, 'revoked');
    await faculty.locator('[data-testid=no-actions]').waitFor();
    assert.equal(await faculty.locator('.staff-actions button[data-action]').count(), 0);
    assert.deepEqual(await auditActions(faculty), ['submit', 'cancel_card', 'revoke']);
    // Each row names who acted, in Persian, by role.
    const actors = await faculty.locator('[data-testid=audit] [data-action]').evaluateAll((els) => els.map((e) => e.innerText));
    assert.match(actors[0], /متقاضی/);
    assert.match(actors[1], /کارشناس آموزش دانشکده/);
    assert.deepEqual(faculty.errors, []);
  } finally {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await server.stop();
  }
});

test('a withdrawal walked by every role up to the ruling, which waits for final_ruling_from', async () => {
  const server = await startServer({ demoUsers: true });
  const base = server.url;
  const contexts = [];
  const sessions = new Map();
  /** The clerk's page (one context per role, signed in once) opened on the request. */
  const clerk = async (username, code) => {
    if (!sessions.has(username)) {
      const s = await staffSession(base, username);
      contexts.push(s.context);
      sessions.set(username, s.page);
    } else {
      const page = sessions.get(username);
      await page.locator('nav a[href="/staff"]').first().click();
      await cartableShown(page);
    }
    const page = sessions.get(username);
    await cartableRow(page, code).waitFor();
    await openFromCartable(page, code);
    return page;
  };
  try {
    const answers = { ...WITHDRAWAL_ANSWERS, ...ALI };
    const code = await fileRequest(server, 'withdrawal', answers, ALI);
    let page = await clerk('faculty', code);
    assert.equal((await act(page, 'cancel_card')).state, 'awaiting_student_clearances');

    // Seed 001 step 3 is the student's: the clearances with the faculty's units, reported from
    // the panel.
    const { context: studentContext, page: student } = await openPage(browser, { today: TODAY_MACHINE });
    contexts.push(studentContext);
    const panel = await applicantSignIn(student, base, server.dataDir, code, answers.national_id);
    await panel.locator('button[data-action=report_clearances]').click();
    await panel.locator('[data-state="faculty_completion"]').waitFor();

    page = await clerk('faculty', code);
    assert.equal((await act(page, 'complete_file')).state, 'at_student_affairs');
    page = await clerk('student-affairs', code);
    // The debt is required: confirming without it names the field.
    await page.locator('button[data-action=confirm_welfare_debt]').click();
    await page.locator('form[data-action-form=confirm_welfare_debt]').waitFor();
    await page.locator('[data-action-submit=confirm_welfare_debt]').click();
    await page.locator('#error-summary a[href="#debt_rials"]').waitFor();
    assert.equal((await act(page, 'confirm_welfare_debt', {
      fill: (p) => p.locator('[name=debt_rials]').fill('۲۵۰۰۰۰۰۰'),
    })).state, 'faculty_final_check');
    page = await clerk('faculty', code);
    assert.equal((await act(page, 'send_to_head')).state, 'at_head_of_education');
    page = await clerk('head-education', code);
    assert.equal((await act(page, 'send_to_central')).state, 'at_central_office');
    page = await clerk('central-office', code);
    assert.equal((await act(page, 'confirm_file')).state, 'awaiting_ruling');

    // rules.md §5: not before final_ruling_from; the refusal is the rule's own words.
    await page.locator('[data-testid=deadlines]').waitFor();
    await page.locator('button[data-action=issue_ruling]').click();
    const summary = page.locator('#error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /حکم قطعی انصراف پیش از .+ صادر نمی‌شود/);
    assert.equal((await shownState(page)).state, 'awaiting_ruling');
    assert.deepEqual(await auditActions(page),
      ['submit', 'cancel_card', 'report_clearances', 'complete_file', 'confirm_welfare_debt', 'send_to_head',
        'send_to_central', 'confirm_file']);
    for (const p of sessions.values()) assert.deepEqual(unexpectedErrors(p), []);
  } finally {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await server.stop();
  }
});
