import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('latticed --help', () => {
  it('prints usage', () => {
    const out = execFileSync(process.execPath, ['bin/latticed.js', '--help'], { encoding: 'utf8' });
    expect(out).toContain('Usage: latticed');
  });
});
