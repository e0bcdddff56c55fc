// The three request forms and "my drafts" in a real browser: each form filled half-way,
// reloaded, continued and finished (results compared with the pishkhan CLI); files refused by
// type and size; an old-format draft migrated; two tabs; no IndexedDB (warning, export, import);
// the browser killed mid-form and restarted on the same profile; keyboard-only; axe-core. Sending
// asks to sign in (the demo roster's first person, lib/signin.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  setup, openPage, cli, axeViolations, screenshots, htmlLangDir, submitButton, errorsBut, CHROMIUM, STEP_TIMEOUT,
  appReady,
} from './lib/harness.mjs';
import {
  EXEMPTION, WITHDRAWAL, CLEARANCE, FAKE_PDF, HUGE_PDF, PDF, exemptionPrecheckInput, formPage,
  waitForFormPage, fillFormPage, walkForm, waitSaved, readDrafts, writeRawDraft, tabTo,
} from './lib/forms.mjs';
import { ALI, signInToSend } from './lib/signin.mjs';

const TODAY = '1403-07-15';
let env;
before(async () => { env = await setup({ demoUsers: true }); });
after(async () => { await env?.close(); });

async function value(page, name) {
  return page.locator(`[name="${name}"]`).inputValue();
}

test('exemption: half-way, reload, continue, finish; the pre-check matches the CLI; submitted, the draft replaced by the receipt', async () => {
  const { context, page } = await openPage(env.browser, { today: TODAY });
  try {
    const visited = await walkForm(page, env.base, 'exemption', EXEMPTION, { stopAt: 'previous' });
    assert.deepEqual(visited, ['sakha', 'national-id', 'mobile', 'residence', 'relatives', 'previous']);
    await page.locator('[name="previous_graduation.day"]').fill('۳۱');
    await waitSaved(page);
    const id = formPage(page).id;
    await page.reload();
    assert.equal(await waitForFormPage(page), 'previous');
    assert.equal(await value(page, 'previous_graduation.day'), '۳۱', 'a typed date part survives a reload');
    // A new visit to /requests/exemption resumes the same draft at its first unanswered page.
    await page.goto(env.base + '/requests/exemption');
    assert.equal(await waitForFormPage(page), 'previous');
    assert.equal(formPage(page).id, id);
    await page.goBack();
    await page.goto(`${env.base}/requests/exemption/${id}/mobile`);
    await waitForFormPage(page);
    assert.equal(await value(page, 'mobile'), EXEMPTION.mobile);
    assert.equal(await page.locator('input[name=sms_opt_in][value=true]').isChecked(), true);

    const rest = await walkForm(page, env.base, 'exemption', EXEMPTION, { start: `/requests/exemption/${id}/previous` });
    assert.equal(rest.at(-1), 'check');
    const expected = cli('precheck', exemptionPrecheckInput(TODAY));
    assert.equal(await page.locator('[data-verdict]').getAttribute('data-verdict'), expected.verdict);
    const codes = await page.locator('[data-reason-code]').evaluateAll((els) => els.map((e) => e.dataset.reasonCode));
    assert.deepEqual(codes, expected.reasons.map((r) => r.code));
    assert.equal(await page.locator('[data-date=exemption_until]').getAttribute('data-value'), expected.exemption_until);
    // Every answer is on the check page with a change link.
    for (const field of ['national_id', 'mobile', 'previous_level', 'study_start', 'commission_extension']) {
      assert.equal(await page.locator(`a[data-change="${field}"]`).count(), 1, field);
    }
    await waitSaved(page);
    const stored = (await readDrafts(page)).drafts.find((d) => d.id === id);
    assert.equal(stored.schema_version, 2);
    assert.equal(stored.answers['study_start.year'], '۱۴۰۳', 'kept as typed');
    // Submitted (once signed in): the receipt replaces the draft.
    await page.locator('button[data-submit]').click();
    await page.waitForURL((u) => u.pathname === '/track');
    await signInToSend(page, env.server.dataDir, ALI);
    assert.equal((await readDrafts(page)).drafts.length, 0);
    await page.goto(env.base + '/drafts');
    await page.locator('[data-no-drafts]').waitFor();
    assert.deepEqual(errorsBut(page, 401), [], 'no error but "not signed in" before signing in');
  } finally {
    await context.close();
  }
});

