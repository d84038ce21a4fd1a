import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { CheckPhaseQueue, holdUntilCheck } from '../../src/dataplane/end-of-poll.js';
import { Upstreams } from '../../src/dataplane/upstreams.js';
import { resolveSettings } from '../../src/dataplane/options.js';
import type { Snapshot } from '../../src/network/snapshot.js';
import { targetGroupRuntime } from './fixture.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

const checkPhase = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A connected socket pair on loopback: what the client end receives, and the server end to write on. */
async function socketPair(): Promise<{ writer: net.Socket; received: () => string }> {
  let got = '';
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const client = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
  client.setEncoding('latin1').on('data', (d: string) => (got += d));
  const writer = await accepted;
  cleanup.push(() => {
    client.destroy();
    writer.destroy();
    server.close();
  });
  return { writer, received: () => got };
}

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

describe('holdUntilCheck', () => {
  it('holds every write of the current poll phase until the check phase, then sends them together, in order', async () => {
    const a = await socketPair();
    const b = await socketPair();
    holdUntilCheck(a.writer);
    a.writer.write('one ');
    holdUntilCheck(b.writer);
    b.writer.write('x');
    holdUntilCheck(a.writer); // a second hold in the same phase is the same hold
    a.writer.write('two');
    expect(a.writer.writableCorked).toBe(1);
    expect(a.writer.writableLength).toBe(7);
    expect(b.writer.writableLength).toBe(1);
    await checkPhase();
    expect(a.writer.writableCorked).toBe(0);
    expect(b.writer.writableCorked).toBe(0);
    await until(() => a.received() === 'one two' && b.received() === 'x');
    expect([a.received(), b.received()]).toEqual(['one two', 'x']);
    // The next poll phase holds again.
    holdUntilCheck(a.writer);
    a.writer.write('!');
    expect(a.writer.writableLength).toBe(1);
    await checkPhase();
    await until(() => a.received() === 'one two!');
    expect(a.received()).toBe('one two!');
  });

  it('keeps backpressure: a held write past the high-water mark returns false, and drain follows the release', async () => {
    const a = await socketPair();
    holdUntilCheck(a.writer);
    const ok = a.writer.write(Buffer.alloc(a.writer.writableHighWaterMark + 1, 0x61));
    expect(ok).toBe(false);
    await new Promise<void>((resolve) => a.writer.once('drain', resolve));
    await until(() => a.received().length === a.writer.writableHighWaterMark + 1);
    expect(a.received().length).toBe(a.writer.writableHighWaterMark + 1);
  });

  it('lets a socket destroyed while held go quietly (its writes are dropped with it)', async () => {
    const a = await socketPair();
    holdUntilCheck(a.writer);
    a.writer.write('lost');
    a.writer.destroy();
    await checkPhase();
    expect(a.writer.destroyed).toBe(true);
  });
});

describe('CheckPhaseQueue', () => {
  it('runs what was added in the check phase, in order, and flush() runs it at once', async () => {
    const ran: number[] = [];
    const q = new CheckPhaseQueue<number>((n) => ran.push(n));
    q.add(1);
    q.add(2);
    expect(ran).toEqual([]);
    await checkPhase();
    expect(ran).toEqual([1, 2]);
    q.add(3);
    q.flush();
    expect(ran).toEqual([1, 2, 3]);
    await checkPhase();
    expect(ran).toEqual([1, 2, 3]);
  });
});

describe('Upstreams.dispatchSoon', () => {
  const { limits, timeouts } = resolveSettings({} as Snapshot, {});

  /** A handler that resolves with the status and body, or the error. */
  function collect(): { handler: Dispatcher.DispatchHandler; done: Promise<{ status?: number; body?: string; error?: Error }> } {
    let status: number | undefined;
    let body = '';
    let settle!: (v: { status?: number; body?: string; error?: Error }) => void;
    const done = new Promise<{ status?: number; body?: string; error?: Error }>((r) => (settle = r));
    const handler: Dispatcher.DispatchHandler = {
      onConnect: () => undefined,
      onHeaders: (s) => ((status = s), true),
      onData: (c) => ((body += c.toString()), true),
      onComplete: () => settle({ status, body }),
      onError: (error) => settle({ error }),
    };
    return { handler, done };
  }

  /** A request to a new target, queued by dispatchSoon and not yet sent (the check phase is still to come). */
  async function waitingRequest(respond: http.RequestListener): Promise<{ upstreams: Upstreams; done: ReturnType<typeof collect>['done'] }> {
    const server = http.createServer(respond);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => server.close());
    const group = targetGroupRuntime({ id: 'g', port: (server.address() as AddressInfo).port });
    const upstreams = new Upstreams(limits, timeouts);
    const { handler, done } = collect();
    upstreams.dispatchSoon(upstreams.pool(group, group.targets[0]!), { path: '/', method: 'GET', headers: {} }, handler);
    return { upstreams, done };
  }

  it('a request still waiting for the check phase when its target leaves the snapshot is sent before the pool closes', async () => {
    const { upstreams, done } = await waitingRequest((_req, res) => res.end('served'));
    // The swap runs in the same poll phase, before the check phase: the target is gone from it.
    upstreams.reconcile({ targetGroups: new Map() } as unknown as Snapshot);
    expect(await done).toEqual({ status: 200, body: 'served' });
    await upstreams.close(1000);
  });

  it('a request waiting for the check phase at shutdown is sent, and close() waits for it', async () => {
    const { upstreams, done } = await waitingRequest((_req, res) => setTimeout(() => res.end('late'), 50));
    await upstreams.close(5000);
    expect(await done).toEqual({ status: 200, body: 'late' });
  });
});
