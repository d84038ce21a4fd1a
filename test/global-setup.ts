/**
 * Tests that run the real `bin/latticed.js` need dist/. `npm test` builds before vitest starts; a
 * lone `npx vitest run …` builds here, once, before any test file runs, when dist/ is older than
 * src/. Building in one place means no test ever rewrites dist/ while another runs the binary.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

function stale(): boolean {
  const main = path.join(projectRoot, 'dist/cli/main.js');
  return !fs.existsSync(main) || fs.statSync(main).mtimeMs < newestSource(path.join(projectRoot, 'src'));
}

export default function setup(): void {
  if (!stale()) return;
  const tsc = path.join(projectRoot, 'node_modules/typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: projectRoot, stdio: 'inherit' });
}
