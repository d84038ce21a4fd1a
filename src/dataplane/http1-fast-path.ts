/**
 * The HTTP/1.1 fast path: plain HTTP/1.1 connections whose requests have no body are parsed here,
 * with Node's own llhttp binding (the parser node:http uses), and answered through the small
 * request and response objects of http1-fast-response.ts instead of node:http's IncomingMessage
 * and ServerResponse, which cost about a sixth of a proxied request's CPU (BENCHMARKS.md).
 *
 * Everything else goes to node:http, at a request boundary and with the request's bytes unread:
 * a request with a body, `Expect`, `Upgrade` or `CONNECT`, HTTP/1.0, `Connection: close`, a
 * repeated header name, more than 32 header lines, and anything llhttp refuses (node:http then
 * parses the same bytes and answers them as it always does). From then on node:http serves the
 * connection. Each request is parsed only once the previous response is done (pipelined requests
 * wait in the buffer, and the socket stops reading), so responses stay in order.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { FastRequest, FastResponse } from './http1-fast-response.js';

interface NodeHttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  free(): void;
  [callback: number]: unknown;
}
interface HttpCommon {
  HTTPParser: { new (): NodeHttpParser; REQUEST: number; kOnHeaders: number; kOnHeadersComplete: number; kOnBody: number; kOnMessageComplete: number };
  methods: string[];
}

// `_http_common` is not documented, but it is what node:http itself parses with; see docs/architecture.md.
const { HTTPParser, methods } = createRequire(import.meta.url)('_http_common') as HttpCommon;
const END_OF_HEAD = Buffer.from('\r\n\r\n');
const BARE_LF_END = Buffer.from('\n\n');

export interface FastPathHost {
  /** Serves one request (the data plane's handler). */
  handle(req: FastRequest, res: FastResponse): void;
  /** Gives the connection to node:http, with `unread` (a request's first byte onwards) still to parse. */
  handOver(socket: Socket, unread: Buffer | undefined): void;
  /** A request too slow to arrive: answered and logged as node:http's timeouts are. */
  timedOut(socket: Socket): void;
  /** A pipelined request whose client left before its turn: logged, never answered. */
  abandoned(socket: Socket, req: AbandonedRequest): void;
  readonly maxHeaderBytes: number;
  readonly maxHeaderCount: number;
  /** Until a request's headers must be complete. */
  readonly headersMs: number;
  readonly idleMs: number;
}

/** What the access log needs of a request that was never served. */
export interface AbandonedRequest {
  method: string;
  url: string;
  httpVersionMajor: number;
  httpVersionMinor: number;
}

export class FastConnection {
  private readonly parser: NodeHttpParser;
  private unread: Buffer | undefined = undefined;
  private response: FastResponse | undefined = undefined;
  /** Set by the parser callbacks during one execute(). */
  private parsed: FastRequest | undefined = undefined;
  private notFast = false;
  /** The request line of the last head parsed, fast or not (`lineMethod` '' before one). */
  private lineMethod = '';
  private lineUrl = '';
  private lineMajor = 1;
  private lineMinor = 1;
  private flushedUrl = '';
  /** When the connection last became idle (performance.now()), for the listener's idle sweep. */
  idleSince = performance.now();
  private headTimer: NodeJS.Timeout | undefined = undefined;
  private done = false;
  private readonly keepAliveHeader: string;

  constructor(
    readonly socket: Socket,
    private readonly host: FastPathHost,
    private readonly onEnd: (c: FastConnection) => void,
  ) {
    this.keepAliveHeader = `connection: keep-alive\r\nkeep-alive: timeout=${Math.floor(host.idleMs / 1000)}\r\n`;
    const parser = new HTTPParser();
    parser.initialize(HTTPParser.REQUEST, {}, host.maxHeaderBytes, 0);
    // More than 32 header lines come in several batches: left to node:http.
    parser[HTTPParser.kOnHeaders] = (_headers: string[], url: string) => {
      this.notFast = true;
      // The first batch carries the target; the headers-complete callback then gets none.
      if (url !== '') this.flushedUrl = url;
    };
    parser[HTTPParser.kOnHeadersComplete] = this.onHeadersComplete;
    parser[HTTPParser.kOnBody] = () => {
      this.notFast = true;
    };
    parser[HTTPParser.kOnMessageComplete] = () => undefined;
    this.parser = parser;
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
  }

  /**
   * No response in progress and no request begun: safe to close. (Idle connections are closed by the
   * listener's sweep after idleMs, rather than by a socket timeout, which Node restarts on every read
   * and write.)
   */
  get idle(): boolean {
    return this.response === undefined && this.unread === undefined;
  }

  /** Starts on the bytes the listener already read (its HTTP/2 preface check). */
  start(first: Buffer): void {
    this.onData(first);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.unread = this.unread === undefined ? chunk : Buffer.concat([this.unread, chunk]);
    if (this.response === undefined) this.next();
    // Pipelined requests wait for the response in progress; stop reading until it is done.
    else this.socket.pause();
  };

