// The staff's second factor in a real browser against the real server started with
// `--demo-users` (the admin must have one): the admin is sent to the set-up page, scans — here:
// reads — the QR code's key, confirms it with the app's code and gets the 10 recovery codes;
// then signs in with password and code (a wrong code first, refused with the field named in the
// error summary), and with password and a recovery code. Codes are computed by lib/totp.mjs
// (RFC 6238 with node:crypto) from the server's real clock.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, axeViolations, errorsBut } from './lib/harness.mjs';
import { totpIn } from './lib/totp.mjs';

const PASSWORD = 'pishkhan-demo';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Types the admin's username and password on /staff/login and sends them (Enter). */
async function password(page, base) {
  await page.goto(base + '/staff/login');
  await page.locator('#username').pressSequentially('admin');
  await page.locator('#password').pressSequentially(PASSWORD);
  await page.locator('#password').press('Enter');
}

/** Signs out (the header's button) and waits for the sign-in page. */
async function signOut(page) {
  await page.locator('[data-testid=logout]').click();
  await page.waitForURL((u) => u.pathname === '/staff/login');
  await page.locator('#username').waitFor();
}

test('the admin sets up a second factor from the QR page, then signs in with a code or a recovery code', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser);
  try {
    const base = server.url;
    // First sign-in: sent to the set-up page, whatever page was asked for.
    await password(page, base);
    await page.waitForURL((u) => u.pathname === '/staff/second-factor');
    const qr = page.locator('[data-testid=totp-qr]');
    await qr.waitFor();
    assert.equal(await qr.locator('svg').count(), 1, 'the QR code is an SVG drawn in the page');
    assert.ok(await qr.getAttribute('aria-label'));
    assert.deepEqual(await axeViolations(page), [], 'set-up page: axe-core');
    const secret = (await page.locator('[data-testid=totp-secret]').textContent()).replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await page.locator('#code').pressSequentially(totpIn(secret, 0));
    await page.locator('#code').press('Enter');
    const list = page.locator('[data-testid=recovery-codes] li');
    await list.first().waitFor();
    const recovery = (await list.allTextContents()).map((c) => c.trim());
    assert.equal(recovery.length, 10);
    assert.ok(recovery.every((c) => /^[a-z2-7]{5}-[a-z2-7]{5}$/.test(c)), recovery.join(' '));
    await page.locator('[data-testid=recovery-done]').click();
    await page.waitForURL((u) => u.pathname === '/staff/admin/users');
    await page.locator('[data-testid=users]').waitFor();

    // Password, then a wrong code — refused, the field named and linked — then the right one.
    await signOut(page);
    await password(page, base);
    await page.locator('#code').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'code step: axe-core');
    const right = totpIn(secret, 1);
    const wrong = right === '000000' ? '111111' : '000000';
    await page.locator('#code').pressSequentially(wrong);
    await page.locator('#code').press('Enter');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const link = summary.locator('a[href="#code"]');
    assert.match(await link.textContent(), /کد برنامه احراز هویت/);
    await page.locator('#code').pressSequentially(right);
    await page.locator('#code').press('Enter');
    await page.waitForURL((u) => u.pathname === '/staff/admin/users');

    // Password, then a recovery code instead.
    await signOut(page);
    await password(page, base);
    await page.locator('[data-testid=code-switch]').click();
    await page.locator('#recovery_code').pressSequentially(recovery[0]);
    await page.locator('#recovery_code').press('Enter');
    await page.waitForURL((u) => u.pathname === '/staff/admin/users');
    assert.deepEqual(errorsBut(page, 401, 403), [], 'no error in the page but the refusals asked for');
  } finally {
    await context.close();
    await server.stop();
  }
});
