/**
 * E2E tests run the real `bin/latticed.js`, which runs dist/. `npm test` builds first; a lone
 * `npx vitest run test/e2e` builds here when dist/ is older than src/ (one build at a time).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const latticedBin = path.join(projectRoot, 'bin/latticed.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

function stale(): boolean {
  const main = path.join(projectRoot, 'dist/cli/main.js');
  return !fs.existsSync(main) || fs.statSync(main).mtimeMs < newestMtime(path.join(projectRoot, 'src'));
}

export function ensureBuilt(): void {
  if (!stale()) return;
  const lock = path.join(projectRoot, 'dist.e2e-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; wait for it.
      execFileSync('sleep', ['0.2']);
    }
  }
  try {
    if (stale()) execFileSync(process.execPath, [path.join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: projectRoot, stdio: 'inherit' });
  } finally {
    fs.rmdirSync(lock);
  }
}
