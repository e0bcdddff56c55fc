// A real OpenID provider for the browser tests: tests/oidc/provider.mjs (panva's oidc-provider,
// installed there by `npm ci`, as scripts/test.sh does) on a free port, and `pishkhan serve
// --config` using it, on a port chosen first so that the provider can be told the server's
// callback before anyone signs in (server/tests/oidc_api.rs starts them the same way).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, startServer } from './harness.mjs';

const PROVIDER = join(ROOT, 'tests/oidc/provider.mjs');
export const CLIENT_SECRET = 'pishkhan-test-secret';
/** The provider's test user with every claim (tests/oidc/provider.mjs `USERS.student`). */
export const STUDENT = { login: 'student', national_id: '0084575948', student_number: '98123456', mobile: '09121234567' };

/** A free port of 127.0.0.1 (bound, then released for the server to take). */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The next line of `lines` that `test` accepts, or an error naming `what` after 15 s. */
function lineMatching(lines, exited, test, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing within 15 s`)), 15_000);
    const on = (line) => {
      if (!test(line)) return;
      clearTimeout(timer);
      lines.off('line', on);
      resolve(line);
    };
    lines.on('line', on);
    exited.then((code) => reject(new Error(`${what}: the provider exited (${code})`)));
  });
}

/**
 * The provider and a server configured with it as provider `university` for every process
 * (`serve --demo-users --config`); `stop()` stops both.
 */
export async function startWithProvider() {
  if (!existsSync(join(ROOT, 'tests/oidc/node_modules/oidc-provider'))) {
    throw new Error('tests/oidc has no node_modules: run `npm ci` there (scripts/test.sh does)');
  }
  const child = spawn(process.execPath, [PROVIDER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const reap = () => { if (child.exitCode === null) child.kill('SIGKILL'); };
  process.once('exit', reap);
  const lines = createInterface({ input: child.stdout });
  const first = await lineMatching(lines, exited, () => true, 'the provider\'s first line');
  const issuer = /listening on (http:\/\/\S+)/.exec(first)?.[1];
  if (!issuer) throw new Error(`unexpected first line from the provider: ${first}`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'pishkhan-oidc-'));
  const config = join(dir, 'pishkhan.toml');
  writeFileSync(config, [
    '[[oidc.providers]]',
    'id = "university"',
    'name_fa = "دانشگاه آزمون"',
    'name_en = "Test university"',
    `issuer = "${issuer}"`,
    'client_id = "pishkhan"',
    `client_secret = "${CLIENT_SECRET}"`,
    'scopes = ["openid", "pishkhan"]',
    `redirect_base = "${base}"`,
    'processes = ["exemption", "withdrawal", "clearance"]',
    '',
    '[oidc.providers.claims]',
    'national_id = "national_id"',
    'student_number = "student_number"',
    'mobile = "phone_number"',
    '',
  ].join('\n'));
  const server = await startServer({ port, demoUsers: true, config });
  const ready = lineMatching(lines, exited, (l) => l.trim() === 'ready', 'the provider\'s "ready"');
  child.stdin.write(`${base}/api/v1/signin/oidc/callback\n`);
  await ready;
  lines.on('line', () => {}); // keep draining its output
  return {
    server,
    issuer,
    async stop() {
      reap();
      await Promise.allSettled([exited, server.stop()]);
      process.off('exit', reap);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** On the provider's login page (its development form): signs `login` in (any password). */
export async function providerLogin(page, issuer, login) {
  await page.waitForURL((u) => u.href.startsWith(issuer));
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
}
