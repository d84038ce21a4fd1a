/**
 * The access-log file sink: one JSON line per record, written through sonic-boom's asynchronous,
 * buffered writer (never blocks the request path), optionally mirrored to stdout.
 */
import sonicBoom from 'sonic-boom';
import type { AccessLogRecord, AccessLogSink } from './access-log-record.js';

// sonic-boom is CommonJS: Node's ESM loader exposes only its default export (module.exports).
const { SonicBoom } = sonicBoom;
type SonicBoom = InstanceType<typeof SonicBoom>;
export interface FileAccessLogOptions {
  /** The file to append to; its directory is created when missing. */
  path: string;
  /** Also write each line to stdout. */
  stdout?: boolean;
  /** Bytes buffered before a write is issued. Default 131072 (~100 records); 0 writes each record at once. */
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
  // bounds how stale the file gets. Buffer mode, because in string mode sonic-boom measures its
  // growing batch string on every write; buffers are only counted, and joined once per batch.
  const minLength = options.minLength ?? 131072;
  const file = new SonicBoom({
    dest: options.path,
    mkdir: true,
    append: true,
    sync: false,
    contentMode: 'buffer',
    minLength,
    maxWrite: Math.max(4 * minLength, 65536),
    maxLength: Math.max(options.maxBufferBytes ?? 32 * 1024 * 1024, 4 * minLength),
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
  const noteDrop = (): void => {
    dropped++;
    dropReport ??= setTimeout(reportDrops, 10_000).unref();
  };
  file.on('drop', noteDrop);
  let closed = false;
  // Buffered records reach the file at least this often. latticed's own timer, not sonic-boom's
  // periodicFlush: that one keeps firing after a failed open, and its write to fd -1 throws from a
  // timer, which would take the process down.
  let unflushed = false;
  const flushTimer = setInterval(() => {
    if (!unflushed || !ready || unusable || closed) return;
    unflushed = false;
    file.flush(() => undefined);
  }, options.flushIntervalMs ?? 1000).unref();
  return {
    write(record: AccessLogRecord): void {
      if (closed) return;
      if (unusable) {
        noteDrop();
        return;
      }
      // JSON.stringify returns a flat string, which Buffer.from copies in one pass; a line built by
      // concatenation was faster to build but slower to copy, ~0.6 µs more per record in all.
      const line = JSON.stringify(record) + '\n';
      // sonic-boom's type declarations predate buffer mode, where write() takes a Buffer.
      file.write(Buffer.from(line) as unknown as string);
      unflushed = true;
      out?.write(line);
    },
    async flush(): Promise<void> {
      if (closed) return;
      await opened;
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
      // stdout is the process's: flush it, never close it.
      await Promise.all([unusable ? undefined : closeBoom(file), out ? flushBoom(out).catch(() => undefined) : undefined]);
    },
  };
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
