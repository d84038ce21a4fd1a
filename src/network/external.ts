/**
 * Material the configuration refers to rather than contains: secret access keys (environment
 * variables or files) and TLS certificates (PEM files). Read when a snapshot is built, never at
 * request time. Errors name the path in the configuration and the variable or file, never a value.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SecretRef } from './config-types.js';
import type { Issues } from './issues.js';

/** Secrets shorter than this are refused: a guessable secret makes every signature forgeable. */
export const MIN_SECRET_LENGTH = 16;
/** A secret file holds one secret; a larger file is refused before it is read. */
export const MAX_SECRET_FILE_BYTES = 4096;

export async function readSecret(
  ref: SecretRef,
  path: string,
  baseDir: string,
  env: NodeJS.ProcessEnv,
  issues: Issues,
): Promise<string | undefined> {
  let value: string | undefined;
  if (ref.env !== undefined) {
    value = env[ref.env];
    if (value === undefined || value === '') {
      issues.add(`${path}.env`, `environment variable ${ref.env} is not set`);
      return undefined;
    }
  } else {
    const file = resolve(baseDir, ref.file);
    let fh;
    try {
      // Symbolic links are followed (Kubernetes mounts secrets through them); the checks are on the
      // opened file (fstat). O_NONBLOCK: opening a FIFO must not hang validation, start or reload.
      fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
      const st = await fh.stat();
      if (!st.isFile()) {
        issues.add(`${path}.file`, `${file} is not a regular file`);
        return undefined;
      }
      // Like ssh with private keys: a secret other users can read is already disclosed.
      const mode = st.mode & 0o777;
      if ((mode & 0o077) !== 0 && process.platform !== 'win32') {
        issues.add(`${path}.file`, `${file} is accessible to other users (mode ${mode.toString(8)}); chmod 600 it`);
        return undefined;
      }
      if (st.size > MAX_SECRET_FILE_BYTES) {
        issues.add(`${path}.file`, `${file} is larger than ${MAX_SECRET_FILE_BYTES} bytes; a secret file holds one secret`);
        return undefined;
      }
      value = (await fh.readFile('utf8')).replace(/\r?\n$/, '');
    } catch (e) {
      issues.add(`${path}.file`, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      return undefined;
    } finally {
      await fh?.close();
    }
  }
  const where = ref.env !== undefined ? `environment variable ${ref.env}` : `file ${ref.file}`;
  const at = ref.env !== undefined ? `${path}.env` : `${path}.file`;
  if (value.length < MIN_SECRET_LENGTH) {
    issues.add(at, `the secret in ${where} is shorter than ${MIN_SECRET_LENGTH} characters`);
    return undefined;
  }
  if (/\s/.test(value)) {
    issues.add(at, `the secret in ${where} contains white space`);
    return undefined;
  }
  return value;
}

export interface CertificatePair {
  cert: string;
  key: string;
}

export async function readCertificate(
  files: { certFile: string; keyFile: string },
  path: string,
  baseDir: string,
  issues: Issues,
): Promise<CertificatePair | undefined> {
  const read = async (name: 'certFile' | 'keyFile') => {
    const file = resolve(baseDir, files[name]);
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      issues.add(`${path}.${name}`, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      return undefined;
    }
  };
  const [cert, key] = await Promise.all([read('certFile'), read('keyFile')]);
  if (cert === undefined || key === undefined) return undefined;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    issues.add(`${path}.certFile`, `${files.certFile} is not a PEM certificate`);
    return undefined;
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) {
      issues.add(`${path}.keyFile`, `${files.keyFile} is not the private key of ${files.certFile}`);
      return undefined;
    }
  } catch {
    issues.add(`${path}.keyFile`, `${files.keyFile} is not a PEM private key`);
    return undefined;
  }
  return { cert, key };
}
