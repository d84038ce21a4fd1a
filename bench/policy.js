/**
 * npm run bench:policy — IAM policy decisions per second and per-decision latency (p50/p99) for
 * latticed's policy engine (dist/policy), against @cedar-policy/cedar-wasm deciding the same requests
 * with an equivalent Cedar policy set, in the same process.
 *
 * Cases: (a) the order-inventory example policy, (b) 50 statements with mixed conditions, (c) a
 * policy just under Lattice's 10 KB limit. Both engines compile once (compilePolicy /
 * preparsePolicySet) and then decide prebuilt request objects, cycling through allowed and denied
 * requests. Before timing, the two engines must agree on every request, or the run aborts.
 *
 * Throughput: one timed loop of many decisions. Latency: process.hrtime.bigint() around each single
 * decision, many samples, so p99 is per decision (it includes the ~20-40 ns cost of reading the clock).
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { authorizeLattice, buildRequestContext, compilePolicy, evaluatePolicy, prepareRequest } from '../dist/policy/index.js';
import { fiftyStatements, orderInventory, renderRequest, tenKilobytes } from './fixtures/policy/cases.js';

// Node 20's V8 aborts ("Fatal error … unreachable code" in Deoptimizer::DoComputeBuiltinContinuation)
// when it lazily deoptimises a frame with an inlined JS-to-Wasm call into cedar-wasm. Calling through
// the regular wrapper instead costs tens of nanoseconds against Cedar's microseconds per decision.
v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');

const ROOT = new URL('../', import.meta.url);
const THROUGHPUT_MS = Number(process.env.BENCH_MS ?? 1500);

/** A fresh pair of measuring functions per engine, so that neither is optimised for the other's callee. */
function meters() {
  return { throughput: new Function('return ' + throughput.toString())(), latency: new Function('return ' + latency.toString())() };
}

function throughput(decide, requests, ms = THROUGHPUT_MS) {
  const n = requests.length;
  for (let i = 0; i < 20_000; i++) decide(requests[i % n]); // warm up
  let count = 0;
  const deadline = performance.now() + ms;
  const start = process.hrtime.bigint();
  while (performance.now() < deadline) {
    for (let i = 0; i < 1000; i++) decide(requests[(count + i) % n]);
    count += 1000;
  }
  const ns = Number(process.hrtime.bigint() - start);
  return (count * 1e9) / ns;
}

function latency(decide, requests, samples) {
  const n = requests.length;
  const times = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const r = requests[i % n];
    const t0 = process.hrtime.bigint();
    decide(r);
    times[i] = Number(process.hrtime.bigint() - t0);
  }
  times.sort();
  return { p50: times[Math.floor(samples * 0.5)], p99: times[Math.floor(samples * 0.99)] };
}

const fmtRate = (r) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : `${(r / 1e3).toFixed(1)} k/s`);
const fmtNs = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${Math.round(ns)} ns`);

function cedarDecide(call) {
  const answer = cedar.statefulIsAuthorized(call);
  if (answer.type !== 'success') throw new Error(`cedar: ${JSON.stringify(answer.errors)}`);
  return answer.response.decision === 'allow';
}

const rows = [];
let failed = false;
for (const [i, c] of [orderInventory(ROOT), fiftyStatements(), tenKilobytes()].entries()) {
  // (b) is larger than Lattice's 10 KB auth-policy limit (as an identity policy it could be larger): size check off.
  const policy = compilePolicy(c.iam, { kind: 'resource', maxBytes: 0 });
  const setId = `case${i}`;
  const parsed = cedar.preparsePolicySet(setId, { staticPolicies: c.cedar });
  if (parsed.type !== 'success') throw new Error(`cedar policy set of ${c.name}: ${JSON.stringify(parsed.errors)}`);
  const requests = c.requests.map((r) => renderRequest(r, setId));

  // The same decisions, or the comparison means nothing.
  let allowed = 0;
  for (const r of requests) {
    const ours = evaluatePolicy(policy, prepareRequest(r.iam)).decision === 'Allow';
    const theirs = cedarDecide(r.cedar);
    if (ours !== theirs) throw new Error(`${c.name}: "${r.name}": latticed ${ours ? 'allows' : 'denies'}, cedar ${theirs ? 'allows' : 'denies'}`);
    if (ours) allowed++;
  }

  const iamReqs = requests.map((r) => r.iam);
  const cedarReqs = requests.map((r) => r.cedar);
  const ours = (r) => evaluatePolicy(policy, prepareRequest(r));
  const m = meters();
  const oursRate = m.throughput(ours, iamReqs, THROUGHPUT_MS);
  const oursLat = m.latency(ours, iamReqs, 300_000);
  const mc = meters();
  const cedarRate = mc.throughput(cedarDecide, cedarReqs, THROUGHPUT_MS);
  const cedarLat = mc.latency(cedarDecide, cedarReqs, 30_000);
  const row = { case: c.name, requests: `${requests.length} (${allowed} allowed)`, oursRate, oursLat, cedarRate, cedarLat };
  rows.push(row);
  if (oursRate <= cedarRate) failed = true;

  if (i === 0) {
    // The whole per-request Lattice path the data plane runs: HTTP description → context → network + service policies.
    const network = compilePolicy(readFileSync(new URL('examples/order-inventory/policies/shop-network.json', ROOT), 'utf8'), { kind: 'resource' });
    const auth = { skipIdentity: true, network: { authType: 'AWS_IAM', policy: network }, service: { authType: 'AWS_IAM', policy } };
    const httpReqs = requests.map((r) => r.http);
    const full = (h) => authorizeLattice(auth, buildRequestContext(h));
    const mf = meters();
    rows.push({ case: '(a) full Lattice path: buildRequestContext + network + service', requests: `${requests.length}`, oursRate: mf.throughput(full, httpReqs, THROUGHPUT_MS), oursLat: mf.latency(full, httpReqs, 300_000) });
  }
}

const version = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')).version;
console.log(`policy decisions: latticed ${version} vs @cedar-policy/cedar-wasm ${cedar.getCedarVersion()} — node ${process.version}, ${THROUGHPUT_MS} ms per throughput run\n`);
console.log('| case | requests | latticed decisions/s | latticed p50 / p99 | cedar-wasm decisions/s | cedar-wasm p50 / p99 | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  const cedarCols = r.cedarRate === undefined ? '— | — | —' : `${fmtRate(r.cedarRate)} | ${fmtNs(r.cedarLat.p50)} / ${fmtNs(r.cedarLat.p99)} | ${(r.oursRate / r.cedarRate).toFixed(1)}×`;
  console.log(`| ${r.case} | ${r.requests} | ${fmtRate(r.oursRate)} | ${fmtNs(r.oursLat.p50)} / ${fmtNs(r.oursLat.p99)} | ${cedarCols} |`);
}
const p99a = rows[0].oursLat.p99;
console.log(`\ntargets: more decisions/s than cedar-wasm on every case: ${failed ? 'MISSED' : 'met'}; p99 < 5 µs for (a): ${p99a < 5000 ? 'met' : 'MISSED'} (${fmtNs(p99a)})`);
if (failed || p99a >= 5000) process.exitCode = 1;
