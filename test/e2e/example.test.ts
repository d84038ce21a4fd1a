/**
 * The worked example (`npm start`): latticed.yaml is valid and carries the same auth policies as
 * examples/order-inventory/policies/*.json; `latticed demo` starts, and the commands it prints work
 * when pasted into a shell: allowed 200, denied 403, unsigned 403, and order-service's own signed
 * call to inventory-service through latticed.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { latticedBin, projectRoot } from './support/build.js';

const run = promisify(execFile);
const example = path.join(projectRoot, 'examples/order-inventory');
const policyFile = (n: string) => JSON.parse(fs.readFileSync(path.join(example, 'policies', n), 'utf8')) as unknown;

describe('examples/order-inventory/latticed.yaml', () => {
  const config = parse(fs.readFileSync(path.join(example, 'latticed.yaml'), 'utf8')) as {
    serviceNetworks: { name: string; authPolicy: unknown }[];
    services: { name: string; authPolicy?: unknown }[];
  };

  it('uses the example policy documents verbatim', () => {
    expect(config.serviceNetworks.find((n) => n.name === 'shop')!.authPolicy).toEqual(policyFile('shop-network.json'));
    expect(config.services.find((n) => n.name === 'inventory-service')!.authPolicy).toEqual(policyFile('inventory-service.json'));
  });

  it('is a valid configuration', async () => {
    const { loadConfigFile, buildSnapshot } = (await import(path.join(projectRoot, 'dist/network/index.js'))) as typeof import('../../src/network/index.js');
    const file = path.join(example, 'latticed.yaml');
    const snapshot = await buildSnapshot(await loadConfigFile(file), { revision: 1, baseDir: example, env: {} });
    expect([...snapshot.services.values()].map((s) => s.name).sort()).toEqual(['inventory-service', 'order-service']);
  });
});

describe('latticed demo (npm start)', () => {
  let demo: ChildProcess;
  let stdout = '';
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latticed-demo-'));

  beforeAll(async () => {
    demo = spawn(process.execPath, [latticedBin, 'demo', '--state-dir', stateDir], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    demo.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      demo.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Ctrl-C stops everything')) resolve();
      });
      demo.once('exit', (code) => reject(new Error(`demo exited ${code}:\n${stdout}\n${stderr}`)));
    });
  });

  afterAll(async () => {
    if (demo && demo.exitCode === null) {
      const exited = new Promise((r) => demo.once('exit', r));
      demo.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  /** Runs the printed credentials line and then `command` in bash, as a user pasting them would. */
  const paste = async (command: string): Promise<string> => {
    const evalLine = stdout.split('\n').find((l) => l.trim().startsWith('eval '))!.trim();
    const { stdout: out } = await run('bash', ['-c', `set -e; ${evalLine}; ${command}`], { cwd: projectRoot });
    return out;
  };
  const printed = (marker: string): string => {
    const lines = stdout.split('\n');
    const i = lines.findIndex((l) => l.includes(marker));
    return lines.slice(i + 1).find((l) => l.trim() !== '')!.trim();
  };
  const status = (cmd: string) => paste(`${cmd.replace(/^curl -s /, 'curl -s -o /dev/null -w "%{http_code}" ')}`);

  it('prints endpoints, the client script and the access log', () => {
    expect(stdout).toContain('http://inventory.shop.internal:8080');
    expect(stdout).toContain('client.py');
    expect(stdout).toContain(path.join(stateDir, 'access.log'));
  });

  it('the allowed command gets 200', async () => {
    expect(await status(printed('# allowed'))).toBe('200');
  });

  it('the denied command gets 403', async () => {
    expect(await status(printed('# denied'))).toBe('403');
  });

  it('the unsigned command gets 403', async () => {
    expect(await status(printed('# unsigned'))).toBe('403');
  });

  it('order-service calls inventory-service through latticed with its own role', async () => {
    const body = JSON.parse(await paste(printed('# order-service calls'))) as { inventory: { status: number; body: { received: { lattice: Record<string, string> } } } };
    expect(body.inventory.status).toBe(200);
    expect(body.inventory.body.received.lattice['x-amzn-lattice-identity']).toContain('assumed-role/order-service-role/');
  });

  it('the python3 boto3 client works', async () => {
    const out = await paste(printed('# python3 + boto3'));
    expect(out).toContain('HTTP 200');
  });
});
