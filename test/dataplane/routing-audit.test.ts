/**
 * A swap that cannot be applied: its new listener port is taken. The data plane goes back to the
 * snapshot it had (routes and ports), settled() rejects, and nothing that was serving was closed.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, request, startEcho, type Echo } from './fixture.js';

let a: Echo, b: Echo;
let dp: DataPlane;
let holder: net.Server;
let busy: number;

beforeAll(async () => {
  [a, b] = await Promise.all([startEcho('a'), startEcho('b')]);
  holder = net.createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  busy = (holder.address() as AddressInfo).port;
});

afterAll(async () => {
  await dp?.close({ graceMs: 500 });
  holder?.close();
  await Promise.all([a.close(), b.close()]);
});

const snap = (revision: number, ports: number[], tg: string) =>
  buildSnapshot({ revision, services: [{ name: 'inv', id: 'svc-0123456789abcdef0', ports, forward: [[tg, 1]] }], targetGroups: [{ id: 'a', port: a.port }, { id: 'b', port: b.port }] });

it('a swap whose new port cannot be bound is undone: old routes and old ports keep serving', async () => {
  const first = snap(1, [80], 'a');
  const host = [...first.services.values()][0]!.dnsName;
  dp = await startDataPlane({ snapshot: first, credentials: () => undefined, accessLog: createMemoryAccessLog(), portOverrides: new Map([[80, 0], [81, busy]]), healthChecks: false });
  const port = dp.ports().get(80)!;
  expect(JSON.parse((await request(port, { host, path: '/x' })).body).name).toBe('a');

  // Moves the service from port 80 to port 81 (taken) and to target group b.
  dp.swap(snap(2, [81], 'b'));
  await expect(dp.settled()).rejects.toThrow(/cannot listen .*port 81/);
  expect([...dp.ports().entries()]).toEqual([[80, port]]);
  const r = await request(port, { host, path: '/x' });
  expect(r.status).toBe(200);
  expect(JSON.parse(r.body).name).toBe('a');

  // Once the port is free, the same change applies.
  await new Promise<void>((r) => holder.close(() => r()));
  dp.swap(snap(2, [81], 'b'));
  await dp.settled();
  expect([...dp.ports().keys()]).toEqual([81]);
  expect(JSON.parse((await request(busy, { host, path: '/x' })).body).name).toBe('b');
});
