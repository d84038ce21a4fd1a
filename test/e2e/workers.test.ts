/** `latticed up --workers 2`: two worker processes on the shared listeners, reload fan-out, drain. */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig, writeConfig } from './support/config.js';
import { roleCredentials, send, smithyRequest, smithySigner } from './support/clients.js';
import { startLoad } from './support/load.js';
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

/** The primary's child processes (Linux /proc). */
const workerPids = (): number[] => {
  const pid = s.latticed.child.pid!;
  return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
};
/** Running, as opposed to gone or a zombie awaiting its reaper. */
const alive = (pid: number): boolean => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

const burst = async (n: number): Promise<number[]> =>
  Promise.all(Array.from({ length: n }, () => send(s.ports.http, { method: 'GET', path: '/api/stock', headers: signed }).then((r) => r.status)));

let workers: number[] = [];
let loaded = 0;

it('runs two worker processes', () => {
  expect(s.latticed.stderr).toContain('workers: 2');
  workers = workerPids();
  expect(workers).toHaveLength(2);
});


it('a worker that dies is replaced', async () => {
  const mark = s.latticed.stderr.length;
  const [victim, survivor] = workers;
  process.kill(victim!, 'SIGKILL');
  await s.latticed.waitFor('starting a replacement', mark);
  await s.latticed.waitFor(/worker \d+ serving revision 1/, mark);
  const now = workerPids();
  expect(now).toHaveLength(2);
  expect(now).toContain(survivor);
  expect(now).not.toContain(victim);
  workers = now;
});

it('serves signed requests from the workers', async () => {
  expect(new Set(await burst(40))).toEqual(new Set([200]));
});

it('reloads reach every worker before they are reported, with no failed request under load', async () => {
  const load = startLoad(s.ports.http, '/api/stock', signed, 4);
  for (let variant = 1; variant <= 3; variant++) {
    const mark = s.latticed.stderr.length;
    writeConfig(s.configFile, testConfig(s.ports, variant));
    await s.latticed.waitFor(`serving revision ${variant + 1} `, mark);
  }
  const result = await load.stop();
  expect(result.failures).toEqual([]);
  expect(result.ok).toBeGreaterThan(0);
  loaded = result.ok;
  expect(new Set(await burst(40))).toEqual(new Set([200]));
});

it('SIGTERM stops every worker and each request has its record', async () => {
  expect(await s.latticed.stop()).toBe(0);
  expect(workers.filter(alive)).toEqual([]);
  const records = readAccessLog(s.accessLog).filter((r) => r.requestPath === '/api/stock');
  expect(records).toHaveLength(80 + loaded);
});
