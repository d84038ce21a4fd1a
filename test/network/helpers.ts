import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfigText, validateConfig, type LatticedConfig } from '../../src/network/index.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const VALID_FILE = path.join(FIXTURES, 'valid.yaml');
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const ENV = { LATTICED_CI_SECRET: SECRET };

/** A fresh, mutable copy of the valid example (the sample of docs/configuration.md). */
export function validConfig(): LatticedConfig {
  return parseConfigText(readFileSync(VALID_FILE, 'utf8'), VALID_FILE) as LatticedConfig;
}

/** The issues of a config changed by `mutate`, as `PATH: message` lines for exact assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests write invalid shapes on purpose
export function issuesAfter(mutate: (c: any) => void): string[] {
  const c = validConfig();
  mutate(c);
  return validateConfig(c).map((i) => `${i.path}: ${i.message}`);
}
