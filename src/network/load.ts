/** Reading, parsing and validating a configuration file in one step. */
import { readFile } from 'node:fs/promises';
import type { LatticedConfig } from './config-types.js';
import { ConfigError } from './errors.js';
import { parseConfigText } from './parse.js';
import { validateConfig } from './validate.js';

/** Throws ConfigError (every issue, each as `FILE: PATH: message`) when the file is unreadable or invalid. */
export async function loadConfigFile(file: string): Promise<LatticedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError([{ path: '$', message: `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }], file);
  }
  const raw = parseConfigText(text, file);
  const issues = validateConfig(raw);
  if (issues.length > 0) throw new ConfigError(issues, file);
  return raw as LatticedConfig;
}
