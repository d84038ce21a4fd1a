/**
 * Writes held to the end of the event loop's poll phase. One poll phase handles every socket that
 * became readable together: under load, many requests (and many target responses) at once. Written
 * as each is handled, every write on loopback wakes the peer process anew, and on a virtual machine
 * each wake-up of an idle vCPU is an inter-processor interrupt that costs more than the write itself.
 * Held until the check phase (setImmediate, which runs right after the poll phase), the writes of
 * one poll phase go out back to back, and a peer woken by the first finds the rest waiting. In
 * alternating runs against the same build writing at once (BENCHMARKS.md), this gave 17–20% more
 * requests per second. The cost is the time to the end of the poll phase: microseconds.
 *
 * Netty's FlushConsolidationHandler and Seastar's output batching are the same idea.
 */
import type { Socket } from 'node:net';

let held: Socket[] = [];
let scheduled = false;
const kHeld = Symbol('latticed.heldUntilCheck');

type Holdable = Socket & { [kHeld]?: boolean };

function release(): void {
  scheduled = false;
  const sockets = held;
  held = [];
  for (const s of sockets as Holdable[]) {
    s[kHeld] = false;
    // Destroyed in between: its buffered writes were discarded with it, and uncork is a no-op.
    s.uncork();
  }
}

/**
 * Corks `socket` until the check phase of this loop iteration, once however often it is called
 * before then. Writes meanwhile are buffered by the stream (backpressure still counts them: write()
 * returns false past the high-water mark, and 'drain' follows the release).
 */
export function holdUntilCheck(socket: Socket): void {
  const s = socket as Holdable;
  if (s[kHeld] === true) return;
  s[kHeld] = true;
  s.cork();
  held.push(s);
  if (!scheduled) {
    scheduled = true;
    setImmediate(release);
  }
}

/** Calls queued to the check phase, in order; `flush()` runs them at once (before a pool closes). */
export class CheckPhaseQueue<T> {
  private queue: T[] = [];
  private scheduled = false;

  constructor(private readonly run: (item: T) => void) {}

  add(item: T): void {
    this.queue.push(item);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    const items = this.queue;
    this.queue = [];
    for (const item of items) this.run(item);
  };
}
