// Deadline reminders by SMS (issue 16, docs/reminders.md) in a real browser against the real
// server: on "all my requests" (/track/mine) the signed-in person turns reminders off and on
// again with the keyboard, in Persian first; the server keeps the choice (by an HMAC of the
// national ID, never the ID) across a reload; axe-core finds nothing in Persian or English.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, axeViolations, tabTo, appReady, errorsBut } from './lib/harness.mjs';
import { ALI, signIn } from './lib/signin.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The opt-out rows of the server's SQLite file. */
function optOuts(dataDir) {
  const out = execFileSync('sqlite3', ['-readonly', join(dataDir, 'pishkhan.sqlite3'),
    'SELECT person_hmac FROM reminder_opt_outs;'], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean);
}

/** What the server says of the person's reminders. */
function serverSays(page) {
  return page.evaluate(async () => (await fetch('/api/v1/signin/reminders')).json());
}

test('the signed-in person turns deadline reminders off and on again from their requests', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser);
  try {
    await signIn(page, server.url, server.dataDir, ALI, { returnTo: '/track/mine' });
    await appReady(page);
    const section = page.locator('section[data-reminders]');
    await section.waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fa');
    assert.equal(await section.getAttribute('data-reminders'), 'on');
    assert.match(await section.locator('label[for=reminders]').innerText(), /پیامک یادآوری مهلت‌ها/);
    assert.match(await section.locator('#reminders-hint').innerText(), /ماده ۳۴/);
    const box = page.locator('input[name=reminders]');
    assert.equal(await box.isChecked(), true);
    const size = await box.boundingBox();
    const row = await section.locator('.radio').boundingBox();
    assert.ok(size.width >= 24 && row.height >= 44, `target ${size.width}×${row.height}`);
    assert.deepEqual(await axeViolations(page), []);

    // Off, with the keyboard only: the focus stays on the box, the status says so.
    await tabTo(page, 'input[name=reminders]');
    await page.keyboard.press('Space');
    await page.locator('section[data-reminders=off]').waitFor();
    assert.match(await page.locator('[data-reminders-status]').innerText(), /خاموش/);
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'reminders');
    assert.deepEqual(await serverSays(page), { enabled: false });
    const rows = optOuts(server.dataDir);
    assert.equal(rows.length, 1);
    assert.ok(!rows[0].includes(ALI.national_id), 'stored by an HMAC, not the national ID');

    // Kept by the server: off after a reload too; then on again.
    await page.reload();
    await page.locator('section[data-reminders=off]').waitFor();
    assert.equal(await box.isChecked(), false);
    await box.check();
    await page.locator('section[data-reminders=on]').waitFor();
    assert.match(await page.locator('[data-reminders-status]').innerText(), /روشن/);
    assert.deepEqual(await serverSays(page), { enabled: true });
    assert.deepEqual(optOuts(server.dataDir), []);

    // In English too, nothing for axe.
    await page.locator('[data-lang-switch]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await page.locator('label[for=reminders]').innerText(), /Send me deadline reminders/);
    assert.deepEqual(await axeViolations(page), []);
    // The only failed load: the session check before signing in (401).
    assert.deepEqual(errorsBut(page, 401), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
