// The two deadline tools, /travel and /discharge: fill the form, submit, and compare the answer on
// the same page with the `pishkhan` CLI's (dates, reasons, and the days-left countdown).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, openPage, casesByName, cli, answerTool, readResult, differences, daysBetween,
} from './lib/harness.mjs';

const TOOLS = [
  {
    tool: 'revocation', route: '/deadline/revocation', dates: ['revocation_deadline', 'final_ruling_from'],
    deadline: 'revocation_deadline',
    cases: [
      ["Maryam's brother Arman submitted 1403-03-10, today 1403-04-01: window open", 'latin'],
      ['submitted 1403-03-10, today 1403-05-11: REVOCATION_DEADLINE_PASSED', 'persian'],
      ['already revoked and past the deadline: both, DEADLINE_PASSED first', 'latin'],
      ['submitted 1403-10-30: deadline Esfand 30 1403 (leap), ruling from 1404-01-01', 'persian'],
    ],
  },
  {
    tool: 'presentation', route: '/deadline/presentation', dates: ['present_by'], deadline: 'present_by',
    cases: [
      ['graduation two months ago: not overdue', 'latin'],
      ['Reza withdrew on 1402-05-10; today 1403-05-11: PRESENTATION_DEADLINE_PASSED', 'persian'],
      ['event on Esfand 30 1403 (leap): present by 1404-12-29, today that day: not overdue', 'latin'],
      ['today long past the deadline: overdue', 'latin'],
    ],
  },
  {
    tool: 'travel', route: '/travel', dates: [],
    cases: [
      ['travel with nothing: guarantee required', 'latin'],
      ['travel with exemption, national exam, university letter: no guarantee', 'latin'],
      ['Qom seminary student with council confirmation, others omitted: no guarantee', 'latin'],
    ],
  },
  {
    tool: 'discharge', route: '/discharge', dates: [],
    cases: [
      ['conscript with no absence, peacetime, to study bachelor_continuous', 'latin'],
      ['initial absence and associate target', 'latin'],
      ['all three blocking conditions, in order', 'latin'],
    ],
  },
];

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

for (const { tool, route, dates, deadline, cases } of TOOLS) {
  for (const [name, digits] of cases) {
    test(`${route} (${digits} digits): ${name}`, async () => {
      const [c] = casesByName(tool, [name]);
      const answer = cli(tool, c.input);
      const { context, page } = await openPage(env.browser, { today: c.input.today ?? '1403-07-15' });
      try {
        await answerTool(page, env.base, route, c.input, digits);
        const shown = await readResult(page);
        const diffs = differences(shown, answer, dates);
        if (deadline) {
          const want = String(daysBetween(c.input.today, answer[deadline]));
          if (shown.daysLeft.length === 0) diffs.push(`no [data-days-left] (rules: ${want} days to ${answer[deadline]})`);
          else if (shown.daysLeft.some((d) => d !== want)) diffs.push(`data-days-left: page ${JSON.stringify(shown.daysLeft)}, expected ${want}`);
        }
        assert.deepEqual(diffs, [], `${route} differs from \`pishkhan ${tool}\`:\n  ${diffs.join('\n  ')}`);
        assert.deepEqual(page.errors, [], 'errors in the page');
      } finally {
        await context.close();
      }
    });
  }
}
