// The pre-check walked in the browser, page by page, for cases of tests/cases/precheck.jsonl; the
// result page must say what `pishkhan precheck` says for the same input.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, openPage, casesByName, cli, walkPrecheck, readResult, differences, expectedPages,
  followsPages, answersOf,
} from './lib/harness.mjs';

// [case name, digits to type dates and counts in]
const CASES = [
  ["Reza, continuous bachelor's in his 3rd year, nothing wrong: eligible", 'latin'],
  ["Ali's university is not approved by the science or health ministry: INSTITUTION_NOT_APPROVED", 'persian'],
  ['Hossein is absent (ghayeb): UNJUSTIFIED_ABSENCE', 'latin'],
  ['Saeed graduated 1401-04-31 and was admitted 1402-05-01: late, message names both dates', 'persian'],
  ['Amir already had the exemption at this level and did not withdraw: EXEMPTION_ALREADY_USED_FOR_LEVEL', 'latin'],
  ['Navid withdrew after an exemption, first renewal: WITHDRAWN_RENEWAL_ALLOWED (info), eligible', 'latin'],
  ['withdrew after an exemption and already renewed once: WITHDRAWN_RENEWAL_USED', 'persian'],
  ['bachelor_continuous started 1398-07-01: today 1403-07-02, the day after 1403-07-01: ALLOWED_YEARS_EXCEEDED', 'latin'],
  ["Kaveh's commission extension, today the day after study_until: COMMISSION_EXTENSION (info)", 'latin'],
  ['school student the day after his 20th birthday: SCHOOL_AGE_LIMIT', 'persian'],
  ['school: not approved, absent, exemption used, over 20: every reason in table order', 'latin'],
  ['Mohammad, seminary student: SEMINARY_NOT_COVERED, needs_review, no dates', 'latin'],
  ['Arash studies abroad, parent not permanent government staff: ABROAD_NOT_COVERED review', 'latin'],
  ["Parsa, diplomat's son, 3 semesters, entered university 5 months after leaving: case (a)", 'persian'],
  ['staff child, 5 semesters: case (b), ineligible', 'latin'],
  ['everything wrong at once (no withdrawal): all blocking reasons in table order', 'latin'],
  ['three info reasons together: renewal allowed, commission extension, case (a): eligible', 'persian'],
  ['dates in Persian digits with slashes: same answer as ASCII', 'persian'],
];

const DATES = ['exemption_until', 'study_until', 'study_until_with_commission'];

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

for (const [name, digits] of CASES) {
  test(`pre-check in the browser (${digits} digits): ${name}`, async () => {
    const [c] = casesByName('precheck', [name]);
    const answer = cli('precheck', c.input);
    // The case file and the CLI agree (else the case, not the app, is what to look at).
    assert.equal(answer.verdict, c.expected.verdict, 'the CLI disagrees with the case file');

    const { context, page } = await openPage(env.browser, { today: c.input.today });
    try {
      const { visited, filled } = await walkPrecheck(page, env.base, c.input, { digits });

      const expected = expectedPages(c.input);
      assert.ok(followsPages(visited, expected),
        `pages visited ${visited.join(' → ')}; the contract asks ${expected.join(' → ')}`);
      // Every answer the case gives (other than a default) was asked somewhere.
      const answers = answersOf(c.input);
      for (const [field, value] of Object.entries(answers)) {
        const asked = filled.some((f) => f === field || f.startsWith(field + '.'));
        const isDefault = value === false || value === 0;
        assert.ok(asked || isDefault, `the case answers ${field}=${JSON.stringify(value)} but no page asked it`);
      }

      const shown = await readResult(page);
      assert.equal(shown.verdicts, 1, 'the result page should have one [data-verdict]');
      const diffs = differences(shown, answer, DATES);
      if (shown.verdict !== answer.verdict) diffs.unshift(`verdict: page ${shown.verdict}, rules ${answer.verdict}`);
      assert.deepEqual(diffs, [], `the result page differs from \`pishkhan precheck\`:\n  ${diffs.join('\n  ')}`);
      assert.deepEqual(page.errors, [], 'errors in the page');
    } finally {
      await context.close();
    }
  });
}

test('the check-answers page has a change link per answer, and changing one goes back to that question', async () => {
  const [c] = casesByName('precheck', ["Reza, continuous bachelor's in his 3rd year, nothing wrong: eligible"]);
  const { context, page } = await openPage(env.browser, { today: c.input.today });
  try {
    let links = null;
    await walkPrecheck(page, env.base, c.input, {
      onPage: async (name) => {
        if (name !== 'check' || links) return;
        links = await page.$$eval('a[data-change]', (as) => as.map((a) => a.dataset.change));
      },
    });
    for (const f of ['level', 'study_start', 'institution_approved', 'unjustified_absence']) {
      assert.ok(links.includes(f), `no a[data-change="${f}"] on the check page (has: ${links.join(', ')})`);
    }
    // Change the institution answer from the check page: back to that question, then on to the result.
    await page.goto(env.base + '/precheck/check');
    await page.locator('a[data-change="institution_approved"]').click();
    await page.waitForURL((u) => u.pathname === '/precheck/institution');
    assert.ok(await page.locator('input[name="institution_approved"][value="true"]').isChecked(),
      'the earlier answer is not shown when changing it');
    await page.locator('input[name="institution_approved"][value="false"]').check();
    await page.locator('button[type=submit]').click();
    // After a change the app may return to the check page or go on through the questions.
    for (let i = 0; i < 12 && !/\/precheck\/result$/.test(page.url()); i++) {
      const at = new URL(page.url()).pathname;
      await page.locator('button[type=submit]').click();
      await page.waitForFunction((p) => location.pathname !== p, at);
    }
    const shown = await readResult(page);
    const answer = cli('precheck', { ...c.input, institution_approved: false });
    assert.equal(shown.verdict, answer.verdict);
    assert.deepEqual(shown.reasons, answer.reasons.map((r) => r.code));
  } finally {
    await context.close();
  }
});

test('the back link on a question page returns to the previous question with its answer kept', async () => {
  const [c] = casesByName('precheck', ["Reza, continuous bachelor's in his 3rd year, nothing wrong: eligible"]);
  const { context, page } = await openPage(env.browser, { today: c.input.today });
  try {
    await page.goto(env.base + '/precheck');
    await page.waitForURL((u) => u.pathname === '/precheck/level');
    await page.locator('input[name="level"][value="master_continuous"]').check();
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => u.pathname === '/precheck/study-start');
    await page.locator('a.back-link').click();
    await page.waitForURL((u) => u.pathname === '/precheck/level');
    assert.ok(await page.locator('input[name="level"][value="master_continuous"]').isChecked(),
      'the level chosen is not kept after going back');
  } finally {
    await context.close();
  }
});
