/** Running the real `latticed` binary for the policy CLI tests. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tempDir } from '../support/temp-dir.js';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const EXAMPLE = path.join(ROOT, 'examples/order-inventory/policies');
export const SERVICE = 'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0';
export const ROLE_SESSION = 'arn:aws:sts::123456789012:assumed-role/order-service-role/s1';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function latticed(args: readonly string[]): Run {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/latticed.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory with the given files written into it (removed after the file's tests); returns its path. */
export function tempFiles(files: Record<string, string | object>): string {
  const dir = tempDir('policy');
  for (const [name, content] of Object.entries(files))
    writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}
