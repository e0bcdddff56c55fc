// Paying the service fee (issue 13, hole 3) in a real browser against the real server: with the
// sandbox gateway, the applicant's "pay" goes to a page that says it is a test payment in both
// languages and comes back paid; with no gateway configured, "pay" says payment is not available
// here and to contact the university, and the request still waits for its fee. The tracking
// code is in no address on the way (issue 13): the receipt page is `/track/receipt`, the
// gateway returns to `/track/receipt?payment=ok`, and an old `/track/<code>` link is replaced.
// A payment verified after another one paid the fee is given back (issue 16, docs/payments.md),
// and the panel says so and lists it; so does the staff's request detail.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, watchAddresses, assertNoCode, latinDigits, axeViolations } from './lib/harness.mjs';
import { EXEMPTION, walkForm } from './lib/forms.mjs';
import { ALI, signInToSend } from './lib/signin.mjs';

const TODAY = '1403-07-15';
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Files an exemption as ALI, signed in, and opens its applicant panel; the panel and the code. */
async function awaitingFee(page, server) {
  await walkForm(page, server.url, 'exemption', EXEMPTION);
  await page.locator('button[data-submit]').click();
  const code = await signInToSend(page, server.dataDir, ALI);
  await page.goto(server.url + '/track/mine');
  const mine = page.locator(`[data-my-request="${code}"]`);
  await mine.waitFor();
  await mine.locator('button[data-act-on]').click();
  await page.waitForURL((u) => u.pathname === '/track/receipt');
  assertNoCode(page.url(), code);
  const panel = page.locator(`section.act-panel[data-act-for="${code}"]`);
  await panel.locator('[data-state=awaiting_payment]').first().waitFor();
  return { panel, code };
}

test('the sandbox gateway says test payment in both languages and pays', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser, { today: TODAY });
  const addresses = watchAddresses(page);
  try {
    const { panel, code } = await awaitingFee(page, server);
    await panel.locator('button[data-action=pay]').click();
    await page.waitForURL((u) => u.pathname.startsWith('/sandbox-gateway/'));
    assertNoCode(page.url(), code);
    const heading = await page.locator('h1').innerText();
    assert.match(heading, /پرداخت آزمایشی/);
    assert.match(heading, /Test payment/);
    assert.match(await page.locator('main').innerText(), /no money moves/);
    await page.locator('#pay').click();
    // Back from the gateway to the receipt page of the request this browser paid for.
    await page.waitForURL((u) => u.pathname === '/track/receipt' && u.searchParams.get('payment') === 'ok');
    assertNoCode(page.url(), code);
    const paid = page.locator(`section.act-panel[data-act-for="${code}"]`);
    await paid.locator('[data-state=at_university]').first().waitFor();
    await paid.locator('[data-act-note][role=status]').waitFor();
    assertNoCode(page.url(), code);
    assertNoCode(addresses, code);

    // An old link (a receipt printed before): it opens the request once, then the address is
    // `/track/receipt`, in place of the old one in the history.
    const entries = await page.evaluate(() => history.length);
    await page.goto(`${server.url}/track/${code}`);
    await page.waitForURL((u) => u.pathname === '/track/receipt' && u.search === '');
    await page.locator(`section.act-panel[data-act-for="${code}"] [data-state=at_university]`).first().waitFor();
    assertNoCode(page.url(), code);
    assert.equal(await page.evaluate(() => history.length), entries + 1, 'the old address was replaced, not kept');
    await page.reload();
    await page.locator(`section.act-panel[data-act-for="${code}"] [data-state=at_university]`).first().waitFor();
    assertNoCode(page.url(), code);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a payment verified after another paid the fee is given back, and the panel says so', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser, { today: TODAY });
  try {
    const { panel, code } = await awaitingFee(page, server);
    // A first payment started and left at the gateway's page (another tab, a slow bank)…
    await panel.locator('button[data-action=pay]').click();
    await page.waitForURL((u) => u.pathname.startsWith('/sandbox-gateway/'));
    const first = page.url();
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/track/receipt');
    // …a second one pays the fee.
    const again = page.locator(`section.act-panel[data-act-for="${code}"]`);
    await again.locator('button[data-action=pay]').click();
    await page.waitForURL((u) => u.pathname.startsWith('/sandbox-gateway/') && u.href !== first);
    await page.locator('#pay').click();
    await page.waitForURL((u) => u.searchParams.get('payment') === 'ok');
    await page.locator(`section.act-panel[data-act-for="${code}"] [data-state=at_university]`).first().waitFor();
    // The first is paid afterwards: verified after the request was closed, so given back.
    await page.goto(first);
    await page.locator('#pay').click();
    await page.waitForURL((u) => u.pathname === '/track/receipt' && u.searchParams.get('payment') === 'refunded');
    const closed = page.locator(`section.act-panel[data-act-for="${code}"]`);
    const note = closed.locator('[data-act-note][role=status]');
    await note.waitFor();
    assert.match(await note.innerText(), /برگردانده شد/);
    const refund = closed.locator('[data-refunds] li[data-refund=refunded]');
    await refund.waitFor();
    assert.match(await refund.innerText(), /۱٬۰۰۰٬۰۰۰ ریال/);
    await closed.locator('[data-state=at_university]').first().waitFor();
    assertNoCode(page.url(), code);
    // The university's staff see it in the request's detail, in Persian digits.
    const handle = execFileSync('sqlite3', [join(server.dataDir, 'pishkhan.sqlite3'),
      `SELECT handle FROM requests WHERE tracking_code = '${latinDigits(code).replace(/\D/g, '')}'`]).toString().trim();
    assert.match(handle, /^[0-9a-f]{32}$/);
    const staff = await openPage(browser, { today: TODAY });
    try {
      await staff.page.goto(server.url + '/staff/login');
      await staff.page.locator('#username').fill('university');
      await staff.page.locator('#password').fill('pishkhan-demo');
      await staff.page.locator('#password').press('Enter');
      await staff.page.waitForURL((u) => u.pathname === '/staff' || u.pathname === '/staff/');
      await staff.page.goto(server.url + '/staff/requests/' + handle);
      const row = staff.page.locator('[data-testid=refunds] li[data-refund=refunded]');
      await row.waitFor();
      const text = await row.innerText();
      assert.match(text, /۱٬۰۰۰٬۰۰۰ ریال/);
      assert.match(text, /برگردانده شد/);
      assert.doesNotMatch(text, /[0-9]/, 'Persian digits only');
      assert.deepEqual(await axeViolations(staff.page), [], 'the detail with its refunds: axe-core');
    } finally {
      await staff.context.close();
    }
  } finally {
    await context.close();
    await server.stop();
  }
});

test('without a gateway, pay says payment is not available here and to contact the university', async () => {
  const server = await startServer({ demoUsers: true, paymentGateway: null });
  const { context, page } = await openPage(browser, { today: TODAY });
  try {
    const { panel } = await awaitingFee(page, server);
    await panel.locator('button[data-action=pay]').click();
    const note = panel.locator('[data-act-note][role=alert]');
    await note.waitFor();
    assert.match(await note.innerText(), /با دانشگاه تماس بگیرید/);
    assert.match(new URL(page.url()).pathname, /^\/track\//, 'still on the request\'s page');
    assert.equal(await panel.locator('[data-state=awaiting_payment]').count() > 0, true);
  } finally {
    await context.close();
    await server.stop();
  }
});
