/**
 * The access-log file sink: one JSON line per record, written through sonic-boom's asynchronous
 * writer (never blocks the request path), optionally mirrored to stdout.
 *
 * Records are encoded straight into a batch buffer, which goes to sonic-boom whole when full, on the
 * flush timer, and on flush and close. Handing sonic-boom one small Buffer per record instead held
 * each until its batch was written: in the proxy that cost ~10 µs of CPU per request (GC and
 * copies; BENCHMARKS.md, run M). sonic-boom keeps what it does well: the descriptor, the write queue,
 * partial writes and retries, the memory bound, and close.
 */
import sonicBoom from 'sonic-boom';
import type { AccessLogRecord, AccessLogSink } from './access-log-record.js';
import { createRecordEncoder, NO_ROOM } from './record-bytes.js';

// sonic-boom is CommonJS: Node's ESM loader exposes only its default export (module.exports).
const { SonicBoom } = sonicBoom;
type SonicBoom = InstanceType<typeof SonicBoom>;
export interface FileAccessLogOptions {
  /** The file to append to; its directory is created when missing. */
  path: string;
  /** Also write each line to stdout. */
  stdout?: boolean;
  /** Bytes batched before a write is issued. Default 131072 (~100 records); 0 writes each record at once. */
  minLength?: number;
  /** Buffered records reach the file at least this often, in ms. Default 1000. */
  flushIntervalMs?: number;
  /**
   * Bytes held in memory while the file does not take them (a full or failing disk): records
   * beyond this are dropped, and counted on stderr, rather than growing the heap without bound.
   * Default 32 MiB, and at least 4 × minLength.
   */
  maxBufferBytes?: number;
}

function closeBoom(boom: SonicBoom): Promise<void> {
  return new Promise((resolve) => {
    boom.once('close', () => resolve());
    boom.once('error', () => resolve());
    boom.end();
  });
}

function flushBoom(boom: SonicBoom): Promise<void> {
  return new Promise((resolve, reject) => boom.flush((err) => (err ? reject(err) : resolve())));
}

export function createFileAccessLog(options: FileAccessLogOptions): AccessLogSink {
  // Large batches amortise the hand-off of each write to libuv's thread pool; the periodic flush
  // bounds how stale the file gets. sonic-boom gets whole batches (buffer mode, no minLength of its
  // own): each is written at once, or queued behind the write in progress.
  const batchBytes = options.minLength ?? 131072;
  const file = new SonicBoom({
    dest: options.path,
    mkdir: true,
    append: true,
    sync: false,
    contentMode: 'buffer',
    minLength: 0,
    maxWrite: Math.max(4 * batchBytes, 65536),
    maxLength: Math.max(options.maxBufferBytes ?? 32 * 1024 * 1024, 4 * batchBytes),
  });
  // In buffer mode, a flush requested while the file is still opening makes sonic-boom 5 write an
  // empty batch it never queued (a TypeError): flushes wait for the open (or its failure).
  // A file that could not be opened (no permission, no such directory) takes nothing: records are
  // dropped, and flush/close do not wait for it (sonic-boom would wait for ever).
  let unusable = false;
  let ready = false;
  const opened = new Promise<void>((resolve) => {
    file.once('ready', () => {
      ready = true;
      resolve();
    });
    file.once('error', () => {
      // An error before 'ready' is the open's.
      if (!ready) unusable = true;
      resolve();
    });
  });
  const out = options.stdout === true ? new SonicBoom({ fd: 1, sync: false }) : undefined;
  // A disk error must not take the data plane down; it is reported once on stderr.
  let reported = false;
  file.on('error', (err: Error) => {
    if (!reported) process.stderr.write(`latticed: access log ${options.path}: ${err.message}\n`);
    reported = true;
  });
  let dropped = 0;
  let dropReport: NodeJS.Timeout | undefined;
  const reportDrops = (): void => {
    dropReport = undefined;
    process.stderr.write(`latticed: access log ${options.path}: ${dropped} records dropped (the file is not taking writes)\n`);
    dropped = 0;
  };
  // At most one line every 10 s, however many records are lost.
  const noteDrop = (records: number): void => {
    dropped += records;
    dropReport ??= setTimeout(reportDrops, 10_000).unref();
  };
  file.on('drop', (data: Buffer) => noteDrop(linesIn(data)));
  // The batch being filled. A batch handed to sonic-boom is its until written: each gets a new buffer.
  let batch = batchBytes > 0 ? Buffer.allocUnsafeSlow(batchBytes) : Buffer.alloc(0);
  let used = 0;
  // Appends only, and never changes a byte it wrote: what the incremental encoder needs.
  const encodeRecord = createRecordEncoder();
  const handOver = (): void => {
    if (used === 0) return;
    const full = batch.subarray(0, used);
    batch = Buffer.allocUnsafeSlow(batchBytes);
    used = 0;
    file.write(full as unknown as string);
  };
  let closed = false;
  // Buffered records reach the file at least this often. latticed's own timer, not sonic-boom's
  // periodicFlush: that one keeps firing after a failed open, and its write to fd -1 throws from a
  // timer, which would take the process down.
  const flushTimer = setInterval(() => {
    if (used === 0 || !ready || unusable || closed) return;
    handOver();
  }, options.flushIntervalMs ?? 1000).unref();
  return {
    write(record: AccessLogRecord): void {
      if (closed) return;
      if (unusable) {
        noteDrop(1);
        return;
      }
      // The newline's byte stays free: the record may use everything before it.
      let end = encodeRecord(record, batch, used, batchBytes - 1);
      if (end === NO_ROOM && used > 0) {
        handOver();
        end = encodeRecord(record, batch, 0, batchBytes - 1);
      }
      if (end < 0) {
        // Larger than a batch, batching off, or not a plain record: a write of its own, after what
        // is batched, so that lines stay in order. (sonic-boom's type declarations predate buffer
        // mode, where write() takes a Buffer.)
        handOver();
        const line = JSON.stringify(record) + '\n';
        file.write(Buffer.from(line) as unknown as string);
        out?.write(line);
        return;
      }
      batch[end] = 0x0a;
      out?.write(batch.toString('utf8', used, end + 1));
      used = end + 1;
    },
    async flush(): Promise<void> {
      if (closed) return;
      await opened;
      if (!unusable) handOver();
      await Promise.all([unusable ? undefined : flushBoom(file), out ? flushBoom(out) : undefined]);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(flushTimer);
      if (dropReport !== undefined) {
        clearTimeout(dropReport);
        reportDrops();
      }
      await opened;
      if (!unusable) handOver();
      // stdout is the process's: flush it, never close it.
      await Promise.all([unusable ? undefined : closeBoom(file), out ? flushBoom(out).catch(() => undefined) : undefined]);
    },
  };
}

/** Records in a batch sonic-boom dropped: its newlines. */
function linesIn(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** An in-memory sink, for tests and for embedding. */
export function createMemoryAccessLog(): AccessLogSink & { records: AccessLogRecord[] } {
  const records: AccessLogRecord[] = [];
  return {
    records,
    write: (record) => void records.push(record),
    flush: async () => undefined,
    close: async () => undefined,
  };
}
