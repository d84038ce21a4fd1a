/** The package's subpath exports resolve to the built modules, with the entry points the docs use. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const ENTRY_POINTS: Record<string, string[]> = {
  'latticed/sigv4': ['createVerifier', 'verifyRequest', 'SigV4Error'],
  'latticed/policy': ['compilePolicy', 'authorizeLattice', 'buildRequestContext'],
  'latticed/iam': ['createCredentialResolver', 'loadMasterKey', 'issueRoleCredentials'],
  'latticed/network': ['loadConfigFile', 'validateConfig', 'buildSnapshot'],
  'latticed/dataplane': ['startDataPlane'],
  'latticed/observability': ['createFileAccessLog', 'createMemoryAccessLog'],
};

it('every subpath export resolves (package self-reference) and has the documented entry points', () => {
  const script = `
    const wanted = ${JSON.stringify(ENTRY_POINTS)};
    const out = {};
    for (const [spec, names] of Object.entries(wanted)) {
      const m = await import(spec);
      out[spec] = names.filter((n) => typeof m[n] !== 'function');
    }
    console.log(JSON.stringify(out));`;
  const missing = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }));
  expect(missing).toEqual(Object.fromEntries(Object.keys(ENTRY_POINTS).map((k) => [k, []])));
});
