import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { ConfigError, loadConfigFile } from '../../src/network/index.js';
import { VALID_FILE, validConfig } from './helpers.js';

async function loadError(file: string): Promise<ConfigError> {
  try {
    await loadConfigFile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfigFile', () => {
  const dir = tempDir('load');

  it('loads the documented example (YAML) and the same model as JSON', async () => {
    const yaml = await loadConfigFile(VALID_FILE);
    const json = path.join(dir, 'latticed.json');
    writeFileSync(json, JSON.stringify(validConfig(), null, 2));
    expect(await loadConfigFile(json)).toEqual(yaml);
  });

  it('lists every issue as FILE: PATH: message', async () => {
    const c = validConfig() as any;
    c.services[0].listeners[0].port = 'eighty';
    c.serviceNetworks[0].serviceAssociations[0].serviceIdentifier = 'ghost';
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(c));
    const e = await loadError(file);
    expect(e.file).toBe(file);
    expect(e.code).toBe('ValidationException');
    expect(e.message.split('\n')).toEqual([
      'invalid configuration (2 errors)',
      `${file}: $.services[0].listeners[0].port: must be integer`,
      `${file}: $.serviceNetworks[0].serviceAssociations[0].serviceIdentifier: service "ghost" is not defined in services (by name, id or ARN)`,
    ]);
  });

  it('reports an unreadable file and a syntax error as ConfigErrors', async () => {
    const missing = await loadError(path.join(dir, 'nope.yaml'));
    expect(missing.issues[0]!.message).toBe('cannot read the file: ENOENT');
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'region: [\n');
    expect((await loadError(broken)).message).toMatch(/broken\.yaml: \$: line \d+, column \d+: /);
  });
});