test('typing on across autosaves: every character is kept and the focus stays in the field', async () => {
  const { context, page } = await openPage(env.browser, { today: TODAY });
  try {
    await walkForm(page, env.base, 'exemption', EXEMPTION, { stopAt: 'residence' });
    const field = page.locator('[name=residence_address]');
    await field.focus();
    const parts = ['خیابان ', 'انقلاب، ', 'پلاک ۱۲'];
    for (const part of parts) {
      await page.keyboard.type(part);
      await waitSaved(page); // a save lands between bursts of typing
    }
    assert.equal(await field.inputValue(), parts.join(''));
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'residence_address');
    const { drafts } = await readDrafts(page);
    assert.equal(drafts[0].answers.residence_address, parts.join(''));
  } finally {
    await context.close();
  }
});

test('exemption without a Sakha code says where to go and what to bring; the draft is kept', async () => {
  const { context, page } = await openPage(env.browser, { today: TODAY });
  try {
    await walkForm(page, env.base, 'exemption', { ...EXEMPTION, has_sakha_code: 'false' }, { stopAt: 'no-sakha' });
    assert.equal(formPage(page).slug, 'no-sakha');
    assert.match(await page.locator('[data-form-ended]').innerText(), /دفاتر خدمات الکترونیک انتظامی/);
    assert.equal(await page.locator('button[type=submit]').count(), 0, 'the form does not go on');
    await waitSaved(page);
    await page.goto(env.base + '/drafts');
    await page.locator('[data-draft-kind=exemption]').waitFor();
  } finally {
    await context.close();
  }
});

test('an ineligible applicant must write a justification request before submitting', async () => {
  const { context, page } = await openPage(env.browser, { today: TODAY });
  try {
    const answers = { ...EXEMPTION, unjustified_absence: 'true' };
    await walkForm(page, env.base, 'exemption', answers);
    const expected = cli('precheck', exemptionPrecheckInput(TODAY, answers));
    assert.equal(expected.verdict, 'ineligible');
    assert.equal(await page.locator('[data-verdict]').getAttribute('data-verdict'), 'ineligible');
    await page.locator('button[data-submit]').click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /توجیه/);
    // The summary takes the focus on the next animation frame after it appears.
    await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
    await summary.locator('a').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'justification');
    await page.locator('[name=justification]').fill('غیبت به دلیل بیماری و با گواهی پزشکی بوده است.');
    await page.locator('button[data-submit]').click();
    await page.waitForURL((u) => u.pathname === '/track');
    await signInToSend(page, env.server.dataDir, ALI);
  } finally {
    await context.close();
  }
});

test('withdrawal: wrong type and oversize files refused; files kept across a reload; deadlines match the CLI', async () => {
  const { context, page } = await openPage(env.browser, { today: TODAY });
  try {
    await walkForm(page, env.base, 'withdrawal', WITHDRAWAL, { stopAt: 'withdrawal-form' });
    const input = page.locator('input[name=withdrawal_form]');
    await input.setInputFiles(FAKE_PDF);
    await page.locator('.field-error').waitFor();
    assert.match(await page.locator('.field-error').innerText(), /PDF، JPEG یا PNG/);
    await input.setInputFiles(HUGE_PDF);
    await page.waitForFunction(() => /کیلوبایت/.test(document.querySelector('.field-error')?.textContent ?? ''));
    assert.match(await page.locator('.field-error').innerText(), /۵۱۲۰ کیلوبایت/);
    await (await submitButton(page)).click();
    await page.locator('.error-summary').waitFor();
    assert.equal(formPage(page).slug, 'withdrawal-form', 'no file: the page does not go on');
    await input.setInputFiles(PDF);
    await page.locator('[data-file-chosen=withdrawal_form]').waitFor();
    assert.equal(await page.locator('.field-error').count(), 0);
    await waitSaved(page);
    await page.reload();
    await waitForFormPage(page);
    assert.match(await page.locator('[data-file-chosen=withdrawal_form]').innerText(), /withdrawal-form\.pdf/);
    const rest = await walkForm(page, env.base, 'withdrawal', WITHDRAWAL, { start: false });
    assert.deepEqual(rest, ['withdrawal-form', 'early', 'early-form', 'student-card', 'duplicate-card', 'undertaking', 'check']);
    const rev = cli('revocation', { today: TODAY, submitted: TODAY, revocations_used: 0 });
    const pres = cli('presentation', { today: TODAY, event: 'withdrawal', event_date: rev.final_ruling_from });
    const date = (f) => page.locator(`[data-date=${f}]`).getAttribute('data-value');
    assert.equal(await date('revocation_deadline'), rev.revocation_deadline);
    assert.equal(await date('final_ruling_from'), rev.final_ruling_from);
    assert.equal(await date('present_by_earliest'), pres.present_by);
    await waitSaved(page);
    const { drafts, attachments } = await readDrafts(page);
    const d = drafts.find((x) => x.id === formPage(page).id);
    assert.deepEqual(d.attachments.map((a) => a.field).sort(), ['early_withdrawal_form', 'notarised_undertaking', 'withdrawal_form']);
    for (const a of d.attachments) assert.ok(attachments.includes(a.key), `${a.key} stored`);
  } finally {
    await context.close();
  }
});

