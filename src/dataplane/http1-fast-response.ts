/**
 * The request and response objects of the HTTP/1.1 fast path (http1-fast-path.ts): the part of
 * node:http's IncomingMessage and ServerResponse that the data plane uses, and nothing more. A
 * bodiless request is complete when it is handed over; the response head is built as one string
 * and goes out with the first body bytes, in one buffer when that chunk is small. Writes are held to
 * the end of the poll phase (end-of-poll.ts).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { Socket } from 'node:net';
import { holdUntilCheck } from './end-of-poll.js';

export class FastRequest extends EventEmitter {
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  /** A fast-path request has no body: it is whole once its headers are, and never torn down half-read. */
  readonly complete = true;
  readonly destroyed = false;

  constructor(
    readonly socket: Socket,
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string>,
    readonly rawHeaders: string[],
  ) {
    super();
  }
}

/** Node's check for a response header value (`_http_common`'s checkInvalidHeaderChar). */
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

let dateSecond = 0;
let dateHeader = '';
/** `Date`, as node:http adds it, formatted once a second. */
function date(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateHeader = new Date(now).toUTCString();
  }
  return dateHeader;
}

type HeaderValue = string | number | readonly string[];

/** A first body chunk up to this size goes out in one buffer with the head. */
const COALESCE_BYTES = 16384;
const EMPTY = Buffer.alloc(0);

export class FastResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  destroyed = false;
  writableEnded = false;
  writableFinished = false;
  /** Cleared when the connection must close after this response (shutdown, a handler's choice). */
  shouldKeepAlive = true;
  private head = '';
  private chunked = false;
  /** HEAD, 204 and 304 responses carry no body. */
  private bodyless = false;
  private trailers = '';
  private closed = false;
  private waitingDrain = false;

  constructor(
    readonly socket: Socket,
    private readonly isHead: boolean,
    private readonly keepAliveHeader: string,
    /** The connection's, called after 'close': its next request may then be read. */
    private readonly onClosed: () => void,
  ) {
    super();
  }

  writeHead(status: number, headers?: Record<string, HeaderValue>): this {
    let lines = '';
    let length = false;
    let dated = false;
    for (const name in headers) {
      const v = headers[name]!;
      if (name === 'content-length') length = true;
      else if (name === 'date') dated = true;
      if (typeof v === 'object') {
        for (const x of v) lines += headerLine(name, x);
      } else lines += headerLine(name, typeof v === 'number' ? String(v) : v);
    }
    return this.writeHeadLines(status, lines, length, dated);
  }

  /**
   * writeHead with the header lines already built (`name: value\r\n` each), from values known to be
   * valid: a target's, which llhttp parsed.
   */
  writeHeadLines(status: number, lines: string, hasLength: boolean, hasDate: boolean): this {
    if (this.headersSent) throw Object.assign(new Error('Cannot write headers after they are sent'), { code: 'ERR_HTTP_HEADERS_SENT' });
    if (!Number.isInteger(status) || status < 100 || status > 999) throw Object.assign(new RangeError(`Invalid status code: ${status}`), { code: 'ERR_HTTP_INVALID_STATUS_CODE' });
    let head = `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'unknown'}\r\n${lines}`;
    this.bodyless = this.isHead || status === 204 || status === 304 || status < 200;
    if (!hasLength && !this.bodyless) {
      this.chunked = true;
      head += 'transfer-encoding: chunked\r\n';
    }
    // As node:http: a Date the target sent is kept, else one is added.
    if (!hasDate) head += `date: ${date()}\r\n`;
    head += this.shouldKeepAlive ? this.keepAliveHeader : 'connection: close\r\n';
    this.head = `${head}\r\n`;
    this.statusCode = status;
    this.headersSent = true;
    return this;
  }

  write(chunk: Buffer | string): boolean {
    if (this.destroyed || this.writableEnded) return false;
    if (!this.headersSent) this.writeHead(this.statusCode);
    const s = this.socket;
    holdUntilCheck(s);
    const body = this.bodyless || chunk.length === 0 ? undefined : chunk;
    let ok: boolean;
    if (body === undefined) {
      if (this.head === '') return !s.writableNeedDrain;
      ok = this.flushHead();
    } else if (this.chunked) {
      s.cork();
      this.flushHead();
      s.write(`${Buffer.byteLength(body).toString(16)}\r\n`, 'latin1');
      s.write(body);
      ok = s.write('\r\n', 'latin1');
      s.uncork();
    } else if (this.head !== '' && typeof body !== 'string' && body.length <= COALESCE_BYTES) {
      // Head and a small first chunk in one buffer: one copy, one write, and no writev of a
      // string beside a buffer (which copies the string into storage of its own).
      const head = this.head;
      this.head = '';
      const out = Buffer.allocUnsafe(head.length + body.length);
      out.write(head, 0, 'latin1');
      body.copy(out, head.length);
      ok = s.write(out);
    } else {
      s.cork();
      this.flushHead();
      ok = s.write(body);
      s.uncork();
    }
    if (!ok && !this.waitingDrain) {
      this.waitingDrain = true;
      s.once('drain', this.onDrain);
    }
    return ok;
  }

  /** Trailers go out with the last chunk of a chunked response (HTTP/1.1 allows them nowhere else). */
  addTrailers(headers: Record<string, HeaderValue>): void {
    for (const name in headers) {
      const v = headers[name]!;
      if (typeof v === 'object') for (const x of v) this.trailers += headerLine(name, x);
      else this.trailers += headerLine(name, String(v));
    }
  }

  end(body?: Buffer | string): this {
    if (this.writableEnded || this.destroyed) return this;
    if (body !== undefined && body.length > 0) this.write(typeof body === 'string' ? Buffer.from(body) : body);
    else if (!this.headersSent) this.writeHead(this.statusCode);
    this.writableEnded = true;
    const s = this.socket;
    holdUntilCheck(s);
    if (this.chunked) {
      s.cork();
      this.flushHead();
      s.write(`0\r\n${this.trailers}\r\n`, 'latin1', this.onFinished);
      s.uncork();
    } else if (this.head !== '') {
      const head = this.head;
      this.head = '';
      s.write(head, 'latin1', this.onFinished);
    } else if (s.writableLength === 0) {
      // Everything is with the kernel already: finished (node:http says so after its write callback).
      process.nextTick(this.onFinished);
    } else s.write(EMPTY, this.onFinished);
    return this;
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.socket.destroy();
    this.emitClose();
    return this;
  }

  /** The connection went away before the response was done. */
  gone(): void {
    if (this.writableFinished) return;
    this.destroyed = true;
    this.emitClose();
  }

  private flushHead(): boolean {
    if (this.head === '') return !this.socket.writableNeedDrain;
    const head = this.head;
    this.head = '';
    return this.socket.write(head, 'latin1');
  }

  private readonly onDrain = (): void => {
    this.waitingDrain = false;
    this.emit('drain');
  };

  private readonly onFinished = (err?: Error | null): void => {
    if (err || this.destroyed) return;
    this.writableFinished = true;
    this.emit('finish');
    this.emitClose();
  };

  private emitClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
    this.onClosed();
  }
}

function headerLine(name: string, value: string): string {
  if (INVALID_VALUE.test(value)) throw Object.assign(new TypeError(`Invalid character in header content ["${name}"]`), { code: 'ERR_INVALID_CHAR' });
  return `${name}: ${value}\r\n`;
}
