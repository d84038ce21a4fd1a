/**
 * npm run bench:sigv4 — verifications per second of latticed's SigV4 / SigV4A verifier (dist/sigv4)
 * against the baseline a user would otherwise write, in the same process: parse the Authorization
 * header, re-sign the request with @smithy/signature-v4 (SigV4A: @smithy/signature-v4a) and
 * compare the signatures in constant time.
 *
 * The request is a typical Lattice call: POST with a session token and 8 headers (host, accept,
 * content-type, content-length, x-request-id, x-amz-date, x-amz-security-token,
 * x-amz-content-sha256: UNSIGNED-PAYLOAD), shaped as `req.headersDistinct` gives it. A pool of
 * distinct signed requests is cycled, and the verifier's verified-request cache is off, so nothing is
 * memoised per request. The baseline hashes
 * with node:crypto (what @smithy/hash-node does in the SDK), its fastest configuration.
 *
 * Two more rows, for scale: latticed with the verified-request cache on (its default), where every
 * request of the cycled pool is a repeat after the first pass.
 *
 * Before timing, both sides must accept every request and reject a tampered one, or the run
 * aborts. Timing: warm-up, then ROUNDS short rounds that interleave the contenders, so that
 * load from other processes on this shared machine hits each pair alike. Rates are the median
 * over rounds; a ratio is the median of the per-round ratios (each round's pair ran back to back).
 * Environment: BENCH_ROUNDS (default 21), BENCH_ROUND_MS (default 200, of CPU time).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SignatureV4a } from '@smithy/signature-v4a';
import { createVerifier } from '../dist/sigv4/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 200);
const POOL = 256;
const REGION = 'us-west-2';
const SERVICE = 'vpc-lattice-svcs';
const SIGNED_AT = new Date('2026-11-29T07:00:00Z');
const NOW = SIGNED_AT.getTime() + 2_000;

const session = {
  accessKeyId: 'ASIABENCHSESSION0001',
  secretAccessKey: 'bEnChSeCrEt/K7MDENG+bPxRfiCYEXAMPLEKEY01',
  sessionToken: 'IQoJb3JpZ2luX2VjEBenchToken//////////wEaCXVzLXdlc3QtMiJHMEUCIQD+session/token==',
};
const credentials = (accessKeyId) => (accessKeyId === session.accessKeyId ? { secretAccessKey: session.secretAccessKey } : undefined);

/** The Checksum shape smithy wants, on node:crypto (as @smithy/hash-node). */
class NodeSha256 {
  constructor(secret) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data) {
    this.hash.update(data);
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function unsignedRequest(i) {
  const body = JSON.stringify({ item: `sku-${i}`, qty: 1 + (i % 5) });
  return new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: 'orders-0a1b2c3d4e5f67890.7d67968.vpc-lattice-svcs.us-west-2.on.aws',
    path: `/orders/${i}/items`,
    query: { view: 'full' },
    headers: {
      host: 'orders-0a1b2c3d4e5f67890.7d67968.vpc-lattice-svcs.us-west-2.on.aws',
      accept: 'application/json',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-request-id': `7f3a9c1e-${String(i).padStart(4, '0')}-4b7e-9d2a-3c5e8f1a2b4c`,
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    },
    body,
  });
}

/** What a node:http server sees: the target as sent and `req.headersDistinct` (arrays). */
function asIncoming(signed) {
  const headers = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = [value];
  const query = new URLSearchParams(signed.query).toString();
  return { method: signed.method, url: query === '' ? signed.path : `${signed.path}?${query}`, headers };
}

async function signPool(signer) {
  const pool = [];
  for (let i = 0; i < POOL; i++) pool.push(asIncoming(await signer.sign(unsignedRequest(i), { signingDate: SIGNED_AT })));
  return pool;
}

