/**
 * One request forwarded over HTTP/1.1, as an undici dispatch handler: the target's response is
 * written straight into the client's, chunk by chunk, with backpressure both ways (undici pauses
 * its parser while the client's response is full, and pulls the request body as the target takes
 * it). `Pool.stream()` does the same through a Writable wrapper, an async resource and
 * `stream.finished()`; dispatching directly saves that per-request machinery.
 */
import type { ServerResponse } from 'node:http';
import { util as undiciUtil, type Dispatcher, type Pool } from 'undici';
import { FastResponse } from './http1-fast-response.js';
import { connectionNamed, RESPONSE_DROPPED } from './inbound-headers.js';
import type { RequestState } from './request-state.js';
import { failUpstream } from './upstream-errors.js';
import type { Upstreams } from './upstreams.js';

const { headerNameToString } = undiciUtil;

/** The target's raw response headers, minus hop-by-hop ones, plus latticed's x-amzn-requestid. */
export function responseHeaders(raw: readonly (Buffer | string)[], requestId: string): Record<string, string | string[]> {
  const out = headerObject(raw);
  out['x-amzn-requestid'] = requestId;
  return out;
}

/**
 * Raw name/value pairs as Node's header object (repeated names as arrays), minus hop-by-hop ones:
 * the fixed list, and those the target's own `Connection` header names.
 */
function headerObject(raw: readonly (Buffer | string)[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  let connection: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = headerNameToString(raw[i]!);
    const value = raw[i + 1]!.toString('latin1');
    if (RESPONSE_DROPPED.has(name)) {
      if (name === 'connection') connection = connection === undefined ? value : `${connection},${value}`;
      continue;
    }
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (typeof prev === 'string') out[name] = [prev, value];
    else prev.push(value);
  }
  const named = connectionNamed(connection);
  if (named !== undefined) for (const n of named) delete out[n];
  return out;
}

/**
 * The fast path's response (http1-fast-response.ts) takes the head as lines, with no header object
 * in between: the same headers as responseHeaders. A target's `Connection` that names more headers
 * to drop (rare) takes the object path.
 */
function writeFastHead(res: FastResponse, statusCode: number, raw: readonly Buffer[], requestId: string): void {
  let lines = '';
  let length = false;
  let dated = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = headerNameToString(raw[i]!);
    if (RESPONSE_DROPPED.has(name)) {
      if (name === 'connection' && connectionNamed(raw[i + 1]!.toString('latin1')) !== undefined) {
        res.writeHead(statusCode, responseHeaders(raw, requestId));
        return;
      }
      continue;
    }
    if (name === 'x-amzn-requestid') continue;
    if (name === 'content-length') length = true;
    else if (name === 'date') dated = true;
    lines += `${name}: ${raw[i + 1]!.toString('latin1')}\r\n`;
  }
  res.writeHeadLines(statusCode, `${lines}x-amzn-requestid: ${requestId}\r\n`, length, dated);
}

const clientGoneError = (): Error => Object.assign(new Error('client went away'), { code: 'LATTICED_CLIENT_GONE' });

export class Http1Relay implements Dispatcher.DispatchHandler {
  private abortUpstream: ((err?: Error) => void) | undefined = undefined;
  private resumeUpstream: (() => void) | undefined = undefined;
  private done = false;
  private readonly res: ServerResponse | FastResponse;
  /** When the first 1xx arrived: undici restarts its headers timeout on each one. */
  private informationalSince = 0;

  constructor(
    private readonly s: RequestState,
    private readonly responseMs: number,
  ) {
    this.res = s.res as ServerResponse | FastResponse;
  }

  /** The client went away first: stop reading from the target (undici closes that connection). */
  cancel(): void {
    if (this.done) return;
    this.done = true;
    this.abortUpstream?.(clientGoneError());
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortUpstream = abort;
    // The client left while the request waited for a pooled connection: do not send it at all.
    if (this.done) abort(clientGoneError());
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void): boolean {
    // 1xx informational responses are not relayed (Node answers the client's Expect itself), but
    // a target that sends nothing else is timed out like one that sends nothing at all.
    if (statusCode < 200) {
      const now = performance.now();
      if (this.informationalSince === 0) this.informationalSince = now;
      else if (now - this.informationalSince > this.responseMs) this.abortUpstream?.(Object.assign(new Error('only 1xx responses'), { code: 'LATTICED_UPSTREAM_TIMEOUT' }));
      return true;
    }
    const s = this.s;
    s.responseAt = performance.now();
    const res = this.res;
    if (res.destroyed) return true;
    // A status the client's protocol cannot carry (HTTP/2: 600 or more) throws here; undici then
    // calls onError, which answers 502.
    if (res instanceof FastResponse) writeFastHead(res, statusCode, raw, s.requestId);
    else res.writeHead(statusCode, responseHeaders(raw, s.requestId));
    this.resumeUpstream = resume;
    return true;
  }

  onData(chunk: Buffer): boolean {
    const res = this.res;
    if (res.destroyed) return true;
    this.s.bodyBytesOut += chunk.length;
    if (res.write(chunk)) return true;
    res.once('drain', this.resumeUpstream!);
    return false;
  }

  onComplete(trailers: readonly (Buffer | string)[] | null): void {
    this.done = true;
    const res = this.res;
    if (res.destroyed) return;
    // Node sends trailers only on a chunked response, as HTTP/1.1 allows.
    if (trailers !== null && trailers.length > 0) res.addTrailers(headerObject(trailers));
    res.end();
  }

  onError(err: Error): void {
    if (this.done) return;
    this.done = true;
    failUpstream(this.s, err);
  }
}

export function dispatchHttp1(upstreams: Upstreams, pool: Pool, s: RequestState, headers: Record<string, string | string[]>, body: RequestState['req'] | null): Http1Relay {
  const relay = new Http1Relay(s, upstreams.timeouts.upstreamResponseMs);
  const options: Dispatcher.DispatchOptions = { path: s.path + s.query, method: s.req.method as Dispatcher.HttpMethod, headers, body: body as Dispatcher.DispatchOptions['body'] };
  // A body is a stream that may fail at any time: undici must be listening to it from the start.
  if (body === null) upstreams.dispatchSoon(pool, options, relay);
  else pool.dispatch(options, relay);
  return relay;
}
