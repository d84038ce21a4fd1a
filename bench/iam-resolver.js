/**
 * node bench/iam-resolver.js (after `npm run build`) — the credential resolver on the request path:
 * resolutions per second of a role session (ASIA key + sealed token) and of an IAM user key, against
 * the baseline of opening the sealed token on every request (decodeSessionToken + building the
 * identity), which is what the resolver would cost without its LRU of opened tokens. Same process,
 * same tokens; the ratio is what to compare across machines.
 */
import { randomBytes } from 'node:crypto';
import {
  createCredentialResolver, decodeSessionToken, mintSessionCredentials, sessionIdentity,
} from '../dist/iam/index.js';
import { compilePolicy } from '../dist/policy/index.js';

const MS = Number(process.env.BENCH_MS ?? 1500);
const ACCOUNT = '123456789012';
const policy = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] }, { kind: 'identity' });
const account = { id: ACCOUNT, orgId: 'o-myorgid', orgPaths: ['o-myorgid/r-ab12/ou-ab12-11111111/'] };
const role = {
  arn: `arn:aws:iam::${ACCOUNT}:role/order-service-role`, name: 'order-service-role', roleId: 'AROAEXAMPLEEXAMPLE123',
  account: ACCOUNT, path: '/', tags: { team: 'orders', env: 'prod' }, identityPolicies: [policy], maxSessionDurationSeconds: 3600,
};
const user = { arn: `arn:aws:iam::${ACCOUNT}:user/ci`, name: 'ci', userId: 'AIDAEXAMPLEEXAMPLE12', account: ACCOUNT, path: '/', tags: {}, identityPolicies: [policy] };
const iam = {
  accounts: new Map([[ACCOUNT, account]]),
  roles: new Map([[role.arn, role]]),
  users: new Map([[user.arn, user]]),
  accessKeys: new Map([['AKIAIOSFODNN7EXAMPLE', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x'.repeat(40), status: 'Active', user }]]),
};
const key = randomBytes(32);
// 100 live sessions, requests cycling through them (a busy node serves many callers).
const sessions = Array.from({ length: 100 }, (_, i) =>
  mintSessionCredentials({ role, account, sessionName: `s${i}`, sessionTags: [{ Key: 'pod', Value: `p${i}` }] }, key));
const resolve = createCredentialResolver(() => iam, key);

function rate(fn) {
  for (let i = 0; i < 5000; i++) fn(i); // warm up
  let n = 0;
  const deadline = performance.now() + MS;
  const start = process.hrtime.bigint();
  while (performance.now() < deadline) {
    for (let i = 0; i < 500; i++) fn(n + i);
    n += 500;
  }
  return (n * 1e9) / Number(process.hrtime.bigint() - start);
}

let sink = 0;
const session = rate((i) => {
  const s = sessions[i % 100];
  sink += resolve(s.accessKeyId, s.sessionToken).secretAccessKey.length;
});
const baseline = rate((i) => {
  const s = sessions[i % 100];
  const c = decodeSessionToken(s.sessionToken, key);
  if (c.accessKeyId !== s.accessKeyId || c.expiresAt * 1000 <= Date.now()) throw new Error('bad token');
  sink += sessionIdentity(c, iam.roles.get(c.roleArn), iam.accounts.get(role.account)).userId.length;
});
const userKey = rate(() => {
  sink += resolve('AKIAIOSFODNN7EXAMPLE', undefined).secretAccessKey.length;
});

const fmt = (r) => `${Math.round(r).toLocaleString('en-US')}/s (${(1e6 / r).toFixed(2)} µs)`;
console.log(`node ${process.version}, ${MS} ms per measurement, token ${sessions[0].sessionToken.length} chars`);
console.log(`role session, resolver (LRU of opened tokens): ${fmt(session)}`);
console.log(`role session, baseline (unseal every request): ${fmt(baseline)}`);
console.log(`ratio resolver / baseline: ${(session / baseline).toFixed(1)}x`);
console.log(`IAM user key, resolver: ${fmt(userKey)}`);
if (sink === 0) console.log('');
