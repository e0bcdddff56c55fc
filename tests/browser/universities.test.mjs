// Many universities in the staff area's admin pages (issue 14), in a real browser against the
// real server started with `--demo-users`: the national admin (who first sets up the second
// factor the demo requires of them) adds a university, picks it, adds a faculty to it, edits
// that university's clearance offices — the default university's stay as they were — and creates
// a faculty clerk of that faculty there; each form submitted from the keyboard, each page checked
// with axe-core. What the server then holds is read back through its API from the page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, axeViolations, errorsBut } from './lib/harness.mjs';
import { adminSignedIn, openFromNav } from './lib/signin.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** A GET of the API from the page, with its session cookie: the JSON answer. */
function api(page, path) {
  return page.evaluate(async (p) => (await fetch(p)).json(), path);
}

test('the national admin adds a university and a faculty, edits its offices and adds a faculty clerk there', async () => {
  const server = await startServer({ demoUsers: true });
  const { context, page } = await openPage(browser);
  try {
    const base = server.url;
    await adminSignedIn(page, base);

    // Universities: the list, then a new one (typed, sent with Enter); it becomes the chosen one.
    await openFromNav(page, '/staff/admin/universities');
    await page.locator('[data-testid=universities] tr[data-code=default]').waitFor();
    await page.locator('#university-code').pressSequentially('west');
    await page.locator('#university-name-fa').pressSequentially('دانشگاه غرب');
    await page.locator('#university-name-en').pressSequentially('West University');
    await page.locator('#university-name-en').press('Enter');
    await page.locator('[data-testid=universities] tr[data-code=west]').waitFor();
    await page.waitForFunction(() => document.querySelector('#university-choice')?.value === 'west');
    await page.locator('[data-testid=no-faculties]').waitFor();

    // A faculty of it (a Persian code, as the roster names it).
    await page.locator('#faculty-code').pressSequentially('حقوق');
    await page.locator('#faculty-name-fa').pressSequentially('دانشکده حقوق');
    await page.locator('#faculty-name-en').pressSequentially('Faculty of Law');
    await page.locator('#faculty-name-en').press('Enter');
    await page.locator('[data-testid=faculties] tr[data-code="حقوق"]').waitFor();
    assert.deepEqual((await api(page, '/api/v1/admin/universities/west/faculties')).faculties,
      [{ code: 'حقوق', name_fa: 'دانشکده حقوق', name_en: 'Faculty of Law' }]);
    assert.deepEqual((await api(page, '/api/v1/admin/universities/default/faculties')).faculties, []);
    // A code taken: refused, said in the error summary.
    await page.locator('#faculty-code').pressSequentially('حقوق');
    await page.locator('#faculty-name-fa').pressSequentially('حقوق');
    await page.locator('#faculty-name-en').pressSequentially('Law');
    await page.locator('#faculty-name-en').press('Enter');
    await page.locator('.error-summary').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'universities page: axe-core');

    // Its offices: the chosen university's list (seed 002's to start with); the first renamed.
    await openFromNav(page, '/staff/admin/offices');
    // The chosen university carries over; the list of universities (its options) loads first.
    await page.waitForFunction(() => document.querySelector('#university-choice')?.value === 'west');
    const first = page.locator('#office-0-name_fa');
    await first.waitFor();
    await first.fill('بخش غرب');
    await first.press('Tab');
    await page.locator('[data-testid=offices] button[type=submit]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.trim() !== '');
    const west = (await api(page, '/api/v1/admin/universities/west/offices')).offices;
    assert.equal(west[0].name_fa, 'بخش غرب');
    const home = (await api(page, '/api/v1/admin/offices')).offices;
    assert.equal(home[0].name_fa, 'کارشناس بخش', 'the default university keeps its offices');
    assert.deepEqual(await axeViolations(page), [], 'offices page: axe-core');

    // A faculty clerk of the new university: its university, then the role, then the faculty.
    await openFromNav(page, '/staff/admin/users');
    await page.locator('[data-testid=users]').waitFor();
    await page.locator('#new-university').selectOption('west');
    await page.locator('#role').selectOption('faculty_expert');
    await page.locator('#faculty option[value="حقوق"]').waitFor({ state: 'attached' });
    await page.locator('#faculty').selectOption('حقوق');
    await page.locator('#new-username').pressSequentially('west-law');
    await page.locator('#display_name').pressSequentially('کارشناس حقوق غرب');
    await page.locator('#new-password').pressSequentially('a long enough password');
    await page.locator('#new-password').press('Enter');
    const row = page.locator('[data-testid=users] tr[data-user=west-law]');
    await row.waitFor();
    assert.match(await row.textContent(), /west/);
    const users = (await api(page, '/api/v1/admin/users')).users;
    const clerk = users.find((u) => u.username === 'west-law');
    assert.deepEqual([clerk.role, clerk.scope_kind, clerk.scope_university, clerk.scope_faculty],
      ['faculty_expert', 'faculty', 'west', 'حقوق']);
    assert.deepEqual(await axeViolations(page), [], 'users page: axe-core');
    assert.deepEqual(errorsBut(page, 409), [], 'no error in the page but the refusal asked for');
  } finally {
    await context.close();
    await server.stop();
  }
});
