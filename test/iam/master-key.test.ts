import { mkdtemp, mkdir, readFile, rm, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMasterKey, MASTER_KEY_FILE, MasterKeyError, parseMasterKey } from '../../src/iam/index.js';

describe('parseMasterKey', () => {
  const raw = randomBytes(32);

  it('accepts 64 hex digits (either case) and base64 (standard or url-safe, padded or not)', () => {
    expect(parseMasterKey(raw.toString('hex'), 'x').equals(raw)).toBe(true);
    expect(parseMasterKey(raw.toString('hex').toUpperCase(), 'x').equals(raw)).toBe(true);
    expect(parseMasterKey(raw.toString('base64'), 'x').equals(raw)).toBe(true);
    expect(parseMasterKey(raw.toString('base64url'), 'x').equals(raw)).toBe(true);
    expect(parseMasterKey(`  ${raw.toString('base64')}\n`, 'x').equals(raw)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['16 bytes of hex', randomBytes(16).toString('hex')],
    ['33 bytes of base64', randomBytes(33).toString('base64')],
    ['31 bytes of base64', randomBytes(31).toString('base64')],
    ['63 hex digits', randomBytes(32).toString('hex').slice(1)],
    ['a passphrase', 'correct horse battery staple correct horse battery'],
    ['base64 with a stray character', `${randomBytes(32).toString('base64').slice(0, 42)}!=`],
  ])('rejects %s with a clear MasterKeyError naming its origin', (_name, text) => {
    expect(() => parseMasterKey(text, 'environment variable LATTICED_MASTER_KEY')).toThrow(MasterKeyError);
    expect(() => parseMasterKey(text, 'environment variable LATTICED_MASTER_KEY')).toThrow(/LATTICED_MASTER_KEY is not a 32-byte key/);
  });
});

describe('loadMasterKey', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'latticed-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prefers LATTICED_MASTER_KEY and then writes no file', async () => {
    const raw = randomBytes(32);
    const key = await loadMasterKey({ env: { LATTICED_MASTER_KEY: raw.toString('hex') }, stateDir: path.join(dir, 's') });
    expect(key.equals(raw)).toBe(true);
    await expect(stat(path.join(dir, 's'))).rejects.toThrow(/ENOENT/);
  });

  it('fails closed on an invalid LATTICED_MASTER_KEY instead of falling back to the file', async () => {
    await expect(loadMasterKey({ env: { LATTICED_MASTER_KEY: 'short' }, stateDir: dir })).rejects.toThrow(MasterKeyError);
  });

  it('creates the state dir 0700 and a 0600 key file on first start, and reads the same key afterwards', async () => {
    const stateDir = path.join(dir, 'a', 'state');
    const created: string[] = [];
    const first = await loadMasterKey({ env: {}, stateDir, onCreate: (f) => created.push(f) });
    expect(first.length).toBe(32);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    const file = path.join(stateDir, MASTER_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(parseMasterKey(await readFile(file, 'utf8'), 'file').equals(first)).toBe(true);
    expect((await loadMasterKey({ env: {}, stateDir, onCreate: (f) => created.push(f) })).equals(first)).toBe(true);
    expect(created).toEqual([file]);
  });

  it('gives every concurrent first start the same key', async () => {
    let created = 0;
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadMasterKey({ env: {}, stateDir: dir, onCreate: () => created++ })));
    for (const k of keys) expect(k.equals(keys[0]!)).toBe(true);
    expect(created).toBe(1);
  });

  it.each([0o640, 0o604, 0o644, 0o660])('refuses a key file with mode %o', async (mode) => {
    const file = path.join(dir, MASTER_KEY_FILE);
    await writeFile(file, randomBytes(32).toString('base64'));
    await chmod(file, mode);
    await expect(loadMasterKey({ env: {}, stateDir: dir })).rejects.toThrow(/accessible to other users/);
  });

  it('refuses a symbolic link, a directory and a malformed key file', async () => {
    const target = path.join(dir, 'elsewhere');
    await writeFile(target, randomBytes(32).toString('base64'), { mode: 0o600 });
    await symlink(target, path.join(dir, MASTER_KEY_FILE));
    await expect(loadMasterKey({ env: {}, stateDir: dir })).rejects.toThrow(/not a regular file/);

    const d2 = path.join(dir, 'd2');
    await mkdir(path.join(d2, MASTER_KEY_FILE), { recursive: true });
    await expect(loadMasterKey({ env: {}, stateDir: d2 })).rejects.toThrow(/not a regular file/);

    const d3 = path.join(dir, 'd3');
    await mkdir(d3);
    await writeFile(path.join(d3, MASTER_KEY_FILE), 'not a key', { mode: 0o600 });
    await expect(loadMasterKey({ env: {}, stateDir: d3 })).rejects.toThrow(/is not a 32-byte key/);
  });
});
