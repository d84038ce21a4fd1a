/** `latticed up`'s start-up settings: the command line wins over the file's `node` section, which wins over defaults. */
import path from 'node:path';
import { expect, it } from 'vitest';
import { NODE_DEFAULTS } from '../../src/network/index.js';
import { parseWorkers, resolveStartup } from '../../src/cli/up-options.js';

const settings = (over: object = {}) => ({ ...structuredClone(NODE_DEFAULTS), accessLog: { stdout: false, bufferBytes: 131072 }, ...over }) as Parameters<typeof resolveStartup>[1];

it('defaults: state dir .latticed, access log inside it, one worker, 127.0.0.1', () => {
  const s = resolveStartup({ file: 'x.yaml' }, settings(), '.latticed');
  expect(s.stateDir).toBe(path.resolve('.latticed'));
  expect(s.accessLogPath).toBe(path.resolve('.latticed/access.log'));
  expect(s).toMatchObject({ workers: 1, listenAddress: '127.0.0.1', accessLogStdout: false, file: path.resolve('x.yaml') });
});

it("the file's node section overrides the defaults", () => {
  const s = resolveStartup({ file: 'x.yaml' }, settings({ stateDir: '/srv/lt', workers: 3, listenAddress: '0.0.0.0', accessLog: { file: '/var/log/lt.log', stdout: true, bufferBytes: 0 } }), '.latticed');
  expect(s).toMatchObject({ stateDir: '/srv/lt', accessLogPath: '/var/log/lt.log', workers: 3, listenAddress: '0.0.0.0', accessLogStdout: true, accessLogBufferBytes: 0 });
});

it('the command line overrides the file', () => {
  const s = resolveStartup(
    { file: 'x.yaml', stateDir: '/tmp/s', accessLog: '/tmp/a.log', workers: 2, listen: '127.0.0.2', accessLogStdout: true },
    settings({ stateDir: '/srv/lt', workers: 3, accessLog: { file: '/var/log/lt.log', stdout: false, bufferBytes: 131072 } }),
    '.latticed',
  );
  expect(s).toMatchObject({ stateDir: '/tmp/s', accessLogPath: '/tmp/a.log', workers: 2, listenAddress: '127.0.0.2', accessLogStdout: true });
});

it('--workers takes an integer from 1 to 64', () => {
  expect(parseWorkers('4')).toBe(4);
  for (const bad of ['0', '65', '1.5', 'two', '']) expect(() => parseWorkers(bad)).toThrow(/from 1 to 64/);
});
