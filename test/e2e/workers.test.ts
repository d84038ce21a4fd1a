/** `latticed up --workers 2`: two worker processes on the shared listeners, reload fan-out, drain. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig, writeConfig } from './support/config.js';
import { roleCredentials, send, smithyRequest, smithySigner } from './support/clients.js';
import { readAccessLog, startScenario, type Scenario } from './support/scenario.js';

let s: Scenario;
let signed: Record<string, string>;

beforeAll(async () => {
  s = await startScenario({ args: ['--workers', '2'] });
  const order = await roleCredentials(s.configFile, s.stateDir, 'order-service-role');
  signed = (await smithySigner(order).sign(smithyRequest(s.hosts.inventory, s.ports.http, 'GET', '/api/stock'))).headers as Record<string, string>;
});

afterAll(async () => {
  await s?.stop();
});

const burst = async (n: number): Promise<number[]> =>
  Promise.all(Array.from({ length: n }, () => send(s.ports.http, { method: 'GET', path: '/api/stock', headers: signed }).then((r) => r.status)));

it('serves signed requests with two workers', async () => {
  expect(s.latticed.stderr).toContain('workers: 2');
  expect(new Set(await burst(40))).toEqual(new Set([200]));
});

it('a reload reaches every worker before it is reported', async () => {
  const mark = s.latticed.stderr.length;
  writeConfig(s.configFile, testConfig(s.ports, 1));
  await s.latticed.waitFor('serving revision 2 ', mark);
  expect(new Set(await burst(40))).toEqual(new Set([200]));
});

it('SIGTERM stops every worker and each request has its record', async () => {
  expect(await s.latticed.stop()).toBe(0);
  const records = readAccessLog(s.accessLog).filter((r) => r.requestPath === '/api/stock');
  expect(records).toHaveLength(80);
});
