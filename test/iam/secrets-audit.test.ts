/**
 * Security review of the identity plane's secrets (master key, secret file references, credential
 * output): regressions for what the review found.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialsText } from '../../src/cli/credentials-run.js';
import { IamValidationError, loadMasterKey, MASTER_KEY_FILE, MasterKeyError, parseMasterKey } from '../../src/iam/index.js';
import { MAX_SECRET_FILE_BYTES, readSecret } from '../../src/network/external.js';
import { Issues } from '../../src/network/issues.js';

const isRoot = process.getuid?.() === 0;
const hasMkfifo = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v mkfifo'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Resolves with the promise's outcome, or 'timed out' after ms. */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timed out'>((res) => (timer = setTimeout(() => res('timed out'), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'latticed-secrets-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('master key file', () => {
  // A node running as root reads any file; a key another user wrote (in a state directory that user
  // can write) is a key that user knows, and with it they can seal session tokens for any role.
  it.runIf(isRoot)('refuses a key file owned by another user, even with mode 0600', async () => {
    const file = path.join(dir, MASTER_KEY_FILE);
    await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    await chown(file, 4242, 4242);
    await expect(loadMasterKey({ env: {}, stateDir: dir })).rejects.toThrow(MasterKeyError);
    await expect(loadMasterKey({ env: {}, stateDir: dir })).rejects.toThrow(/owned by another user \(uid 4242\)/);
  });

  it.runIf(hasMkfifo)('refuses a FIFO planted at the key path without blocking the start', async () => {
    execFileSync('mkfifo', ['-m', '600', path.join(dir, MASTER_KEY_FILE)]);
    const outcome = await within(loadMasterKey({ env: {}, stateDir: dir }).then(() => 'loaded', (e: Error) => e.message), 2000);
    expect(outcome).toMatch(/is not a regular file/);
  });

  it('refuses an empty or truncated key file, naming the file and never echoing its content', async () => {
    const file = path.join(dir, MASTER_KEY_FILE);
    const key = randomBytes(32).toString('base64');
    await writeFile(file, key, { mode: 0o600 });
    await truncate(file, 20);
    const err = await loadMasterKey({ env: {}, stateDir: dir }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(MasterKeyError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).not.toContain(key.slice(0, 20));
    await truncate(file, 0);
    await expect(loadMasterKey({ env: {}, stateDir: dir })).rejects.toThrow(/is not a 32-byte key/);
  });

  it('never echoes a malformed LATTICED_MASTER_KEY', () => {
    const almost = randomBytes(32).toString('hex').slice(0, 62); // 31 bytes of hex
    const err = (() => {
      try {
        parseMasterKey(almost, 'environment variable LATTICED_MASTER_KEY');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(MasterKeyError);
    expect(err!.message).not.toContain(almost.slice(0, 16));
  });

  it('a created key file is 0600 whatever the umask, and holds exactly the key', async () => {
    const old = process.umask(0);
    try {
      const key = await loadMasterKey({ env: {}, stateDir: path.join(dir, 's') });
      const file = path.join(dir, 's', MASTER_KEY_FILE);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(path.join(dir, 's'))).mode & 0o777).toBe(0o700);
      expect(parseMasterKey(await readFile(file, 'utf8'), 'f').equals(key)).toBe(true);
    } finally {
      process.umask(old);
    }
  });
});

describe('secret file references', () => {
  const read = (file: string, issues: Issues) => readSecret({ file }, '$.users[0].accessKeys[0].secretAccessKey', dir, {}, issues);

  // A FIFO at a secret's path would hang `latticed validate`, the start, and (reloads run one at a
  // time) every reload after it.
  it.runIf(hasMkfifo)('refuses a FIFO instead of blocking on it', async () => {
    execFileSync('mkfifo', ['-m', '600', path.join(dir, 'secret')]);
    const issues = new Issues();
    expect(await within(read('secret', issues), 2000)).toBeUndefined();
    expect(issues.list.map((i) => i.message).join('\n')).toMatch(/is not a regular file/);
  });

  it('refuses a file larger than a secret can be, without reading it whole', async () => {
    const file = path.join(dir, 'big');
    await writeFile(file, 'A'.repeat(MAX_SECRET_FILE_BYTES + 1), { mode: 0o600 });
    const issues = new Issues();
    expect(await read('big', issues)).toBeUndefined();
    expect(issues.list[0]!.message).toMatch(/larger than/);
    expect(issues.list[0]!.message).not.toContain('AAAAAAAA');
  });

  it('reads a secret through a symbolic link (Kubernetes mounts secrets that way) and removes one trailing newline', async () => {
    const secret = randomBytes(30).toString('base64');
    await writeFile(path.join(dir, 'real'), `${secret}\n`, { mode: 0o600 });
    execFileSync('ln', ['-s', 'real', path.join(dir, 'link')]);
    const issues = new Issues();
    expect(await read('link', issues)).toBe(secret);
    expect(issues.list).toEqual([]);
  });

  it('names the file, never the value, when a secret is refused', async () => {
    const secret = 'short-but-secret';
    await writeFile(path.join(dir, 's1'), `${secret} x\n`, { mode: 0o600 });
    await writeFile(path.join(dir, 's2'), 'tiny', { mode: 0o600 });
    await writeFile(path.join(dir, 's3'), `${randomBytes(30).toString('base64')}`, { mode: 0o644 });
    const issues = new Issues();
    for (const f of ['s1', 's2', 's3', 'missing']) expect(await read(f, issues)).toBeUndefined();
    const text = issues.list.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).not.toContain('short-but');
    expect(text).not.toContain('tiny');
    expect(issues.list).toHaveLength(4);
  });
});

describe('latticed credentials --format aws-profile', () => {
  // The profile name is written inside `[...]` of an ini file the SDKs read (and botocore honours
  // credential_process there): a newline or a bracket in it would write other lines or sections.
  it.each(['x]\ncredential_process = sh -c id\n[y', 'a\rb', 'a]b', 'a[b', ''])('refuses the profile name %j', async (profile) => {
    const err = await credentialsText(
      { file: path.join(dir, 'absent.yaml'), role: 'r', format: 'aws-profile', profile, stateDir: dir },
      {},
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IamValidationError);
    expect((err as IamValidationError).field).toBe('profile');
  });
});
