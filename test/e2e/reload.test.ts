/**
 * `latticed up` reloads: ten configuration changes under load with no failed request; an invalid
 * file is rejected with its errors while the old snapshot keeps serving; an unchanged file and
 * SIGHUP do nothing; SIGTERM lets an in-flight request finish and flushes the access log.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig, writeConfig } from './support/config.js';
import { roleCredentials, send, smithyRequest, smithySigner, type Creds } from './support/clients.js';
import { startLoad } from './support/load.js';
import { readAccessLog, startScenario, type Scenario } from './support/scenario.js';

let s: Scenario;
let order: Creds;
let signed: Record<string, string>;

beforeAll(async () => {
  s = await startScenario();
  order = await roleCredentials(s.configFile, s.stateDir, 'order-service-role');
  // One signed header set, reused within the clock-skew window.
  signed = (await smithySigner(order).sign(smithyRequest(s.hosts.inventory, s.ports.http, 'GET', '/api/stock'))).headers as Record<string, string>;
});

afterAll(async () => {
  await s?.stop();
});

const get = () => send(s.ports.http, { method: 'GET', path: '/api/stock', headers: signed });

it('ten configuration changes while load runs: every swap lands and no request fails', async () => {
  const load = startLoad(s.ports.http, '/api/stock', signed);
  for (let variant = 1; variant <= 10; variant++) {
    const mark = s.latticed.stderr.length;
    writeConfig(s.configFile, testConfig(s.ports, variant));
    await s.latticed.waitFor(`serving revision ${variant + 1} `, mark);
    // Let some requests run on each revision.
    const before = load.ok;
    while (load.ok < before + 20) await new Promise((r) => setTimeout(r, 5));
  }
  const result = await load.stop();
  expect(result.failures).toEqual([]);
  expect(result.ok).toBeGreaterThan(200);
});

it('an invalid change is rejected with its errors and the old snapshot keeps serving', async () => {
  const mark = s.latticed.stderr.length;
  const bad = testConfig(s.ports, 10) as { services: { listeners: { port: unknown }[] }[] };
  bad.services[0]!.listeners[0]!.port = 'eighty';
  writeConfig(s.configFile, bad as unknown as Record<string, unknown>);
  await s.latticed.waitFor('rejected; still serving revision 11', mark);
  expect(s.latticed.stderr.slice(mark)).toContain('$.services[0].listeners[0].port');
  expect((await get()).status).toBe(200);
});

it('an unchanged file and SIGHUP do not swap', async () => {
  let mark = s.latticed.stderr.length;
  writeConfig(s.configFile, testConfig(s.ports, 10));
  await s.latticed.waitFor('configuration unchanged; still serving revision 11', mark);
  mark = s.latticed.stderr.length;
  s.latticed.signal('SIGHUP');
  await s.latticed.waitFor('reload (SIGHUP): configuration unchanged; still serving revision 11', mark);
  expect((await get()).status).toBe(200);
});

it('SIGTERM drains an in-flight request, exits 0 and flushes the access log', async () => {
  const slow = send(s.ports.http, { method: 'GET', path: '/public/slow', headers: { host: `${s.hosts.inventory}:${s.ports.http}` } });
  await new Promise((r) => setTimeout(r, 100));
  const exit = s.latticed.stop();
  expect((await slow).status).toBe(200);
  expect(await exit).toBe(0);
  const records = readAccessLog(s.accessLog);
  expect(records.filter((r) => r.requestPath === '/public/slow')).toHaveLength(1);
  // Every request the load generator completed has its record.
  expect(records.length).toBe(s.upstream.seen.length);
  expect(fs.existsSync(s.accessLog)).toBe(true);
});