test('clearance, keyboard only: the offices follow the evening-course answer', async () => {
  const { context, page } = await openPage(env.browser, { today: TODAY });
  try {
    await page.goto(env.base + '/requests/clearance?new=1');
    assert.equal(await waitForFormPage(page), 'national-id');
    await tabTo(page, 'input[name=national_id]');
    await page.keyboard.type('۰۱۲۳۴۵۶۷۸۹');
    await page.keyboard.press('Enter');
    assert.equal(await waitForFormPage(page), 'mobile');
    await tabTo(page, 'input[name=mobile]');
    await page.keyboard.type('۰۹۱۲۰۰۰۰۰۰۱');
    await page.keyboard.press('Enter');
    assert.equal(await waitForFormPage(page), 'reason');
    // Reason: Tab into the radios, arrow to "withdrawal", Tab to continue, Enter.
    await tabTo(page, 'input[name=reason]');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('input[name=reason]:checked').getAttribute('value'), 'withdrawal');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    assert.equal(await waitForFormPage(page), 'evening-course');
    await tabTo(page, 'input[name=evening_course]');
    await page.keyboard.press('Space');
    assert.equal(await page.locator('input[name=evening_course]:checked').getAttribute('value'), 'true');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    assert.equal(await waitForFormPage(page), 'check');
    const offices = () => page.locator('[data-office]').evaluateAll((els) => els.map((e) => e.dataset.office));
    assert.equal((await offices()).at(-1), 'evening_course_accounting');
    assert.equal((await offices()).length, 10);
    // Change the answer from the check page: the evening-course office drops out.
    await tabTo(page, 'a[data-change=evening_course]');
    await page.keyboard.press('Enter');
    assert.equal(await waitForFormPage(page), 'evening-course');
    await tabTo(page, 'input[name=evening_course]');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('input[name=evening_course]:checked').getAttribute('value'), 'false');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    assert.equal(await waitForFormPage(page), 'check');
    assert.equal((await offices()).length, 9);
    await tabTo(page, 'button[data-submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/track');
    // Signing in to send, by keyboard too.
    await signInToSend(page, env.server.dataDir, ALI, { keyboard: true });
  } finally {
    await context.close();
  }
});

test('a draft written by the first app version (database v1, draft schema 1) is upgraded and migrated', async () => {
  const { context, page } = await openPage(env.browser, { today: TODAY });
  try {
    // The student app's start page does not open the database: it is created as version 1
    // of the app left it, with a draft in the old format.
    await page.goto(env.base + '/');
    await appReady(page);
    await writeRawDraft(page, {
      id: '0b1d7a1e-0000-4000-8000-000000000001',
      kind: 'exemption',
      answers: { has_sakha_code: 'true', national_id: '0084575948', study_start: '۱۴۰۳/۰۷/۰۱', previous_graduation: '1403/4/31' },
      created_at_ms: 1_700_000_000_000,
      updated_at_ms: 1_700_000_000_000,
    });
    await page.goto(env.base + '/drafts');
    const row = page.locator('[data-draft-id="0b1d7a1e-0000-4000-8000-000000000001"]');
    await row.waitFor();
    await row.locator('a[data-resume]').click();
    assert.equal(await waitForFormPage(page), 'mobile');
    await page.goto(env.base + '/requests/exemption/0b1d7a1e-0000-4000-8000-000000000001/study-start');
    await waitForFormPage(page);
    assert.deepEqual(
      [await value(page, 'study_start.day'), await value(page, 'study_start.month'), await value(page, 'study_start.year')],
      ['01', '07', '1403']);
    await page.locator('[name="study_start.day"]').fill('2');
    await waitSaved(page);
    const { drafts } = await readDrafts(page);
    const d = drafts.find((x) => x.id === '0b1d7a1e-0000-4000-8000-000000000001');
    assert.equal(d.schema_version, 2, 'saved in the current schema');
    assert.equal(d.answers['study_start.day'], '2');
    assert.equal(d.answers['previous_graduation.month'], '4');
  } finally {
    await context.close();
  }
});

