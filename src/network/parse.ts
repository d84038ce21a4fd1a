/**
 * Reading the configuration text: YAML 1.2 (the `yaml` package), or strict JSON when the file name ends
 * in `.json`. Syntax errors become a ConfigError whose issues carry the line and column.
 */
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from './errors.js';

function at(line: number, col: number, message: string) {
  return { path: '$', message: `line ${line}, column ${col}: ${message}` };
}

function parseJson(text: string, fileName: string): void {
  try {
    JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    if (pos === null) throw new ConfigError([{ path: '$', message }], fileName);
    const before = text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    throw new ConfigError([at(line, col, message.replace(/ in JSON at position \d+.*$/s, ''))], fileName);
  }
}

function parseYaml(text: string, fileName: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, lineCounter });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return at(line, col, e.message.split('\n')[0] ?? e.message);
    });
    throw new ConfigError(issues, fileName);
  }
  try {
    // Bounded alias expansion: a "billion laughs" document is an error, not an out-of-memory.
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw new ConfigError([{ path: '$', message: (e as Error).message }], fileName);
  }
}

/**
 * Parses configuration text into plain data (not yet validated: pass the result to validateConfig).
 * `.json` files are strict JSON; anything else is YAML 1.2 (of which JSON is a subset). Duplicate keys
 * and multiple documents are errors. Throws ConfigError naming `fileName`.
 */
export function parseConfigText(text: string, fileName: string): unknown {
  // Valid JSON is also read by the YAML parser, which reports duplicate keys that JSON.parse lets through.
  if (fileName.toLowerCase().endsWith('.json')) parseJson(text, fileName);
  return parseYaml(text, fileName);
}