const AUTH = /^(AWS4-HMAC-SHA256|AWS4-ECDSA-P256-SHA256) Credential=([^/]+)\/(\d{8})\/(?:([^/]+)\/)?([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/;
const first = (value) => (Array.isArray(value) ? value[0] : value);
const amzDate = (text) => new Date(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 11)}:${text.slice(11, 13)}:${text.slice(13)}`);

/** The baseline a user would write: re-sign the signed headers with smithy, then compare. */
async function baselineVerify(request) {
  const auth = AUTH.exec(first(request.headers.authorization) ?? '');
  if (auth === null) return false;
  const [, algorithm, accessKeyId, , scopeRegion, service, signedHeaders, signature] = auth;
  const sessionToken = first(request.headers['x-amz-security-token']);
  const found = credentials(accessKeyId, sessionToken);
  if (found === undefined) return false;
  const signedAt = amzDate(first(request.headers['x-amz-date']));
  if (Math.abs(NOW - signedAt.getTime()) > 300_000) return false;
  const headers = {};
  for (const name of signedHeaders.split(';')) headers[name] = first(request.headers[name]);
  const mark = request.url.indexOf('?');
  const query = mark < 0 ? {} : Object.fromEntries(new URLSearchParams(request.url.slice(mark + 1)));
  const path = mark < 0 ? request.url : request.url.slice(0, mark);
  const init = { credentials: { accessKeyId, secretAccessKey: found.secretAccessKey, sessionToken }, service, sha256: NodeSha256 };
  const signer =
    algorithm === 'AWS4-HMAC-SHA256'
      ? new SignatureV4({ ...init, region: scopeRegion })
      : new SignatureV4a({ ...init, region: headers['x-amz-region-set'] });
  const resigned = await signer.sign(new HttpRequest({ method: request.method, path, query, headers }), { signingDate: signedAt });
  const expected = Buffer.from(/Signature=([0-9a-f]+)$/.exec(resigned.headers.authorization)[1]);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// The verified-request cache is off: every verification here is measured in full (the pool would fit in it).
const verifier = createVerifier({ service: SERVICE, region: REGION, credentials, now: NOW, verifiedCacheSize: 0 });
const accepted = () => true;
const refused = () => false;
const latticedVerify = (request) => verifier.verify(request).then(accepted, refused);
// For scale only, not a contender of the target: the same pool with the cache on (the default), so
// after the first pass every request is a repeat, as a busy caller's repeated call within a second.
const repeatVerifier = createVerifier({ service: SERVICE, region: REGION, credentials, now: NOW });
const repeatVerify = (request) => repeatVerifier.verify(request).then(accepted, refused);

function tamper(request) {
  return { ...request, headers: { ...request.headers, 'x-request-id': ['tampered'] } };
}

async function checkAgreement(name, verify, pool) {
  for (const request of pool) if (!(await verify(request))) throw new Error(`${name} rejected a valid request`);
  if (await verify(tamper(pool[0]))) throw new Error(`${name} accepted a tampered request`);
}

/**
 * Verifications per CPU second of this process over one round of ROUND_MS of CPU time, sequential
 * awaits as a server would do. CPU time, not wall time: on a shared machine the wall clock mostly
 * measures the other processes; CPU time still counts all of this one's work, GC included.
 */
async function round(verify, pool) {
  let count = 0;
  const start = process.cpuUsage();
  let elapsedMs = 0;
  while (elapsedMs < ROUND_MS) {
    for (let i = 0; i < 64; i++) await verify(pool[(count + i) % POOL]);
    count += 64;
    const used = process.cpuUsage(start);
    elapsedMs = (used.user + used.system) / 1000;
  }
  return (count * 1000) / elapsedMs;
}

/** A fresh copy of `round` per contender, so no contender's call site is shaped by another's callee. */
const freshRound = () => new Function('ROUND_MS', 'POOL', `return ${round.toString()}`)(ROUND_MS, POOL);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmtRate = (r) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : `${(r / 1e3).toFixed(1)} k/s`);

const v4Pool = await signPool(new SignatureV4({ credentials: session, region: REGION, service: SERVICE, sha256: NodeSha256 }));
const v4aPool = await signPool(new SignatureV4a({ credentials: session, region: '*', service: SERVICE, sha256: NodeSha256 }));
const allContenders = [
  { name: 'SigV4  latticed', verify: latticedVerify, pool: v4Pool },
  { name: 'SigV4  baseline (smithy re-sign)', verify: baselineVerify, pool: v4Pool },
  { name: 'SigV4A latticed', verify: latticedVerify, pool: v4aPool },
  { name: 'SigV4A baseline (smithy-v4a re-sign)', verify: baselineVerify, pool: v4aPool },
  { name: 'SigV4  latticed, repeats (verified cache)', verify: repeatVerify, pool: v4Pool },
  { name: 'SigV4A latticed, repeats (verified cache)', verify: repeatVerify, pool: v4aPool },
];
// BENCH_ONLY=latticed (a substring of the names) times a subset, e.g. under `node --cpu-prof`.
const contenders = allContenders.filter((c) => c.name.includes(process.env.BENCH_ONLY ?? ''));
for (const c of contenders) await checkAgreement(c.name, c.verify, c.pool);
for (const c of contenders) c.round = freshRound();

for (const c of contenders) await c.round(c.verify, c.pool); // warm-up
const rates = contenders.map(() => []);
for (let r = 0; r < ROUNDS; r++) for (const [i, c] of contenders.entries()) rates[i].push(await c.round(c.verify, c.pool));

const medians = rates.map(median);
console.log(`sigv4 verifications per CPU second, ${ROUNDS} rounds x ${ROUND_MS} ms CPU, median per contender (node ${process.version})`);
for (const [i, c] of contenders.entries()) {
  const spread = `${fmtRate(Math.min(...rates[i]))} .. ${fmtRate(Math.max(...rates[i]))}`;
  console.log(`  ${c.name.padEnd(42)} ${fmtRate(medians[i]).padStart(10)}   (rounds ${spread})`);
}
if (contenders.length === allContenders.length) {
  const pairedRatio = (a, b) => median(rates[a].map((rate, r) => rate / rates[b][r]));
  const v4Ratio = pairedRatio(0, 1);
  const v4aRatio = pairedRatio(2, 3);
  console.log(`SigV4  latticed / baseline: ${v4Ratio.toFixed(1)}x  (target >= 5x: ${v4Ratio >= 5 ? 'met' : 'NOT met'})`);
  console.log(`SigV4A latticed / baseline: ${v4aRatio.toFixed(1)}x`);
}
