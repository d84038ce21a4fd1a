/**
 * Reloads that cannot be applied: a change that moves a listener onto a port that is already taken.
 * The reload must be rejected as a whole (the old snapshot and its ports keep serving, the revision
 * does not move), and a later SIGHUP, once the port is free, must apply it: with one process and
 * with workers.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig, writeConfig } from './support/config.js';
import { roleCredentials, send, smithyRequest, smithySigner, type Creds } from './support/clients.js';
import { freePort } from './support/ports.js';
import { startScenario, type Scenario } from './support/scenario.js';

/** The test configuration with inventory-service's listener moved to `port` (its security group widened to allow it). */
function movedTo(s: Scenario, port: number): Record<string, unknown> {
  const c = testConfig(s.ports, 1) as any;
  c.services[0].listeners[0].port = port;
  c.securityGroups[0].ipPermissions[0].fromPort = 1;
  c.securityGroups[0].ipPermissions[0].toPort = 65535;
  return c;
}

async function signedGet(creds: Creds, host: string, port: number): Promise<number> {
  const signed = (await smithySigner(creds).sign(smithyRequest(host, port, 'GET', '/api/stock'))).headers as Record<string, string>;
  return (await send(port, { method: 'GET', path: '/api/stock', headers: signed })).status;
}

for (const workers of [1, 2]) {
  describe(`a reload whose new port is taken (--workers ${workers})`, () => {
    let s: Scenario;
    let order: Creds;
    let busy: number;
    let holder: net.Server;

    beforeAll(async () => {
      s = await startScenario({ args: ['--workers', String(workers)] });
      order = await roleCredentials(s.configFile, s.stateDir, 'order-service-role');
      busy = await freePort();
      holder = net.createServer();
      await new Promise<void>((r) => holder.listen(busy, '127.0.0.1', r));
    });

    afterAll(async () => {
      holder?.close();
      await s?.stop();
    });

    it('is rejected as a whole: the old snapshot and its port keep serving, the revision stays', async () => {
      expect(await signedGet(order, s.hosts.inventory, s.ports.http)).toBe(200);
      const mark = s.latticed.stderr.length;
      writeConfig(s.configFile, movedTo(s, busy));
      await s.latticed.waitFor('rejected; still serving revision 1', mark);
      expect(s.latticed.stderr.slice(mark)).toContain(`${busy}`);
      // The listener that the rejected change would have moved still serves.
      expect(await signedGet(order, s.hosts.inventory, s.ports.http)).toBe(200);
      expect(s.latticed.child.exitCode).toBeNull();
    });

    it('a SIGHUP once the port is free applies the change', async () => {
      await new Promise<void>((r) => holder.close(() => r()));
      const mark = s.latticed.stderr.length;
      s.latticed.signal('SIGHUP');
      await s.latticed.waitFor('reload (SIGHUP): serving revision 2', mark);
      expect(await signedGet(order, s.hosts.inventory, busy)).toBe(200);
    });
  });
}
