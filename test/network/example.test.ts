import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, CONFIG_SCHEMA_PATH, loadConfigFile, NODE_DEFAULTS, parseConfigText } from '../../src/network/index.js';
import { validConfig } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the shipped example and schema', () => {
  it('examples/order-inventory/latticed.yaml is valid and compiles', async () => {
    const file = path.join(root, 'examples/order-inventory/latticed.yaml');
    const config = await loadConfigFile(file);
    const s = await buildSnapshot(config, { revision: 1, baseDir: path.dirname(file), env: {}, file });
    const inventory = [...s.services.values()].find((x) => x.name === 'inventory-service')!;
    expect(inventory.authType).toBe('AWS_IAM');
    const source = s.vpcForAddress('127.0.0.1')!;
    expect(source.association!.serviceNetwork.name).toBe('shop');
    expect(source.association!.serviceNetwork.routes.get(8080)!.get('inventory.shop.internal')).toBe(inventory);
    expect(source.association!.allowsIngress('127.0.0.1', 8080)).toBe(true);
    expect(s.vpcForAddress('127.0.9.1')!.association).toBeUndefined();
  });

  it('the sample in docs/configuration.md is the valid fixture the tests use', () => {
    const doc = readFileSync(path.join(root, 'docs/configuration.md'), 'utf8');
    const sample = /## A small example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    expect(parseConfigText(sample, 'configuration.md.yaml')).toEqual(validConfig());
  });

  it('the schema is at the package root and documents the node defaults the code applies', () => {
    expect(CONFIG_SCHEMA_PATH).toBe(path.join(root, 'schemas/latticed-config.schema.json'));
    const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8'));
    const node = schema.$defs.node.properties;
    expect(node.listenAddress.default).toBe(NODE_DEFAULTS.listenAddress);
    expect(node.workers.default).toBe(NODE_DEFAULTS.workers);
    for (const [k, v] of Object.entries(NODE_DEFAULTS.limits)) expect(node.limits.properties[k].default).toBe(v);
    for (const [k, v] of Object.entries(NODE_DEFAULTS.timeouts)) expect(node.timeouts.properties[k].default).toBe(v);
    for (const [k, v] of Object.entries(NODE_DEFAULTS.accessLog)) expect(node.accessLog.properties[k].default).toBe(v);
  });
});
