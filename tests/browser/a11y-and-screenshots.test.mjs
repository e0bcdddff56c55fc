// axe-core on every page, in Persian and in English (0 violations), with full-page screenshots of
// each at 1280×800 and 390×844 into target/screenshots/ (not committed; look at them).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, openPage, casesByName, walkPrecheck, answerTool, submitButton, axeViolations, screenshots,
  htmlLangDir, tehranNoon, SCREENSHOTS,
  appReady,
} from './lib/harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

// One case that visits every pre-check page but the birth date (withdrew, renewals, commission,
// abroad, staff child), and a result with several reasons.
const ALL_PAGES = 'three info reasons together: renewal allowed, commission extension, case (a): eligible';
const TOOL_CASES = [
  ['revocation', '/deadline/revocation', "Maryam's brother Arman submitted 1403-03-10, today 1403-04-01: window open"],
  ['presentation', '/deadline/presentation', 'Reza withdrew on 1402-05-10; today 1403-05-11: PRESENTATION_DEADLINE_PASSED'],
  ['travel', '/travel', 'travel with nothing: guarantee required'],
  ['discharge', '/discharge', 'initial absence and associate target'],
];
const PLACEHOLDERS = ['/track']; // the request forms have their own audit (requests.test.mjs)

for (const lang of ['fa', 'en']) {
  test(`axe-core finds no violations on any page (${lang}); screenshots saved`, async () => {
    const { context, page } = await openPage(env.browser, { today: '1402-08-01' });
    const problems = [];
    let shot = 0;
    const audit = async (name, p = page) => {
      const want = lang === 'fa' ? { lang: 'fa', dir: 'rtl' } : { lang: 'en', dir: 'ltr' };
      const got = await htmlLangDir(p);
      if (got.lang !== want.lang || got.dir !== want.dir) problems.push(`${name}: <html> is ${JSON.stringify(got)}`);
      for (const v of await axeViolations(p)) problems.push(`${name}: ${v}`);
      await screenshots(p, `${lang}-${String(++shot).padStart(2, '0')}-${name}`);
    };
    const section = async (what, fn) => {
      try { await fn(); } catch (e) { problems.push(`${what}: could not get there: ${e.message.split('\n')[0]}`); }
    };
    try {
      await page.goto(env.base + '/');
      await appReady(page);
      if (lang === 'en') {
        await page.locator('button[data-lang-switch]').click({ timeout: 5_000 });
        await page.waitForFunction(() => document.documentElement.lang === 'en');
      }
      await audit('start');

      await section('pre-check', async () => {
        const [c] = casesByName('precheck', [ALL_PAGES]);
        let errorShown = false;
        await walkPrecheck(page, env.base, c.input, {
          onPage: async (name) => {
            await audit(`precheck-${name}`);
            if (name === 'level' && !errorShown) {
              errorShown = true; // the error state of a question page
              await (await submitButton(page)).click();
              await page.locator('.error-summary').waitFor({ timeout: 5_000 });
              await audit('precheck-level-error');
            }
          },
        });
      });

      await section('pre-check birth date', async () => {
        const tab = await context.newPage(); // a new tab: fresh answers, same language
        try {
          await tab.goto(env.base + '/precheck');
          await tab.waitForURL((u) => u.pathname === '/precheck/level');
          await tab.locator('input[name="level"][value="school"]').check();
          await (await submitButton(tab)).click();
          await tab.waitForURL((u) => u.pathname === '/precheck/birth-date');
          await submitButton(tab);
          await audit('precheck-birth-date', tab);
        } finally {
          await tab.close();
        }
      });

      for (const [tool, route, name] of TOOL_CASES) {
        await section(route, async () => {
          const slug = route.slice(1).replace(/\//g, '-');
          const [c] = casesByName(tool, [name]);
          await context.clock.setFixedTime(tehranNoon(c.input.today ?? '1403-07-15'));
          await page.goto(env.base + route);
          await submitButton(page);
          await audit(slug);
          await answerTool(page, env.base, route, c.input, 'latin');
          await audit(`${slug}-answer`);
        });
      }

      for (const route of PLACEHOLDERS) {
        await section(route, async () => {
          await page.goto(env.base + route);
          await appReady(page);
          await audit(route.slice(1).replace(/\//g, '-'));
        });
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(problems, [], `${problems.length} problem(s) (screenshots in ${SCREENSHOTS}):\n  ${problems.join('\n  ')}`);
  });
}
