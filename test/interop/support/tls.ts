/** A throwaway self-signed certificate for 127.0.0.1, made with the openssl CLI. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TlsFixture {
  key: string;
  cert: string;
  /** PEM file clients trust. */
  cafile: string;
  remove(): void;
}

export function makeLoopbackCertificate(): TlsFixture {
  const dir = mkdtempSync(path.join(tmpdir(), 'latticed-interop-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    cafile: certFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