test('two tabs: the other tab takes a saved change in; a tab with unsaved changes is asked, never overwritten', async () => {
  const { context, page: a } = await openPage(env.browser, { today: TODAY });
  try {
    await walkForm(a, env.base, 'withdrawal', WITHDRAWAL, { stopAt: 'reason' });
    await a.locator('[name=reason]').fill('نخست');
    await waitSaved(a);
    const url = a.url();
    const b = await context.newPage();
    await b.goto(url);
    await waitForFormPage(b);
    assert.equal(await value(b, 'reason'), 'نخست');
    // A saves; B (nothing unsaved) shows the new text and says so.
    await a.locator('[name=reason]').fill('دوم');
    await waitSaved(a);
    await b.locator('[data-draft-updated]').waitFor();
    assert.equal(await value(b, 'reason'), 'دوم');
    // Both type at once: one of them is stale and must ask.
    await Promise.all([b.locator('[name=reason]').fill('از برگه ب'), a.locator('[name=reason]').fill('از برگه الف')]);
    const conflicted = await Promise.race([
      a.locator('[data-draft-conflict]').waitFor({ timeout: STEP_TIMEOUT }).then(() => a),
      b.locator('[data-draft-conflict]').waitFor({ timeout: STEP_TIMEOUT }).then(() => b),
    ]);
    const other = conflicted === a ? b : a;
    const mine = await value(conflicted, 'reason');
    const stored = async () => (await readDrafts(other)).drafts.find((d) => d.id === formPage(other).id).answers.reason;
    assert.equal(await stored(), await value(other, 'reason'), 'the tab that saved first keeps its text');
    await conflicted.locator('button[data-keep-mine]').click();
    await waitSaved(conflicted);
    assert.equal(await stored(), mine, 'after "keep mine", the asking tab\'s text is stored');
  } finally {
    await context.close();
  }
});

test('without IndexedDB (private mode): a warning, the form still works, export and import keep the draft', async () => {
  const { context, page } = await openPage(env.browser, { today: TODAY });
  const { context: second, page: restored } = await openPage(env.browser, { today: TODAY });
  try {
    await context.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true });
    });
    await walkForm(page, env.base, 'withdrawal', WITHDRAWAL, { stopAt: 'withdrawal-form' });
    const warning = page.locator('[data-storage-warning]');
    assert.equal(await warning.getAttribute('data-storage-warning'), 'unavailable');
    assert.match(await warning.innerText(), /حافظه مرورگر در دسترس نیست/);
    await page.locator('input[name=withdrawal_form]').setInputFiles(PDF);
    await page.locator('[data-file-chosen=withdrawal_form]').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-save-state]')?.dataset.saveState === 'memory');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-export-draft]').click()]);
    const file = join(mkdtempSync(join(tmpdir(), 'pishkhan-export-')), 'draft.json');
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(exported.format, 'pishkhan-draft');
    assert.equal(exported.draft.answers.student_number, WITHDRAWAL.student_number);
    assert.equal(Object.keys(exported.files).length, 1);

    await restored.goto(env.base + '/drafts');
    await restored.locator('[data-no-drafts]').waitFor();
    await restored.locator('#import-draft').setInputFiles(file);
    assert.equal(await waitForFormPage(restored), 'early', 'the imported draft resumes at its first unanswered page');
    await restored.locator('a.back-link').click();
    assert.equal(await waitForFormPage(restored), 'withdrawal-form');
    assert.match(await restored.locator('[data-file-chosen=withdrawal_form]').innerText(), /withdrawal-form\.pdf/);
    const rest = await walkForm(restored, env.base, 'withdrawal', WITHDRAWAL, { start: false });
    assert.equal(rest.at(-1), 'check');
    rmSync(file, { force: true });
  } finally {
    await context.close();
    await second.close();
  }
});

