import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/network/index.js';

function parseError(text: string, file: string): ConfigError {
  try {
    parseConfigText(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfigText', () => {
  it('reads YAML and JSON into the same data', () => {
    const yaml = parseConfigText('region: us-west-2\naccounts:\n  - id: "123456789012"\n', 'a.yaml');
    const json = parseConfigText('{"region": "us-west-2", "accounts": [{"id": "123456789012"}]}', 'a.json');
    expect(yaml).toEqual(json);
    expect(yaml).toEqual({ region: 'us-west-2', accounts: [{ id: '123456789012' }] });
  });

  it('reads JSON content in a YAML-named file (JSON is YAML)', () => {
    expect(parseConfigText('{"a": [1, "x", true, null]}', 'latticed.yml')).toEqual({ a: [1, 'x', true, null] });
  });

  it('reports a YAML syntax error with its line and column', () => {
    const e = parseError('region: us-west-2\naccounts: [\n  {id: 1}\n', 'bad.yaml');
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]!.path).toBe('$');
    expect(e.issues[0]!.message).toMatch(/^line \d+, column \d+: /);
    expect(e.message).toContain('bad.yaml: $: line');
  });

  it('rejects duplicate keys with the line of the second one', () => {
    const e = parseError('region: us-west-2\nregion: eu-west-1\n', 'dup.yaml');
    expect(e.issues[0]!.message).toBe('line 2, column 1: Map keys must be unique');
  });

  it('rejects duplicate keys in JSON too (JSON.parse would keep the last)', () => {
    const e = parseError('{"region": "a",\n "region": "b"}', 'dup.json');
    expect(e.issues[0]!.message).toMatch(/^line 2, column \d+: Map keys must be unique/);
  });

  it('reports strict JSON errors with line and column for .json files', () => {
    const e = parseError('{\n  "region": "us-west-2",\n}', 'bad.json');
    expect(e.issues[0]!.message).toMatch(/^line 3, column 1: /);
  });

  it('rejects several YAML documents in one file', () => {
    const e = parseError('a: 1\n---\nb: 2\n', 'multi.yaml');
    expect(e.issues[0]!.message).toContain('multiple documents');
  });

  it('bounds alias expansion ("billion laughs")', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const e = parseError(lines.join('\n'), 'bomb.yaml');
    expect(e.issues[0]!.message).toMatch(/alias/i);
  });
});
