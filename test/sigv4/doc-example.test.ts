/**
 * Runs the node:http example of docs/sigv4.md exactly as written (the import pointed at the
 * source), and calls it with the SDK signer, with real curl --aws-sigv4, tampered and unsigned.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from './support/vectors.js';
import { KEY, signV4, withHeaders } from './support/sign.js';
import type { SignedRequest } from '../../src/sigv4/index.js';

const doc = readFileSync(path.join(projectRoot, 'docs/sigv4.md'), 'utf8');
const code = /## Example[^\n]*\n[\s\S]*?```js\n([\s\S]*?)```/.exec(doc)![1]!;
const dir = mkdtempSync(path.join(tmpdir(), 'sigv4-doc-'));
let server: Server;
let port: number;

beforeAll(async () => {
  const file = path.join(dir, 'sigv4-server.mjs');
  writeFileSync(file, code.replace("'latticed/sigv4'", JSON.stringify(path.join(projectRoot, 'src/sigv4/index.ts'))));
  const saved = process.env.PORT;
  process.env.PORT = '0';
  try {
    ({ server } = (await import(file)) as { server: Server });
  } finally {
    if (saved === undefined) delete process.env.PORT;
    else process.env.PORT = saved;
  }
  if (!server.listening) await new Promise((ready) => server.once('listening', ready));
  port = (server.address() as { port: number }).port;
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function send(r: SignedRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) headers[k] = typeof v === 'string' || v.length !== 1 ? (v as string | string[]) : v[0]!;
    const req = httpRequest({ host: '127.0.0.1', port, method: r.method, path: r.url, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('docs/sigv4.md node:http example', () => {
  it('answers a request signed by the AWS SDK with the identity', async () => {
    const r = await signV4({ path: '/hello', query: { a: 'b' } }, { at: Date.now() });
    const reply = await send(r);
    expect(reply).toEqual({ status: 200, body: JSON.stringify({ principal: 'arn:aws:iam::111122223333:user/demo', algorithm: 'AWS4-HMAC-SHA256' }) });
  });

  it('refuses a tampered request with 403 and the AWS code', async () => {
    const r = await signV4({ path: '/hello' }, { at: Date.now() });
    const reply = await send(withHeaders(r, { host: 'other.example' }));
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body)).toMatchObject({ __type: 'InvalidSignatureException' });
  });

  it('refuses an unsigned request', async () => {
    const reply = await send({ method: 'GET', url: '/hello', headers: {} });
    expect([reply.status, JSON.parse(reply.body).__type]).toEqual([403, 'MissingAuthenticationTokenException']);
  });

  it('answers the curl command the page shows', async () => {
    // Async: the server runs in this process, so a blocking child would deadlock it.
    const { stdout: out } = await promisify(execFile)(
      'curl',
      ['-s', '--aws-sigv4', 'aws:amz:us-west-2:vpc-lattice-svcs', '--user', `${KEY.accessKeyId}:${KEY.secretAccessKey}`, '-H', 'x-amz-content-sha256: UNSIGNED-PAYLOAD', `http://127.0.0.1:${port}/hello`],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual({ principal: 'arn:aws:iam::111122223333:user/demo', algorithm: 'AWS4-HMAC-SHA256' });
  });
});
