/** `curl --aws-sigv4`, spawned for each request, exactly as a user would type it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REGION, SERVICE, type ClientCredentials } from './keys.js';
import { UNSIGNED_PAYLOAD, type InteropRequest } from './requests.js';
import { parseReply, type Reply } from './send.js';

const run = promisify(execFile);

export const curlSigV4 = (origin: string, request: InteropRequest, credentials: ClientCredentials): Promise<Reply> =>
  curlSigV4For(REGION, origin, request, credentials);

/** Over cleartext HTTP/2: curl signs `host`, and sends it as `:authority`. */
export const curlSigV4Http2 = (origin: string, request: InteropRequest, credentials: ClientCredentials): Promise<Reply> =>
  curlSigV4For(REGION, origin, request, credentials, ['--http2-prior-knowledge']);

/** Signs for `region`, so tests can sign for the wrong one. */
export async function curlSigV4For(
  region: string,
  origin: string,
  request: InteropRequest,
  credentials: ClientCredentials,
  extraArgs: readonly string[] = [],
): Promise<Reply> {
  const headers: Record<string, string> = { ...request.headers, ...UNSIGNED_PAYLOAD };
  if (credentials.sessionToken !== undefined) headers['x-amz-security-token'] = credentials.sessionToken;
  const args = [
    ...extraArgs,
    '--silent',
    '--show-error',
    '--aws-sigv4',
    `aws:amz:${region}:${SERVICE}`,
    '--user',
    `${credentials.accessKeyId}:${credentials.secretAccessKey}`,
    '--request',
    request.method,
    ...Object.entries(headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
    ...(request.body === undefined ? [] : ['--data-binary', request.body]),
    '--write-out',
    '\n%{http_code}',
    `${origin}${request.target}`,
  ];
  const { stdout } = await run('curl', args);
  const cut = stdout.lastIndexOf('\n');
  return parseReply(Number(stdout.slice(cut + 1)), stdout.slice(0, cut));
}
