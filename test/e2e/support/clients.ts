/** The real clients the e2e tests drive: python3 botocore, curl --aws-sigv4, and @smithy signers over node:http. */
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { latticedBin, projectRoot } from './build.js';
import { REGION, USER_SECRET, USER_SECRET_ENV } from './config.js';

const run = promisify(execFile);

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** `latticed credentials --role ROLE --format json`: a role session, as a user would get one. */
export async function roleCredentials(configFile: string, stateDir: string, role: string, extra: string[] = []): Promise<Creds> {
  // The CLI validates the whole file, so it needs the same secret references as the node.
  const env = { ...process.env, [USER_SECRET_ENV]: USER_SECRET };
  const { stdout } = await run(process.execPath, [latticedBin, 'credentials', '--role', role, '--format', 'json', '-f', configFile, '--state-dir', stateDir, ...extra], { cwd: projectRoot, env });
  const j = JSON.parse(stdout) as Record<string, string>;
  return { accessKeyId: j.AccessKeyId!, secretAccessKey: j.SecretAccessKey!, sessionToken: j.SessionToken };
}

const awsEnv = (c: Creds): NodeJS.ProcessEnv => ({
  AWS_ACCESS_KEY_ID: c.accessKeyId,
  AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
  AWS_SESSION_TOKEN: c.sessionToken ?? '',
  AWS_REGION: REGION,
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
});

/** python3 botocore SigV4Auth (examples/order-inventory/client.py's signing). */
export async function botocore(creds: Creds, url: string, connect: string, opts: { method?: string; data?: string; tamper?: boolean } = {}): Promise<Reply> {
  const args = [path.join(projectRoot, 'test/e2e/support/botocore_call.py'), url, '--connect', connect, '-X', opts.method ?? 'GET'];
  if (opts.data !== undefined) args.push('-d', opts.data);
  if (opts.tamper) args.push('--tamper');
  const { stdout } = await run('python3', args, { env: { ...process.env, ...awsEnv(creds) } });
  return JSON.parse(stdout) as Reply;
}

/** curl --aws-sigv4 with a long-term IAM user key; `--resolve` maps the service name to latticed. */
export async function curlSigv4(creds: Creds, url: string, resolve: string): Promise<Reply> {
  const { stdout } = await run('curl', [
    '-s', '-i', '--resolve', resolve,
    '--aws-sigv4', `aws:amz:${REGION}:vpc-lattice-svcs`,
    '--user', `${creds.accessKeyId}:${creds.secretAccessKey}`,
    '-H', 'x-amz-content-sha256: UNSIGNED-PAYLOAD',
    url,
  ]);
  const [head, ...rest] = stdout.split('\r\n\r\n');
  const lines = head!.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(lines[0]!.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

/** Sends a request over node:http to latticed at `port`, optionally from `localAddress`. */
export function send(port: number, req: { method: string; path: string; headers: Record<string, string>; body?: string; localAddress?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers, localAddress: req.localAddress, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

export function smithySigner(creds: Creds): SignatureV4 {
  return new SignatureV4({ service: 'vpc-lattice-svcs', region: REGION, sha256: Sha256, credentials: creds });
}

/** An @smithy HttpRequest for `host` (the service name) and `path` (sent exactly as given). */
export function smithyRequest(host: string, port: number, method: string, path: string, headers: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({ method, protocol: 'http:', hostname: host, port, path, headers: { host: `${host}:${port}`, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers } });
}

/** Signs with SigV4 (headers) and sends the exact path. */
export async function sendSigned(creds: Creds, host: string, port: number, method: string, path: string, extraUnsigned: Record<string, string> = {}): Promise<Reply> {
  const signed = await smithySigner(creds).sign(smithyRequest(host, port, method, path));
  return send(port, { method, path, headers: { ...(signed.headers as Record<string, string>), ...extraUnsigned } });
}

/**
 * A role session that expired an hour ago: minted by src/iam (dist) under the node's own master key
 * with an issue time in the past, since `latticed credentials` only issues sessions that start now.
 */
export async function expiredRoleCredentials(configFile: string, stateDir: string, roleName: string, env: NodeJS.ProcessEnv): Promise<Creds> {
  const network = (await import(path.join(projectRoot, 'dist/network/index.js'))) as typeof import('../../../src/network/index.js');
  const iam = (await import(path.join(projectRoot, 'dist/iam/index.js'))) as typeof import('../../../src/iam/index.js');
  const snapshot = await network.buildSnapshot(await network.loadConfigFile(configFile), { revision: 1, baseDir: path.dirname(configFile), env });
  const role = [...snapshot.iam.roles.values()].find((r) => r.name === roleName)!;
  const masterKey = await iam.loadMasterKey({ env: {}, stateDir });
  const c = iam.mintSessionCredentials({ role, account: snapshot.iam.accounts.get(role.account)!, sessionName: 'expired', durationSeconds: 900, now: Date.now() - 3600_000 }, masterKey);
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
}
