/**
 * One bound port. Every accepted TCP connection first passes the L3/L4 gate (source VPC, security
 * groups); a refused one is destroyed before a byte is read and logged. Then:
 *  - HTTP ports sniff the HTTP/2 connection preface, so one port serves HTTP/1.1 and h2c (gRPC);
 *  - HTTPS ports hand the socket to a TLS server with SNI certificate choice and ALPN h2/http/1.1.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { PortBinding } from '../network/snapshot.js';
import type { ResolvedSettings } from './options.js';
import { answerRaw, CONNECT_ABANDONED, EXPECTATION_FAILED, parserFailure, PIPELINED_ABANDONED } from './client-failures.js';
import { FastConnection, type FastPathHost } from './http1-fast-path.js';
import type { RequestHandler } from './request-handler.js';
import type { InboundRequest, InboundResponse } from './request-state.js';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

type Certificate = PortBinding['certificates'][number];

/** Lower-cased, without the trailing dot of an absolute name (which RFC 6066 leaves out, and some clients send). */
function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * SNI name -> certificate for one binding: exact names first, then `*.suffix` wildcards, which
 * cover exactly one label (RFC 6125 §6.4.3: `*.example.com` matches `a.example.com`, not
 * `a.b.example.com`, `example.com` or `evilexample.com`).
 */
function certificateIndex(certs: readonly Certificate[]): (name: string) => Certificate | undefined {
  const exact = new Map<string, Certificate>();
  const wildcard = new Map<string, Certificate>();
  for (const c of certs) {
    for (const n of c.serverNames) {
      const name = canonicalName(n);
      const into = name.startsWith('*.') ? wildcard : exact;
      const key = name.startsWith('*.') ? name.slice(2) : name;
      if (!into.has(key)) into.set(key, c);
    }
  }
  return (sni) => {
    const name = canonicalName(sni);
    const hit = exact.get(name);
    if (hit !== undefined) return hit;
    const dot = name.indexOf('.');
    return dot > 0 ? wildcard.get(name.slice(dot + 1)) : undefined;
  };
}

/** A bug in a request's synchronous start costs that request, never the process. */
function failed(res: { destroy(): unknown }, err: unknown): void {
  process.emitWarning(`latticed: request failed inside the data plane: ${(err as Error)?.stack ?? String(err)}`);
  try {
    res.destroy();
  } catch {
    // Already gone.
  }
}

/** For the rare entries (CONNECT, Expect): runs `run`, and contains what it throws. */
function guarded(res: { destroy(): unknown }, run: () => void): void {
  try {
    run();
  } catch (err) {
    failed(res, err);
  }
}

export class PortListener {
  private readonly tcp: net.Server;
  private readonly h1: http.Server | undefined;
  private readonly h2: http2.Http2Server | http2.Http2SecureServer;
  private readonly sockets = new Set<net.Socket>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  /** Plain HTTP/1.1 connections on the fast path (http1-fast-path.ts); undefined when it is off. */
  private readonly fastPath: FastPathHost | undefined;
  private readonly fast = new Set<FastConnection>();
  private readonly idleSweep: NodeJS.Timeout | undefined;
  private readonly secure: boolean;
  boundPort = 0;
  binding: PortBinding;
  private readonly headersMs: number;
  private certificateFor: (name: string) => Certificate | undefined;
  /**
   * One secure context per certificate of the current binding, never per SNI name: the name is the
   * client's choice, and a cache keyed by it grows (and costs a key parse) with every made-up one.
   */
  private contexts = new Map<Certificate, tls.SecureContext>();

