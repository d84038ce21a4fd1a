/** Where the real binary is. dist/ is built once by test/global-setup.ts before any test file runs. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const latticedBin = path.join(projectRoot, 'bin/latticed.js');
