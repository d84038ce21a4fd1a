/**
 * `latticed credentials` as the real binary: each format, the key file it shares with `latticed up`,
 * AWS-style errors, and real consumers of its output (boto3 and the AWS CLI via credential_process).
 */
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { buildSnapshot, loadConfigFile } from '../../src/network/index.js';
import { createCredentialResolver, loadMasterKey, MASTER_KEY_FILE, type LatticeCredential } from '../../src/iam/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/latticed.js');
const ACCOUNT = '123456789012';

const CONFIG = `
region: us-west-2
organizations:
  - id: o-myorgid
accounts:
  - id: "${ACCOUNT}"
    organizationId: o-myorgid
    orgPath: o-myorgid/r-ab12/ou-ab12-11111111/
roles:
  - roleName: order-service-role
    accountId: "${ACCOUNT}"
    maxSessionDuration: 7200
    tags: [{ Key: team, Value: orders }]
`;

/** The environment without any master key or AWS settings of the machine running the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(AWS_|LATTICED_)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

let dir: string;
let configFile: string;
let stateDir: string;

function run(args: readonly string[], env = cleanEnv(), state = stateDir) {
  const r = spawnSync(process.execPath, [BIN, 'credentials', '-f', configFile, '--state-dir', state, ...args], { cwd: dir, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function resolveWithNodeKey(accessKeyId: string, token: string, state = stateDir): Promise<LatticeCredential> {
  const snapshot = await buildSnapshot(await loadConfigFile(configFile), { revision: 1, baseDir: dir, env: {} });
  const key = await loadMasterKey({ env: {}, stateDir: state });
  const c = await createCredentialResolver(() => snapshot.iam, key)(accessKeyId, token);
  if (c === undefined) throw new Error('not resolved');
  return c;
}

beforeAll(async () => {
  dir = tempDir('credentials');
  configFile = path.join(dir, 'latticed.yaml');
  writeFileSync(configFile, CONFIG);
  stateDir = path.join(dir, 'state');
  await loadMasterKey({ env: {}, stateDir }); // as a node's first start would
}, 180_000);

// Each test spawns the real binary (1-3 s on a loaded 2-core machine).
describe('latticed credentials', { timeout: 30_000 }, () => {
  it('env: exports that resolve to the role session under the key file it created (0600 in a 0700 dir)', async () => {
    const fresh = path.join(dir, 'fresh-state');
    const r = run(['--role', 'order-service-role', '--session-name', 'orders-1', '--tag', 'env=dev', '--source-identity', 'alice'], cleanEnv(), fresh);
    expect(r.stderr).toBe(`latticed credentials: created a new master key in ${path.join(fresh, MASTER_KEY_FILE)}; start the node with the same state directory (or LATTICED_MASTER_KEY)\n`);
    expect(r.status).toBe(0);
    const vars = Object.fromEntries([...r.stdout.matchAll(/^export (AWS_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
    expect(Object.keys(vars)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
    expect(statSync(path.join(fresh, MASTER_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    const c = await resolveWithNodeKey(vars.AWS_ACCESS_KEY_ID!, vars.AWS_SESSION_TOKEN!, fresh);
    expect(c.secretAccessKey).toBe(vars.AWS_SECRET_ACCESS_KEY);
    expect(c.identity).toMatchObject({
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/orders-1`,
      orgId: 'o-myorgid',
      tags: { team: 'orders', env: 'dev' },
      sourceIdentity: 'alice',
    });
  });

  it('json: the credential_process shape, expiring after --duration', () => {
    const before = Date.now();
    const r = run(['--role', `arn:aws:iam::${ACCOUNT}:role/order-service-role`, '--duration', '900', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(''); // the node's key file exists: no note
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(j.Version).toBe(1);
    const exp = Date.parse(j.Expiration as string);
    expect(exp).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 900_000);
    expect(exp).toBeLessThanOrEqual(Date.now() + 900_000);
  });

  it('aws-profile: an ini block, named by --profile', () => {
    const r = run(['--role', 'order-service-role', '--format', 'aws-profile', '--profile', 'orders']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\[orders\]\naws_access_key_id = ASIA[A-Z2-7]{16}\naws_secret_access_key = \S{40}\naws_session_token = \S+\n$/m);
  });

  it('LATTICED_MASTER_KEY wins over the key file: a token sealed under it does not open with the file key', async () => {
    const envKey = Buffer.alloc(32, 7).toString('base64');
    const r = run(['--role', 'order-service-role', '--format', 'json'], cleanEnv({ LATTICED_MASTER_KEY: envKey }));
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { AccessKeyId: string; SessionToken: string };
    await expect(resolveWithNodeKey(j.AccessKeyId, j.SessionToken)).rejects.toMatchObject({ code: 'UnrecognizedClientException' });
  });

  it.each([
    [['--role', 'nope'], 'NoSuchEntity (--role)'],
    [['--role', 'order-service-role', '--duration', '100'], 'ValidationError (--duration)'],
    [['--role', 'order-service-role', '--duration', '7201'], 'ValidationError (--duration)'],
    [['--role', 'order-service-role', '--duration', 'soon'], 'ValidationError (--duration)'],
    [['--role', 'order-service-role', '--session-name', 'x'], 'ValidationError (--session-name)'],
    [['--role', 'order-service-role', '--source-identity', 'aws:me'], 'ValidationError (--source-identity)'],
    [['--role', 'order-service-role', '--tag', 'a=1', '--tag', 'novalue'], 'ValidationError (--tag #2)'],
    [['--role', 'order-service-role', '--tag', 'A=1', '--tag', 'a=2'], 'ValidationError (--tag #2)'],
  ])('%j fails with %s on stderr and exit 1, printing no credentials', (args, expected) => {
    const r = run(args);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`latticed credentials: ${expected}: `);
  });

  it('an invalid configuration or an unreadable key file fails with exit 1', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'region: 42\n');
    const r1 = spawnSync(process.execPath, [BIN, 'credentials', '-f', bad, '--role', 'r', '--state-dir', stateDir], { env: cleanEnv(), encoding: 'utf8' });
    expect(r1.status).toBe(1);
    expect(r1.stderr).toMatch(/ValidationException: invalid configuration/);
    const r2 = run(['--role', 'order-service-role'], cleanEnv({ LATTICED_MASTER_KEY: 'short' }));
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain('InvalidMasterKey: environment variable LATTICED_MASTER_KEY is not a 32-byte key');
  });
});

describe('credential_process interop', { timeout: 30_000 }, () => {
  function awsConfig(): string {
    const file = path.join(dir, 'aws-config');
    const cmd = `${process.execPath} ${BIN} credentials -f ${configFile} --state-dir ${stateDir} --role order-service-role --session-name interop --format json`;
    writeFileSync(file, `[profile latticed]\nregion = us-west-2\ncredential_process = ${cmd}\n`);
    return file;
  }

  it('boto3 loads the credentials through credential_process, and they resolve', async () => {
    const env = cleanEnv({ AWS_CONFIG_FILE: awsConfig(), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') });
    const py = [
      'import boto3, json',
      'c = boto3.Session(profile_name="latticed").get_credentials()',
      'f = c.get_frozen_credentials()',
      'print(json.dumps({"method": c.method, "key": f.access_key, "secret": f.secret_key, "token": f.token}))',
    ].join('\n');
    const r = spawnSync('python3', ['-c', py], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { method: string; key: string; secret: string; token: string };
    expect(out.method).toBe('custom-process');
    const c = await resolveWithNodeKey(out.key, out.token);
    expect(c.secretAccessKey).toBe(out.secret);
    expect(c.identity.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/interop`);
  });

  it('the AWS CLI resolves them through credential_process', () => {
    const env = cleanEnv({ AWS_CONFIG_FILE: awsConfig(), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') });
    // `aws configure list` resolves the credentials (it prints the source and the key's last characters).
    const r = spawnSync('aws', ['configure', 'list', '--profile', 'latticed'], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/access_key\s+\*+[A-Z2-7]{4}\s+custom-process/);
  });
});

