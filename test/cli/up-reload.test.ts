/**
 * The reloader behind `latticed up`: concurrent requests collapse into one follow-up that reads the
 * file as it is then; an unchanged hash does nothing; an invalid file is rejected with its paths and
 * nothing is applied.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import type { Snapshot } from '../../src/network/index.js';
import { loadCandidate, type Candidate } from '../../src/cli/up-node.js';
import { startReloader, type Reloader } from '../../src/cli/up-reload.js';

const dir = tempDir('reload');
const file = path.join(dir, 'latticed.json');

function write(tag: string, port: unknown = 18080): void {
  const config = {
    region: 'us-west-2',
    accounts: [{ id: '123456789012' }],
    serviceNetworks: [{ name: 'shop', authType: 'NONE', tags: { tag }, serviceAssociations: [{ serviceIdentifier: 'inventory' }] }],
    services: [{ name: 'inventory', authType: 'NONE', listeners: [{ protocol: 'HTTP', port, defaultAction: { fixedResponse: { statusCode: 404 } } }] }],
  };
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(config));
  fs.renameSync(`${file}.tmp`, file);
}

let reloader: Reloader | undefined;
afterEach(async () => {
  await reloader?.close();
  reloader = undefined;
});

async function setup(): Promise<{ applied: Candidate[]; current: () => Snapshot; lines: string[] }> {
  write('v1');
  let current = (await loadCandidate(file, 1)).snapshot;
  const applied: Candidate[] = [];
  const lines: string[] = [];
  reloader = startReloader({
    file,
    current: () => current,
    apply: async (next) => {
      await new Promise((r) => setTimeout(r, 20));
      applied.push(next);
      current = next.snapshot;
    },
    log: (l) => lines.push(l),
  });
  return { applied, current: () => current, lines };
}

it('a changed file becomes the next revision; requests made meanwhile collapse into one re-read', async () => {
  const { applied, current } = await setup();
  write('v2');
  const [a, b, c] = await Promise.all([reloader!.reload('a'), reloader!.reload('b'), reloader!.reload('c')]);
  expect(a).toMatchObject({ kind: 'swapped', revision: 2 });
  expect(b).toBe(c);
  expect(b).toMatchObject({ kind: 'unchanged', revision: 2 });
  expect(applied.map((x) => x.snapshot.revision)).toEqual([2]);
  expect(current().revision).toBe(2);
});

it('an unchanged file does nothing', async () => {
  const { applied, lines } = await setup();
  expect(await reloader!.reload('SIGHUP')).toEqual({ kind: 'unchanged', revision: 1 });
  expect(applied).toEqual([]);
  expect(lines).toContain('reload (SIGHUP): configuration unchanged; still serving revision 1');
});

it('an invalid file is rejected with every error and its path, and nothing is applied', async () => {
  const { applied, current, lines } = await setup();
  write('v3', 'eighty');
  const r = await reloader!.reload('test');
  expect(r.kind).toBe('rejected');
  expect(r.kind === 'rejected' && r.message).toContain(`${file}: $.services[0].listeners[0].port`);
  expect(applied).toEqual([]);
  expect(current().revision).toBe(1);
  expect(lines.join('\n')).toContain('reload (test) rejected; still serving revision 1');
});