test('storage full (QuotaExceededError): the form keeps working in memory and says so', async () => {
  const { context, page } = await openPage(env.browser, { today: TODAY });
  try {
    await context.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args) {
        if (window.__storageFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    await walkForm(page, env.base, 'exemption', EXEMPTION, { stopAt: 'residence' });
    assert.equal(await page.locator('[data-storage-warning]').count(), 0);
    await page.evaluate(() => { window.__storageFull = true; });
    await page.locator('[name=residence_city]').fill('شیراز');
    const warning = page.locator('[data-storage-warning]');
    await warning.waitFor();
    assert.equal(await warning.getAttribute('data-storage-warning'), 'full');
    await page.waitForFunction(() => document.querySelector('[data-save-state]')?.dataset.saveState === 'memory');
    assert.equal(await page.locator('button[data-export-draft]').count(), 1);
    // Still works: the next pages keep their answers in memory.
    await walkForm(page, env.base, 'exemption', EXEMPTION, { start: false, stopAt: 'previous' });
    await page.locator('a.back-link').click();
    await waitForFormPage(page);
    await page.locator('a.back-link').click();
    assert.equal(await waitForFormPage(page), 'residence');
    assert.equal(await value(page, 'residence_city'), EXEMPTION.residence_city);
  } finally {
    await context.close();
  }
});

/** Debian's Chromium on a persistent profile, driven over CDP, so the test can SIGKILL it. */
async function chromiumOnProfile(profile) {
  const child = spawn(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true }); // its own process group, killed whole
  const ws = await new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${err}`)), 15_000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  const browser = await chromium.connectOverCDP(ws);
  const exited = new Promise((res) => child.once('exit', res));
  return {
    page: await browser.contexts()[0].newPage(),
    async kill() {
      // The browser and its helper processes at once, as a crash would take them.
      try { process.kill(-child.pid, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
      await exited;
    },
  };
}

test('the browser killed mid-form and restarted on the same profile: the draft is there', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'pishkhan-profile-'));
  try {
    const first = await chromiumOnProfile(profile);
    await walkForm(first.page, env.base, 'exemption', EXEMPTION, { stopAt: 'residence' });
    await first.page.locator('[name=residence_province]').fill('اصفهان');
    await waitSaved(first.page);
    const id = formPage(first.page).id;
    await first.kill();

    const second = await chromiumOnProfile(profile);
    await second.page.goto(env.base + '/requests/exemption');
    assert.equal(await waitForFormPage(second.page), 'residence');
    assert.equal(formPage(second.page).id, id);
    assert.equal(await value(second.page, 'residence_province'), 'اصفهان');
    await second.page.goto(`${env.base}/requests/exemption/${id}/national-id`);
    await waitForFormPage(second.page);
    assert.equal(await value(second.page, 'national_id'), EXEMPTION.national_id);
    await second.kill();
  } finally {
    // A helper process may still be closing its files: retry the removal.
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});

for (const lang of ['fa', 'en']) {
  test(`axe-core: no violations on any form page, its error state, check pages and drafts (${lang})`, async () => {
    const { context, page } = await openPage(env.browser, { today: TODAY });
    const problems = [];
    let shot = 0;
    const audit = async (name) => {
      const want = lang === 'fa' ? { lang: 'fa', dir: 'rtl' } : { lang: 'en', dir: 'ltr' };
      const got = await htmlLangDir(page);
      if (got.lang !== want.lang || got.dir !== want.dir) problems.push(`${name}: <html> is ${JSON.stringify(got)}`);
      for (const v of await axeViolations(page)) problems.push(`${name}: ${v}`);
      await screenshots(page, `${lang}-forms-${String(++shot).padStart(2, '0')}-${name}`);
    };
    try {
      await page.goto(env.base + '/drafts');
      await appReady(page);
      if (lang === 'en') {
        await page.locator('button[data-lang-switch]').click();
        await page.waitForFunction(() => document.documentElement.lang === 'en');
      }
      await audit('drafts-empty');
      const every = {
        exemption: { ...EXEMPTION, prior_exemption_same_level: 'true' },
        withdrawal: WITHDRAWAL,
        clearance: CLEARANCE,
      };
      for (const [form, answers] of Object.entries(every)) {
        let first = true;
        await walkForm(page, env.base, form, answers, {
          onPage: async (slug) => {
            if (first && slug !== 'check') {
              first = false;
              await (await submitButton(page)).click();
              await page.locator('.error-summary').waitFor();
              await audit(`${form}-${slug}-error`);
            }
            await audit(`${form}-${slug}`);
          },
        });
      }
      await page.goto(env.base + '/drafts');
      await page.locator('[data-draft-id]').first().waitFor();
      await audit('drafts-list');
      await page.locator('button[data-delete]').first().click();
      await page.locator('button[data-confirm-delete]').waitFor();
      await audit('drafts-confirm-delete');
    } finally {
      await context.close();
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}
