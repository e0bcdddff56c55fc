// Signing in in the browser tests (docs/signin.md): the demo roster's people (`serve
// --demo-users`), the sign-in code read from <data-dir>/sms.log as the server writes it, the
// roster sign-in on /signin driven by mouse or keyboard, the session row expired in SQLite, and
// the demo admin's staff sign-in (with the second factor the demo requires of them).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STEP_TIMEOUT, latinDigits, persianDigits, tabTo } from './harness.mjs';
import { totpIn } from './totp.mjs';

/** The demo roster's first and second person (server/src/domain/roster.rs, README "Demo roster"). */
export const ALI = { national_id: '0123456789', student_number: '40112001', mobile: '09120000001', faculty: 'فنی و مهندسی' };
export const SARA = { national_id: '0234567899', student_number: '40112002', mobile: '09120000002', faculty: 'علوم پایه' };

/** Every SMS the server wrote to `<data-dir>/sms.log` (one JSON object a line). */
export function smsLines(dataDir) {
  let text = '';
  try { text = readFileSync(join(dataDir, 'sms.log'), 'utf8'); } catch { /* none yet */ }
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Waits (polling the file) for a sign-in code SMS to `mobile` after the first `after` lines; its six digits. */
export async function codeFor(dataDir, mobile, after) {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const sms = smsLines(dataDir).slice(after).find((m) => m.to === mobile && !m.tracking_code);
    if (sms) return /\d{6}/.exec(latinDigits(sms.text))[0];
    if (Date.now() > deadline) throw new Error(`no sign-in code SMS to ${mobile}: ${JSON.stringify(smsLines(dataDir))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * On the sign-in page (`/signin`): signs `who` in with the roster's code, by national ID or
 * (`by: 'student_number'`) student number, the code typed in Persian digits; waits until the page
 * has left /signin. `keyboard`: Tab, typing and Enter only.
 */
export async function rosterSignIn(page, dataDir, who, { by = 'national_id', keyboard = false } = {}) {
  await page.waitForURL((u) => u.pathname === '/signin');
  const form = page.locator('form[data-signin-roster]');
  await form.waitFor();
  const before = smsLines(dataDir).length;
  if (keyboard) {
    if (by !== 'national_id') {
      await tabTo(page, 'input[name=signin_with]');
      await page.keyboard.press('ArrowDown');
    }
    await tabTo(page, `input[name=${by}]`);
    await page.keyboard.type(persianDigits(who[by]));
    await page.keyboard.press('Enter');
  } else {
    if (by !== 'national_id') await form.locator(`input[name=signin_with][value=${by}]`).check();
    await form.locator(`input[name=${by}]`).fill(who[by]);
    await form.locator('button[data-signin-send]').click();
  }
  await page.locator('[data-code-sent]').waitFor();
  const code = await codeFor(dataDir, who.mobile, before);
  if (keyboard) {
    // The focus is on the code's field once the code is sent.
    await page.waitForFunction(() => document.activeElement?.name === 'code');
    await page.keyboard.type(persianDigits(code));
    await page.keyboard.press('Enter');
  } else {
    await page.locator('input[name=code]').fill(persianDigits(code));
    await page.locator('button[data-signin-verify]').click();
  }
  await page.waitForURL((u) => u.pathname !== '/signin');
}

/** Goes to /signin (coming back to `returnTo`) and signs `who` in by the roster's code. */
export async function signIn(page, base, dataDir, who, { returnTo = '/track', ...options } = {}) {
  await page.goto(`${base}/signin?return_to=${encodeURIComponent(returnTo)}`);
  await rosterSignIn(page, dataDir, who, options);
  await page.waitForURL((u) => u.pathname === returnTo);
}

/**
 * On a page asking to sign in (`[data-sign-in-needed]`): follows its "sign in" link and signs
 * `who` in (`keyboard`: Tab and Enter only); resolves once back from /signin.
 */
export async function signInFromLink(page, dataDir, who, options = {}) {
  const link = '[data-sign-in-needed] a[data-sign-in-link]';
  await page.locator(link).waitFor();
  if (options.keyboard) {
    await tabTo(page, link);
    await page.keyboard.press('Enter');
  } else {
    await page.locator(link).click();
  }
  await rosterSignIn(page, dataDir, who, options);
}

/**
 * On /track with a request waiting for a sign-in: signs `who` in from the page's own link, and
 * waits until the request was sent (its tracking code is listed); the code.
 */
export async function signInToSend(page, dataDir, who, options = {}) {
  await signInFromLink(page, dataDir, who, options);
  await page.waitForURL((u) => u.pathname === '/track' || u.pathname === '/track/receipt');
  const row = page.locator('[data-tracking-code]').first();
  await row.waitFor({ timeout: STEP_TIMEOUT });
  return row.getAttribute('data-tracking-code');
}

/** Ends every person session of the server now, in its SQLite file (as if they had expired). */
export function expireSessions(dataDir) {
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', join(dataDir, 'pishkhan.sqlite3'), 'UPDATE person_sessions SET expires_at = 0;']);
}

/** The demo staff's password (`serve --demo-users`). */
export const STAFF_PASSWORD = 'pishkhan-demo';

/** Signs the demo admin in and sets up their second factor; ends on /staff/admin/users. */
export async function adminSignedIn(page, base) {
  await page.goto(base + '/staff/login');
  await page.locator('#username').pressSequentially('admin');
  await page.locator('#password').pressSequentially(STAFF_PASSWORD);
  await page.locator('#password').press('Enter');
  await page.waitForURL((u) => u.pathname === '/staff/second-factor');
  const secret = (await page.locator('[data-testid=totp-secret]').textContent()).replace(/\s/g, '');
  await page.locator('#code').pressSequentially(totpIn(secret, 0));
  await page.locator('#code').press('Enter');
  await page.locator('[data-testid=recovery-done]').click();
  await page.waitForURL((u) => u.pathname === '/staff/admin/users');
  await page.locator('[data-testid=users]').waitFor();
}

/** Opens a staff page from the navigation (the app's own routing keeps the chosen university). */
export async function openFromNav(page, path) {
  await page.locator(`nav a[href="${path}"]`).click();
  await page.waitForURL((u) => u.pathname === path);
}
