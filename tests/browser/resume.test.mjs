// A reload in the middle of the pre-check keeps the page and the answers already given
// (sessionStorage), a date's three fields included; a new tab starts afresh.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, openPage, casesByName, cli, fillForm, answersOf, submitButton, waitForPathChange,
  walkPrecheck, readResult, latinDigits,
} from './lib/harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function answer(page, answers, expectPath, digits = 'latin') {
  assert.equal(new URL(page.url()).pathname, expectPath);
  const submit = await submitButton(page);
  await fillForm(page, answers, { digits });
  const before = await page.evaluate(() => ({ path: location.pathname, h1: document.querySelector('h1')?.textContent ?? '' }));
  await submit.click();
  await waitForPathChange(page, before, expectPath);
}

async function dateFields(page, field) {
  await submitButton(page);
  const out = {};
  for (const part of ['year', 'month', 'day']) {
    const v = await page.locator(`[name="${field}.${part}"]`).inputValue();
    out[part] = v === '' ? '' : Number(latinDigits(v));
  }
  return out;
}

async function back(page, to) {
  await page.locator('a.back-link').click();
  await page.waitForURL((u) => u.pathname === to);
}

test('a reload mid-way keeps the page and every answer given, a date\'s three fields included', async () => {
  const [c] = casesByName('precheck', ['Saeed graduated 1401-04-31 and was admitted 1402-05-01: late, message names both dates']);
  const answers = answersOf(c.input);
  const { context, page } = await openPage(env.browser, { today: c.input.today });
  try {
    await page.goto(env.base + '/precheck');
    await page.waitForURL((u) => u.pathname === '/precheck/level');
    await answer(page, answers, '/precheck/level');
    await answer(page, answers, '/precheck/study-start', 'persian');
    await answer(page, answers, '/precheck/previous-graduation');
    assert.equal(new URL(page.url()).pathname, '/precheck/institution');

    await page.reload();
    await submitButton(page);
    assert.equal(new URL(page.url()).pathname, '/precheck/institution', 'the reload lost the page');

    await back(page, '/precheck/previous-graduation');
    assert.deepEqual(await dateFields(page, 'previous_graduation'), { year: 1401, month: 4, day: 31 });
    await back(page, '/precheck/study-start');
    assert.deepEqual(await dateFields(page, 'study_start'), { year: 1402, month: 5, day: 1 },
      'the study start typed in Persian digits was not kept');
    // A reload on a date page keeps its three fields too.
    await page.reload();
    assert.equal(new URL(page.url()).pathname, '/precheck/study-start');
    assert.deepEqual(await dateFields(page, 'study_start'), { year: 1402, month: 5, day: 1 });
    await back(page, '/precheck/level');
    assert.ok(await page.locator('input[name="level"][value="associate"]').isChecked(), 'the level was not kept');

    // Going on from there still reaches the rules' answer.
    await walkPrecheck(page, env.base, c.input);
    const shown = await readResult(page);
    const want = cli('precheck', c.input);
    assert.equal(shown.verdict, want.verdict);
    assert.deepEqual(shown.reasons, want.reasons.map((r) => r.code));
  } finally {
    await context.close();
  }
});

test('a new tab does not see the answers of another (sessionStorage, not localStorage)', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await page.goto(env.base + '/precheck');
    await page.waitForURL((u) => u.pathname === '/precheck/level');
    await answer(page, { level: 'phd' }, '/precheck/level');
    const other = await context.newPage();
    await other.goto(env.base + '/precheck');
    await other.waitForURL((u) => u.pathname === '/precheck/level');
    await submitButton(other);
    assert.equal(await other.locator('input[name="level"]:checked').count(), 0, 'a new tab saw the other tab\'s answer');
  } finally {
    await context.close();
  }
});
