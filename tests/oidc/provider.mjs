// A real OpenID provider for Pishkhan's server tests: panva's certified `oidc-provider` on a free
// port of 127.0.0.1, one confidential client that must use PKCE, and test users whose ID tokens
// carry a national ID, a student number and a mobile.
//
//   node provider.mjs [--redirect-uri URI] [--client-secret SECRET]
//
// Prints `oidc-provider listening on http://127.0.0.1:<port>` (the issuer) as its first line. The
// client's redirect URI is `--redirect-uri` (or $OIDC_REDIRECT_URI); without either, it is read as
// one line from standard input after that first line (so a test can start the provider, then
// the server with the issuer in its configuration, then tell the provider the server's callback),
// and `ready` is printed once the provider answers. Sign-in is oidc-provider's development login
// form (`prompt=login`, `login`, any password); the client is first-party, so no consent is asked.
// RP-initiated logout (`/session/end`) may send the person back to the redirect URI's origin
// followed by `/` (Pishkhan's start page), the client's one post-logout redirect URI.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

export const CLIENT_ID = 'pishkhan';
export const CLIENT_SECRET = 'pishkhan-test-secret';

// Test users by login name. The national IDs are valid (check digit); `no-national-id` has none,
// `bad-national-id` has one whose check digit is wrong.
export const USERS = {
  student: { national_id: '0084575948', student_number: '98123456', phone_number: '+989121234567' },
  'no-national-id': { student_number: '98123457', phone_number: '+989121234568' },
  'bad-national-id': { national_id: '0084575949', student_number: '98123458', phone_number: '+989121234569' },
};

const CLAIMS = ['national_id', 'student_number', 'phone_number'];

const { values } = parseArgs({
  options: {
    'redirect-uri': { type: 'string' },
    'client-secret': { type: 'string' },
  },
});

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
console.log(`oidc-provider listening on ${issuer}`);

let redirectUri = values['redirect-uri'] ?? process.env.OIDC_REDIRECT_URI;
let announceReady = false;
if (!redirectUri) {
  const lines = createInterface({ input: process.stdin });
  redirectUri = await new Promise((resolve) => lines.once('line', (line) => resolve(line.trim())));
  lines.close();
  announceReady = true;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: values['client-secret'] ?? CLIENT_SECRET,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [`${new URL(redirectUri).origin}/`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // PKCE for every client, confidential ones too (S256 is the only method oidc-provider allows).
  pkce: { required: () => true },
  // The scope `pishkhan` releases the three claims, in the ID token itself (not only userinfo).
  claims: { openid: ['sub'], pishkhan: CLAIMS },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...user }; } };
  },
  // The client is first-party (the university's own service): the grant is given without a
  // consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid pishkhan');
    grant.addOIDCClaims(CLAIMS);
    await grant.save();
    return grant;
  },
});
server.on('request', provider.callback());
if (announceReady) console.log('ready');

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
