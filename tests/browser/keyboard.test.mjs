// Keyboard only: whole flows with Tab / Shift+Tab / arrows / Space / Enter and typing, no clicks;
// an empty required answer moves focus to the error summary, which links to the field.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, openPage, casesByName, cli, answersOf, valueFor, formFields, walkPrecheck, readResult,
  differences, daysBetween, STEP_TIMEOUT,
} from './lib/harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const active = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? {
    tag: el.tagName.toLowerCase(), type: el.type ?? null, name: el.getAttribute('name'), value: el.value ?? null,
    checked: !!el.checked, cls: el.className ?? '', inSummary: !!el.closest?.('.error-summary'),
  } : null;
});

/** Presses Tab until `pred(activeElement)` holds (Shift+Tab when `backwards`). */
async function tabTo(page, pred, what, backwards = false) {
  for (let i = 0; i < 60; i++) {
    const a = await active(page);
    if (a && pred(a)) return a;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${what} on ${page.url()}`);
}

/** Answers every field of the page by keyboard, in document order. */
async function keyboardFill(page, answers, { digits = 'latin' } = {}) {
  const filled = [];
  for (const { name, type } of await formFields(page)) {
    const value = valueFor(answers, name, digits);
    if (value === undefined) throw new Error(`${page.url()} asks "${name}", which the case does not answer`);
    await tabTo(page, (a) => a.name === name, `the field ${name}`);
    if (type === 'radio') {
      // Arrows move through the group and select; Space selects the focused radio.
      for (let i = 0; i < 12; i++) {
        const a = await active(page);
        if (a.value === value) break;
        await page.keyboard.press('ArrowDown');
      }
      const a = await active(page);
      assert.equal(a.value, value, `arrows never reached ${name}=${value}`);
      if (!a.checked) await page.keyboard.press('Space');
      assert.ok((await active(page)).checked, `${name}=${value} not selected by keyboard`);
    } else {
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      if (value !== '') await page.keyboard.type(value);
    }
    filled.push(name);
  }
  return filled;
}

async function keyboardSubmit(page) {
  await tabTo(page, (a) => a.tag === 'button' && a.type === 'submit', 'the submit button');
  await page.keyboard.press('Enter');
}

test('the presentation deadline by keyboard only', async () => {
  const [c] = casesByName('presentation', ['Reza withdrew on 1402-05-10; today 1403-05-11: PRESENTATION_DEADLINE_PASSED']);
  const { context, page } = await openPage(env.browser, { today: c.input.today });
  try {
    await page.goto(env.base + '/deadline/presentation');
    await page.locator('button[type=submit]').waitFor();
    await keyboardFill(page, answersOf(c.input), { digits: 'persian' });
    await keyboardSubmit(page);
    await page.locator('[data-date="present_by"]').first().waitFor({ state: 'attached' });
    const answer = cli('presentation', c.input);
    const shown = await readResult(page);
    const diffs = differences(shown, answer, ['present_by']);
    const want = String(daysBetween(c.input.today, answer.present_by));
    if (!shown.daysLeft.includes(want)) diffs.push(`data-days-left ${JSON.stringify(shown.daysLeft)}, expected ${want}`);
    assert.deepEqual(diffs, []);
  } finally {
    await context.close();
  }
});

test('a whole pre-check by keyboard only, going back once with Shift+Tab to the back link', async () => {
  const [c] = casesByName('precheck', ['Hossein is absent (ghayeb): UNJUSTIFIED_ABSENCE']);
  const { context, page } = await openPage(env.browser, { today: c.input.today });
  try {
    let wentBack = false;
    await walkPrecheck(page, env.base, c.input, {
      fill: keyboardFill,
      submit: keyboardSubmit,
      onPage: async (name) => {
        // Once: from the institution page, back by keyboard; the study start page must come back.
        if (name !== 'institution' || wentBack) return;
        wentBack = true;
        await tabTo(page, (a) => a.tag === 'a' && a.cls.split(' ').includes('back-link'), 'a.back-link', true);
        await page.keyboard.press('Enter');
        await page.waitForURL((u) => u.pathname === '/precheck/previous-graduation');
        await page.locator('button[type=submit]').waitFor();
        await keyboardSubmit(page);
        await page.waitForURL((u) => u.pathname === '/precheck/institution');
        await page.locator('button[type=submit]').waitFor();
      },
    });
    assert.ok(wentBack, 'the walk never reached the institution page');
    const shown = await readResult(page);
    const answer = cli('precheck', c.input);
    assert.equal(shown.verdict, answer.verdict);
    assert.deepEqual(shown.reasons, answer.reasons.map((r) => r.code));
  } finally {
    await context.close();
  }
});

test('submitting an empty required question focuses the error summary, which links to the field', async () => {
  const { context, page } = await openPage(env.browser);
  try {
    await page.goto(env.base + '/precheck');
    await page.waitForURL((u) => u.pathname === '/precheck/level');
    await page.locator('button[type=submit]').waitFor();
    await keyboardSubmit(page);
    await page.locator('.error-summary').waitFor({ timeout: STEP_TIMEOUT }).catch(() => {
      throw new Error('no .error-summary after submitting the level page empty');
    });
    assert.equal(new URL(page.url()).pathname, '/precheck/level', 'an empty answer must not move on');
    assert.equal(await page.locator('.error-summary').getAttribute('role'), 'alert');
    await page.waitForFunction(() => document.activeElement?.closest('.error-summary'), null, { timeout: 2_000 })
      .catch(() => { throw new Error('focus did not move to the .error-summary'); });
    assert.ok((await page.locator('.field-error').count()) >= 1, 'no .field-error next to the field');

    // The summary links to the field: its target is the level input or contains it.
    const links = await page.$$eval('.error-summary a[href^="#"]', (as) => as.map((a) => {
      const target = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
      return { href: a.getAttribute('href'), ok: !!target && (target.getAttribute('name') === 'level' || !!target.querySelector('[name="level"]')) };
    }));
    assert.equal(links.length, 1, `one link per wrong field expected, got ${JSON.stringify(links)}`);
    assert.ok(links[0].ok, `the summary link ${links[0].href} does not point at the level field`);

    // Following it by keyboard puts focus on (or into) the field.
    await tabTo(page, (a) => a.tag === 'a' && a.inSummary, 'the summary link');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const el = document.activeElement;
      return el && (el.getAttribute('name') === 'level' || !!el.querySelector?.('[name="level"]'));
    }, null, { timeout: 2_000 }).catch(async () => {
      throw new Error(`following the summary link left focus on ${JSON.stringify(await active(page))}`);
    });
    // From there the arrow keys pick a level and Enter goes on.
    const a = await active(page);
    if (a.name === 'level') {
      await page.keyboard.press('Space');
      await keyboardSubmit(page);
      await page.waitForURL((u) => !u.pathname.endsWith('/level'));
    }
  } finally {
    await context.close();
  }
});
