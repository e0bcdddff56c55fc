// The admin's SMS log (/staff/admin/notifications, issue 16; docs/sms.md "Delivery statuses") in
// a real browser against the real server started with `--demo-users` and its `--sms-log` sender:
// notifications in known states are put into the server's SQLite file (the `sqlite3` shell) —
// one queued and then sent by the server itself (it appears in <data-dir>/sms.log), one given up,
// one waiting for its next attempt, and sent ones whose delivery is pending, delivered and
// undelivered — and the national admin sees each one's Persian label in the "Status" column
// (the next attempt's time in Persian digits; nothing for the log sender's, which reports no
// delivery status); axe finds nothing.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setup, openPage, axeViolations, errorsBut } from './lib/harness.mjs';
import { adminSignedIn, openFromNav, smsLines } from './lib/signin.mjs';

let env;
before(async () => { env = await setup({ demoUsers: true }); });
after(async () => { await env?.close(); });

const DAY = 86_400;

/** Runs SQL on the server's SQLite file. */
function sql(dataDir, text) {
  execFileSync('sqlite3', [join(dataDir, 'pishkhan.sqlite3')], {
    input: `PRAGMA busy_timeout = 5000;\n${text}\n`,
  });
}

/** One notification row: its id and the columns that set its state. */
function row(id, { sent = 'NULL', attempts = 0, error = 'NULL', next = 'NULL', gaveUp = 'NULL', delivery = 'NULL', provider = 'NULL', created }) {
  return `INSERT INTO notifications (id, request_id, kind, mobile, message_fa, message_en, created_at, ` +
    `sent_at, attempts, last_error, next_attempt_at, gave_up_at, delivery, provider_id) VALUES ` +
    `(${id}, NULL, 'issued', '0912000${String(id).padStart(4, '0')}', 'پیام آزمایشی ${id}', 'test message ${id}', ` +
    `${created}, ${sent}, ${attempts}, ${error}, ${next}, ${gaveUp}, ${delivery}, ${provider});`;
}

test('the admin sees each SMS status in Persian in the log', async () => {
  const { server, browser } = env;
  const now = Math.floor(Date.now() / 1000);
  const old = now - 4 * DAY; // beyond the delivery poll's three days: a pending one stays so
  sql(server.dataDir, [
    row(9001, { created: old, sent: old + 60, delivery: "'pending'", provider: "'p-9001'", attempts: 1 }),
    row(9002, { created: old, sent: old + 60, delivery: "'delivered'", provider: "'p-9002'", attempts: 1 }),
    row(9003, { created: old, sent: old + 60, delivery: "'undelivered'", provider: "'p-9003'", attempts: 1 }),
    row(9004, { created: now - 600, attempts: 3, error: "'418: invalid receptor'", gaveUp: now - 60 }),
    row(9005, { created: now - 600, attempts: 1, error: "'timeout'", next: now + 3600 }),
    // Queued and due: the server's outbox sends it through the log sender.
    row(9006, { created: now }),
  ].join('\n'));
  // The server sends 9006 within its round (at most five seconds); 9004 and 9005 are not due.
  const deadline = Date.now() + 15_000;
  while (!smsLines(server.dataDir).some((m) => m.id === 9006)) {
    if (Date.now() > deadline) throw new Error(`9006 not sent: ${JSON.stringify(smsLines(server.dataDir))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(!smsLines(server.dataDir).some((m) => m.id === 9004 || m.id === 9005), 'given up and waiting ones are not sent');

  const { context, page } = await openPage(browser);
  try {
    await adminSignedIn(page, server.url);
    await openFromNav(page, '/staff/admin/notifications');
    const table = page.locator('[data-testid=notifications]');
    await table.waitFor();
    const heads = await table.locator('thead th').allTextContents();
    assert.equal(heads.at(-1), 'وضعیت', `the status column: ${heads}`);

    /** The status cell of notification `id`, and its row's "sent at" cell. */
    const cells = async (id) => {
      const tr = table.locator(`tr[data-notification="${id}"]`);
      await tr.waitFor();
      const tds = await tr.locator('td').allTextContents();
      return { status: (await tr.locator('td[data-sms-status]').textContent()).trim(), sent: tds[4] };
    };
    assert.equal((await cells(9001)).status, 'در انتظار تحویل');
    assert.equal((await cells(9002)).status, 'تحویل شد');
    assert.equal((await cells(9003)).status, 'تحویل نشد');
    const gaveUp = await cells(9004);
    assert.equal(gaveUp.status, 'رها شد (خطای دائمی)');
    assert.equal(gaveUp.sent, 'ارسال نشده');
    const waiting = await cells(9005);
    assert.match(waiting.status, /^تلاش دوباره: [۰-۹][^0-9]*$/, `next attempt in Persian digits: ${waiting.status}`);
    assert.equal(waiting.sent, 'ارسال نشده');
    // Sent by the log sender: a time in the "sent" column, no delivery status.
    const logged = await cells(9006);
    assert.notEqual(logged.sent, 'ارسال نشده');
    assert.match(logged.sent, /[۰-۹]/);
    assert.equal(logged.status, '');

    assert.deepEqual(await axeViolations(page), [], 'SMS log: axe-core');
    assert.deepEqual(errorsBut(page), []);
  } finally {
    await context.close();
  }
});