  private next(): void {
    while (this.response === undefined && !this.done) {
      const buf = this.unread;
      if (buf === undefined) return;
      const end = buf.indexOf(END_OF_HEAD);
      if (end < 0) {
        // An incomplete head: wait for the rest, unless node:http must judge it (too long, or lines
        // ended by a bare LF, which llhttp refuses and node:http answers).
        if (buf.length > this.host.maxHeaderBytes || buf.indexOf(BARE_LF_END) >= 0) return this.toNodeHttp();
        this.headTimer ??= setTimeout(this.onHeadTimeout, this.host.headersMs);
        return;
      }
      const headLength = end + 4;
      this.parsed = undefined;
      this.lineMethod = '';
      this.notFast = false;
      const result = this.parser.execute(headLength === buf.length ? buf : buf.subarray(0, headLength));
      if (typeof result !== 'number' || this.notFast) return this.toNodeHttp();
      this.unread = headLength === buf.length ? undefined : buf.subarray(headLength);
      const req = this.parsed as FastRequest | undefined;
      // Only blank lines (allowed before a request line): nothing to serve.
      if (req === undefined) continue;
      this.parsed = undefined;
      if (this.headTimer !== undefined) {
        clearTimeout(this.headTimer);
        this.headTimer = undefined;
      }
      const res = new FastResponse(this.socket, req.method === 'HEAD', this.keepAliveHeader, this.onResponseClose);
      this.response = res;
      this.host.handle(req, res);
    }
  }

  private readonly onHeadersComplete = (
    major: number,
    minor: number,
    raw: string[] | undefined,
    method: number,
    url: string | undefined,
    _status: unknown,
    _message: unknown,
    upgrade: boolean,
    keepAlive: boolean,
  ): number => {
    // One head is fed at a time: a second message inside it means llhttp ended the head before the
    // first blank line, where this file's boundary search did not. node:http decides such bytes.
    if (this.lineMethod !== '') {
      this.notFast = true;
      return 0;
    }
    this.lineMethod = methods[method]!;
    this.lineUrl = url ?? this.flushedUrl;
    this.lineMajor = major;
    this.lineMinor = minor;
    if (raw === undefined) return 0;
    if (major !== 1 || minor !== 1 || upgrade || !keepAlive || raw.length > 2 * this.host.maxHeaderCount) {
      this.notFast = true;
      return 0;
    }
    let host = false;
    const headers: Record<string, string> = {};
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase();
      // A body, an expectation or a repeated name: node:http's rules apply.
      if (headers[name] !== undefined || name === 'transfer-encoding' || name === 'expect' || (name === 'content-length' && raw[i + 1] !== '0')) {
        this.notFast = true;
        return 0;
      }
      headers[name] = raw[i + 1]!;
      if (name === 'host') host = true;
    }
    // node:http answers an HTTP/1.1 request without Host 400 itself (requireHostHeader).
    if (!host) {
      this.notFast = true;
      return 0;
    }
    this.parsed = new FastRequest(this.socket, this.lineMethod, this.lineUrl, headers, raw);
    return 0;
  };

  private readonly onResponseClose = (): void => {
    const res = this.response;
    this.response = undefined;
    if (this.done) return;
    if (res === undefined || res.destroyed || !res.shouldKeepAlive) {
      this.finish();
      if (res !== undefined && !res.destroyed) this.socket.end();
      return;
    }
    this.socket.resume();
    if (this.unread === undefined) this.idleSince = performance.now();
    this.next();
  };

  /** The connection goes to node:http, from the first byte of the request it is to parse. */
  private toNodeHttp(): void {
    const unread = this.unread;
    this.finish();
    this.host.handOver(this.socket, unread);
  }

  private readonly onHeadTimeout = (): void => {
    this.headTimer = undefined;
    if (this.done || this.response !== undefined) return;
    this.finish();
    this.host.timedOut(this.socket);
  };

  private readonly onClose = (): void => {
    const res = this.response;
    const waiting = this.waitingHeads();
    this.finish();
    res?.gone();
    for (const req of waiting) this.host.abandoned(this.socket, req);
  };

  /**
   * The requests pipelined behind the one in progress, whose client left before their turn (node:http
   * would have parsed them on arrival): each gets its record. A head only; after a request with a
   * body, what follows is that body.
   */
  private waitingHeads(): AbandonedRequest[] {
    const heads: AbandonedRequest[] = [];
    let buf = this.unread;
    while (buf !== undefined && this.response !== undefined) {
      const end = buf.indexOf(END_OF_HEAD);
      if (end < 0) break;
      this.lineMethod = '';
      this.notFast = false;
      const result = this.parser.execute(buf.subarray(0, end + 4));
      if (typeof result !== 'number') break;
      if (this.lineMethod !== '') heads.push({ method: this.lineMethod, url: this.lineUrl, httpVersionMajor: this.lineMajor, httpVersionMinor: this.lineMinor });
      if (this.notFast) break;
      buf = end + 4 === buf.length ? undefined : buf.subarray(end + 4);
    }
    return heads;
  }

  /** Detaches from the socket (closed, or handed over). */
  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.unread = undefined;
    if (this.headTimer !== undefined) clearTimeout(this.headTimer);
    this.socket.removeListener('data', this.onData);
    this.socket.removeListener('close', this.onClose);
    this.parser.free();
    this.onEnd(this);
  }
}
