/**
 * The node's 32-byte master key, from which every sealing key is derived (seal.ts). It comes from
 * `LATTICED_MASTER_KEY` (base64 or hex) or from `master.key` in the state directory, created with
 * mode 0600 on first start. A key file that group or others can read, or that another user owns, is
 * refused: the key is already disclosed, and silently using it would hide that (fail closed, like ssh
 * with private keys).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { MasterKeyError } from './errors.js';
import { MASTER_KEY_FILE } from './state-dir.js';

export const MASTER_KEY_BYTES = 32;
export const MASTER_KEY_ENV = 'LATTICED_MASTER_KEY';

const HEX = /^[0-9a-fA-F]{64}$/;
// Standard or URL-safe alphabet, padding optional: 32 bytes are 43 characters plus one '='.
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/** Parses a key given as 64 hex digits or as base64 of exactly 32 bytes; `where` names its origin in errors. */
export function parseMasterKey(text: string, where: string): Buffer {
  const t = text.trim();
  if (HEX.test(t)) return Buffer.from(t, 'hex');
  if (BASE64.test(t)) {
    const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === MASTER_KEY_BYTES) return key;
  }
  throw new MasterKeyError(
    `${where} is not a ${MASTER_KEY_BYTES}-byte key: give 64 hex digits or 44 base64 characters ` +
      `(for example: openssl rand -base64 32)`,
  );
}

/** Encodes a key the way `master.key` stores it (and `LATTICED_MASTER_KEY` accepts it). */
export function formatMasterKey(key: Buffer): string {
  return key.toString('base64');
}

export interface LoadMasterKeyOptions {
  env: NodeJS.ProcessEnv;
  /** The node's state directory; created with mode 0700 when missing. */
  stateDir: string;
  /** Called with the key file's path when this call created it (first start). */
  onCreate?: (file: string) => void;
}

/** `LATTICED_MASTER_KEY` when set, else the state directory's key file, created on first use. */
export async function loadMasterKey(o: LoadMasterKeyOptions): Promise<Buffer> {
  const fromEnv = o.env[MASTER_KEY_ENV];
  if (fromEnv !== undefined) return parseMasterKey(fromEnv, `environment variable ${MASTER_KEY_ENV}`);
  await mkdir(o.stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(o.stateDir, MASTER_KEY_FILE);
  return (await readKeyFile(file)) ?? (await createKeyFile(file, o.onCreate));
}

/** A key file is 45 bytes; anything much larger is not one, and is not read whole. */
const MAX_KEY_FILE_BYTES = 1024;

async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let fh;
  try {
    // The checks below are on the opened file itself (fstat), so nothing can be swapped in between.
    // O_NOFOLLOW: a symbolic link could point anywhere, and its own mode says nothing about the
    // target's. O_NONBLOCK: a FIFO planted at the path must not hang the start.
    fh = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new MasterKeyError(`the master key file ${file} is not a regular file`);
    throw new MasterKeyError(`cannot read the master key file ${file}: ${code ?? 'error'}`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new MasterKeyError(`the master key file ${file} is not a regular file`);
    const mode = st.mode & 0o777;
    if ((mode & 0o077) !== 0 && process.platform !== 'win32') {
      throw new MasterKeyError(
        `the master key file ${file} is accessible to other users (mode ${mode.toString(8).padStart(4, '0')}); ` +
          `treat the key as disclosed: replace it (rotation: docs/identity.md), or chmod 600 it if you are sure it was not read`,
      );
    }
    // Like ssh: a key another user owns is a key that user wrote, or can rewrite (root reads any file).
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
      throw new MasterKeyError(
        `the master key file ${file} is owned by another user (uid ${st.uid}); treat the key as disclosed and ` +
          `replace it, or chown it to the user that runs latticed (uid ${uid}) if you are sure it was not`,
      );
    }
    // Too large to be a key: the same error as a malformed one, without reading it.
    const text = st.size > MAX_KEY_FILE_BYTES ? '' : await fh.readFile('utf8');
    return parseMasterKey(text, `the master key file ${file}`);
  } finally {
    await fh.close();
  }
}

/**
 * Writes a new key to a private temporary file, then links it into place: link() fails if the file
 * exists, so when several processes start at once exactly one key wins and nobody reads a half-written file.
 */
async function createKeyFile(file: string, onCreate?: (file: string) => void): Promise<Buffer> {
  const key = randomBytes(MASTER_KEY_BYTES);
  const tmp = `${file}.${randomUUID()}.tmp`;
  // 'wx' (O_EXCL) never follows a link nor opens an existing file; mode and data go through the
  // handle, and are on disk (fsync) before the name appears, so a crash cannot leave an empty key.
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.chmod(0o600); // the umask may have narrowed the mode, never widened it; be explicit anyway
    await fh.writeFile(`${formatMasterKey(key)}\n`);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await link(tmp, file);
    onCreate?.(file);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const winner = await readKeyFile(file);
    if (winner === undefined) throw new MasterKeyError(`the master key file ${file} vanished while it was being created`);
    return winner;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