  constructor(
    readonly port: number,
    binding: PortBinding,
    private readonly handler: RequestHandler,
    settings: ResolvedSettings,
  ) {
    this.binding = binding;
    this.certificateFor = certificateIndex(binding.certificates);
    this.secure = binding.protocol === 'HTTPS';
    const { limits, timeouts } = settings;
    this.headersMs = timeouts.headersMs;
    // Every request: no closure per call, just the try.
    const onRequest = (req: InboundRequest, res: InboundResponse) => {
      try {
        handler.handle(req, res, port, this.secure);
      } catch (err) {
        failed(res, err);
      }
    };
    // Node allows 2^32-1 concurrent streams per session by default: bound what one client may open.
    const h2settings = { maxHeaderListSize: limits.maxHeaderBytes, maxConcurrentStreams: 256 };
    if (this.secure) {
      const first = binding.certificates[0];
      this.h2 = http2.createSecureServer(
        {
          allowHTTP1: true,
          ...(first === undefined ? {} : { cert: first.cert, key: first.key }),
          SNICallback: (name, cb) => cb(null, this.contextFor(name)),
          settings: h2settings,
          maxHeaderSize: limits.maxHeaderBytes,
          handshakeTimeout: timeouts.headersMs,
        } as http2.SecureServerOptions,
        onRequest,
      );
      this.h1 = undefined;
      // HTTP/1.1 over TLS is served by this server's own HTTP/1 fallback, which takes none of the
      // options given to node:http below: without these it would allow 16 KiB of headers whatever
      // maxHeaderBytes says, and (never listening itself) enforce no header or request timeout at
      // all, so a client sending a header line just inside idleMs could hold a connection forever.
      const fallback = this.h2 as http2.Http2SecureServer & Pick<http.Server, 'headersTimeout' | 'requestTimeout' | 'maxHeadersCount'> & {
        maxHeaderSize: number;
        connectionsCheckingInterval: number;
      };
      fallback.maxHeaderSize = limits.maxHeaderBytes;
      fallback.maxHeadersCount = limits.maxHeaderCount + 1;
      fallback.headersTimeout = timeouts.headersMs;
      fallback.requestTimeout = timeouts.requestMs;
      fallback.connectionsCheckingInterval = Math.max(250, Math.min(timeouts.headersMs, timeouts.requestMs) / 4);
      // Starts the timer that enforces the two timeouts (stopped by close()).
      this.h2.emit('listening');
    } else {
      this.h2 = http2.createServer({ settings: h2settings }, onRequest);
      this.h1 = http.createServer(
        {
          maxHeaderSize: limits.maxHeaderBytes,
          requestTimeout: timeouts.requestMs,
          headersTimeout: timeouts.headersMs,
          keepAliveTimeout: timeouts.idleMs,
          // How often Node checks the two timeouts above (its default, 30 s, would make them coarse).
          connectionsCheckingInterval: Math.max(250, Math.min(timeouts.headersMs, timeouts.requestMs) / 4),
        },
        onRequest,
      );
      this.h1.maxHeadersCount = limits.maxHeaderCount + 1;
      this.h1.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => this.onClientError(err, socket));
      // The h1 server never listens itself (sockets arrive by 'connection'), but its header and
      // request timeouts are enforced by a timer Node starts on 'listening'.
      this.h1.emit('listening');
    }
    this.fastPath = this.secure || !settings.http1FastPath ? undefined : this.fastPathHost(settings);
    if (this.fastPath !== undefined) {
      const idleMs = timeouts.idleMs;
      // Keep-alive connections idle for idleMs are closed, within a quarter of it (at most 1 s late).
      this.idleSweep = setInterval(() => {
        const cutoff = performance.now() - idleMs;
        for (const c of this.fast) if (c.idle && c.idleSince < cutoff) c.socket.destroy();
      }, Math.min(1000, Math.max(50, idleMs / 4))).unref();
    }
    this.h2.on('session', (session: http2.ServerHttp2Session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => undefined);
    });
    // HTTP/1.1 over TLS is parsed by the secure server's own HTTP/1 fallback, which reports here.
    if (this.secure) this.h2.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => this.onClientError(err, socket));
    // CONNECT is not proxied (docs/compatibility.md). Left alone, Node drops an HTTP/1.1 CONNECT's
    // connection without a word and answers an HTTP/2 one 405 itself, neither with an access-log
    // record: both take the normal path instead, which answers 400 (the target is not a path).
    const onConnect = (req: InboundRequest, to: InboundResponse | Duplex) => guarded(to, () => this.onConnectMethod(req, to, onRequest));
    this.h1?.on('connect', onConnect);
    this.h2.on('connect', onConnect);
    // HTTP/2 `expect: 100-continue`: Node's own handling sends the 100 even on a stream nghttp2 has
    // already reset, and that throws out of its event emitter, taking the process down. Sent here,
    // only on a live stream. (node:http's HTTP/1.1 server sends its own 100 safely.)
    this.h2.on('checkContinue', (req: InboundRequest, res: InboundResponse) =>
      guarded(res, () => {
        if (req.httpVersionMajor !== 2 || !(req as http2.Http2ServerRequest).stream.destroyed) res.writeContinue();
        handler.handle(req, res, port, this.secure);
      }),
    );
    // An Expect other than 100-continue: Node would answer 417 itself, unlogged.
    const onExpectation = (req: InboundRequest, res: InboundResponse) => guarded(res, () => handler.reject(req, res, port, this.secure, EXPECTATION_FAILED));
    this.h1?.on('checkExpectation', onExpectation);
    this.h2.on('checkExpectation', onExpectation);
    this.h2.on('sessionError', () => undefined);
    this.h2.on('tlsClientError', () => undefined);
    this.h2.setTimeout(timeouts.idleMs);
    // TCP_NODELAY, as node:http's own servers (and nginx, Envoy) set it: with Nagle on, a response's
    // last small segment waits for the client's delayed ACK (up to 40 ms on Linux).
    this.tcp = net.createServer({ noDelay: true }, (socket) => this.onConnection(socket));
    this.tcp.on('error', () => undefined);
  }

  private fastPathHost({ limits, timeouts }: ResolvedSettings): FastPathHost {
    const port = this.port;
    const handler = this.handler;
    return {
      handle: (req, res) => {
        try {
          handler.handle(req as unknown as InboundRequest, res as unknown as InboundResponse, port, false);
        } catch (err) {
          failed(res, err);
        }
      },
      handOver: (socket, unread) => this.toNodeHttp1(socket, unread),
      abandoned: (socket, req) => handler.clientError(socket, port, false, PIPELINED_ABANDONED, req as InboundRequest),
      timedOut: (socket) => this.onClientError(Object.assign(new Error('request headers timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket),
      maxHeaderBytes: limits.maxHeaderBytes,
      maxHeaderCount: limits.maxHeaderCount,
      headersMs: Math.min(timeouts.headersMs, timeouts.requestMs),
      idleMs: timeouts.idleMs,
    };
  }

  /** Certificates come from the current binding, so a swap that changes them needs no rebind. */
  update(binding: PortBinding): void {
    this.binding = binding;
    this.certificateFor = certificateIndex(binding.certificates);
    this.contexts = new Map();
    // The server's own context serves clients that send no SNI (SNICallback is not called for
    // them): it must follow the binding's first certificate too.
    const first = binding.certificates[0];
    if (this.secure && first !== undefined) (this.h2 as http2.Http2SecureServer).setSecureContext({ cert: first.cert, key: first.key });
  }

  private contextFor(name: string): tls.SecureContext | undefined {
    const match = this.certificateFor(name) ?? this.binding.certificates[0];
    if (match === undefined) return undefined;
    let ctx = this.contexts.get(match);
    if (ctx === undefined) {
      ctx = tls.createSecureContext({ cert: match.cert, key: match.key });
      this.contexts.set(match, ctx);
    }
    return ctx;
  }

  private onConnection(socket: net.Socket): void {
    socket.on('error', () => undefined);
    const info = this.handler.gate(socket, this.port, this.secure);
    if (info.refused !== undefined) {
      socket.destroy();
      this.handler.logRefused(info);
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    if (this.secure) {
      this.h2.emit('connection', socket);
      return;
    }
    this.sniff(socket);
  }

  /** Reads just enough to tell the HTTP/2 preface from an HTTP/1.x request line. */
  private sniff(socket: net.Socket): void {
    let buffered: Buffer | undefined;
    // A client that connects and sends nothing (or half a preface) is cut after the headers timeout.
    const onTimeout = () => socket.destroy();
    socket.setTimeout(this.headersMs, onTimeout);
    const onData = (chunk: Buffer) => {
      buffered = buffered === undefined ? chunk : Buffer.concat([buffered, chunk]);
      const n = Math.min(buffered.length, PREFACE.length);
      const prefix = buffered.subarray(0, n).equals(PREFACE.subarray(0, n));
      if (prefix && n < PREFACE.length) return; // could still be HTTP/2: wait for more
      socket.removeListener('data', onData);
      socket.setTimeout(0);
      socket.removeListener('timeout', onTimeout);
      socket.pause();
      if (!prefix && this.fastPath !== undefined) {
        const c = new FastConnection(socket, this.fastPath, (done) => this.fast.delete(done));
        this.fast.add(c);
        c.start(buffered!);
        socket.resume();
        return;
      }
      if (prefix) {
        socket.unshift(buffered);
        this.h2.emit('connection', socket);
      } else this.toNodeHttp1(socket, buffered);
    };
    socket.on('data', onData);
  }

  /** node:http's HTTP/1.1 server takes the connection, with `unread` still to parse. */
  private toNodeHttp1(socket: net.Socket, unread: Buffer | undefined): void {
    socket.pause();
    if (unread !== undefined) socket.unshift(unread);
    this.h1!.emit('connection', socket);
    socket.resume();
  }

  private onConnectMethod(req: InboundRequest, to: InboundResponse | Duplex, onRequest: (req: InboundRequest, res: InboundResponse) => void): void {
    if (req.httpVersionMajor === 2) {
      onRequest(req, to as InboundResponse);
      return;
    }
    // HTTP/1.1: Node has detached its parser and hands over the bare socket, so the response is
    // built here, and the connection ends with it.
    const socket = to as net.Socket;
    // Pipelined behind a response still being written: answered in its turn, once that one is done.
    const pending = this.handler.pendingResponse(socket);
    if (pending !== undefined) {
      pending.once('close', () => guarded(socket, () => this.onConnectMethod(req, socket, onRequest)));
      return;
    }
    if (socket.destroyed) {
      // The client left before its turn came: logged, with nothing to answer.
      this.handler.clientError(socket, this.port, this.secure, CONNECT_ABANDONED, req);
      return;
    }
    const res = new http.ServerResponse(req as http.IncomingMessage);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once('finish', () => socket.end());
    onRequest(req, res);
  }

  private onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // Every request gets its one record: the one in flight (a bad or stalled body) or a new one.
    const failure = parserFailure(err.code ?? '');
    if (this.handler.clientError(socket as net.Socket, this.port, this.secure, failure)) answerRaw(socket, failure);
    else socket.destroy();
  }

  /** Closes the keep-alive connections with no request in progress, on either HTTP/1.1 path. */
  private closeIdle(): void {
    this.h1?.closeIdleConnections();
    for (const c of this.fast) if (c.idle) c.socket.destroy();
  }

  listen(address: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.tcp.once('error', onError);
      this.tcp.listen({ host: address, port, exclusive: false }, () => {
        this.tcp.removeListener('error', onError);
        const addr = this.tcp.address();
        this.boundPort = typeof addr === 'object' && addr !== null ? addr.port : port;
        resolve(this.boundPort);
      });
    });
  }

  /** Stops accepting, lets in-flight requests finish, and cuts whatever is left after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    if (this.idleSweep !== undefined) clearInterval(this.idleSweep);
    this.closeIdle();
    for (const session of this.sessions) session.close();
    const deadline = Date.now() + graceMs;
    // Idle keep-alive sockets of HTTP/1.1 over TLS cannot be closed selectively: once no request is
    // in flight anywhere, whatever is left is idle and is cut.
    while (this.sockets.size > 0 && Date.now() < deadline && this.handler.inFlight > 0) {
      this.closeIdle();
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const socket of this.sockets) socket.destroy();
    for (const session of this.sessions) session.destroy();
    // Stops the HTTP/1 timeout timer (h1, or the TLS server's fallback); "not running" is expected.
    this.h1?.close(() => undefined);
    if (this.secure) this.h2.close(() => undefined);
    await closed;
  }
}
