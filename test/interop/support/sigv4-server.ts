/**
 * A small loopback server that authenticates every request with latticed's public SigV4 API,
 * the way an embedder would: `createVerifier` once, then per request `req.headersDistinct` (or
 * the HTTP/2 header block, with `:authority`), the raw target and the body's SHA-256.
 * 200 answers the verified identity as JSON; a SigV4Error answers its own status and code.
 */
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createH2cServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createVerifier, SigV4Error, type HeaderMap } from '../../../src/sigv4/index.js';
import { longTermKey, principalArnOf, REGION, SERVICE, sessionKey } from './keys.js';

export interface InteropServer {
  /** `http(s)://127.0.0.1:PORT`, no trailing slash. */
  origin: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Serve HTTPS with this key pair, as Lattice endpoints do. */
  tls?: { key: string; cert: string };
  /** Serve cleartext HTTP/2 (prior knowledge): no `host`, only `:authority`. */
  h2c?: boolean;
}

interface KnownCredential {
  secretAccessKey: string;
  principalArn: string;
}

const known = new Map(
  [longTermKey, sessionKey].map((key) => [key.accessKeyId, { ...key, principalArn: principalArnOf(key.accessKeyId) }]),
);

/** Long-term keys take no token; a session key needs exactly its own (STS would reject others). */
function resolve(accessKeyId: string, sessionToken: string | undefined): KnownCredential | undefined {
  const key = known.get(accessKeyId);
  if (key === undefined || key.sessionToken !== sessionToken) return undefined;
  return { secretAccessKey: key.secretAccessKey, principalArn: key.principalArn };
}

async function bodySha256(req: AsyncIterable<unknown>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of req) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

type Response = ServerResponse | Http2ServerResponse;

function reply(res: Response, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
  if (errorType !== undefined) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}

const verifier = createVerifier({ service: SERVICE, region: REGION, credentials: resolve });

async function handle(req: IncomingMessage | Http2ServerRequest, headers: HeaderMap, res: Response): Promise<void> {
  try {
    const identity = await verifier.verify({ method: req.method ?? 'GET', url: req.url ?? '/', headers, bodySha256: await bodySha256(req) });
    reply(res, 200, {
      accessKeyId: identity.accessKeyId,
      sessionToken: identity.sessionToken,
      algorithm: identity.algorithm,
      presigned: identity.presigned,
      signedHeaders: identity.signedHeaders,
      scope: identity.scope,
      principalArn: identity.credential.principalArn,
    });
  } catch (error) {
    if (error instanceof SigV4Error) {
      reply(res, error.statusCode, { __type: error.code, message: error.message }, error.code);
    } else {
      // Never expected: the interop tests fail on any 500.
      reply(res, 500, { __type: 'InternalFailure', message: String(error) });
    }
  }
}

function listen(options: ServerOptions): Server {
  if (options.h2c) {
    // HTTP/2 header blocks carry no repeated names the clients here send; node gives them as-is.
    return createH2cServer((req, res) => void handle(req, req.headers as HeaderMap, res));
  }
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => void handle(req, req.headersDistinct, res);
  return options.tls ? createHttpsServer(options.tls, onRequest) : createHttpServer(onRequest);
}

export async function startInteropServer(options: ServerOptions = {}): Promise<InteropServer> {
  const server = listen(options);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
