/** `latticed up` refusing to start: an invalid file (every error, with its path) and a port in use. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { latticedBin, projectRoot } from './support/build.js';
import { testConfig, writeConfig, USER_SECRET, USER_SECRET_ENV } from './support/config.js';
import { freePorts } from './support/ports.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latticed-up-cli-'));

async function up(file: string): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [latticedBin, 'up', '-f', file, '--state-dir', path.join(dir, 'state')], {
      cwd: projectRoot,
      env: { ...process.env, [USER_SECRET_ENV]: USER_SECRET },
      timeout: 20_000,
    });
    return { code: 0, stderr: '' };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('an invalid file: every error with its path, exit 1, nothing bound', async () => {
  const [a, b, c, d] = await freePorts(4);
  const config = testConfig({ http: a!, grpc: b!, upstream: c!, grpcUpstream: d! }) as Record<string, any>;
  config.services[0].listeners[0].port = 'eighty';
  config.serviceNetworks[0].serviceAssociations.push({ serviceIdentifier: 'billing' });
  const file = path.join(dir, 'bad.json');
  writeConfig(file, config);
  const r = await up(file);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`${file}: $.services[0].listeners[0].port`);
  expect(r.stderr).toContain(`${file}: $.serviceNetworks[0].serviceAssociations[2]`);
  expect(r.stderr).not.toContain('ready');
});

it('a listener port already in use: "cannot start", exit 1', async () => {
  const busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as net.AddressInfo).port;
  try {
    const [b, c, d] = await freePorts(3);
    const file = path.join(dir, 'busy.json');
    writeConfig(file, testConfig({ http: port, grpc: b!, upstream: c!, grpcUpstream: d! }));
    const r = await up(file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/latticed: cannot start: .*EADDRINUSE/);
  } finally {
    busy.close();
  }
});
