import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS, createFileAccessLog, emptyRecord } from '../../src/observability/index.js';

describe('access-log record', () => {
  it('has every VpcLatticeAccessLogs field, "-" when absent, plus the documented extensions', () => {
    const r = emptyRecord();
    for (const f of [
      'startTime', 'serviceNetworkArn', 'serviceArn', 'targetGroupArn', 'listenerId', 'listenerType', 'sourceVpcId', 'sourceVpcArn',
      'destinationVpcId', 'sourceIpPort', 'targetIpPort', 'requestMethod', 'requestPath', 'protocol', 'responseCode', 'grpcResponseCode',
      'userAgent', 'hostHeader', 'serverNameIndication', 'sslCipher', 'tlsVersion', 'callerPrincipal', 'callerPrincipalOrgID',
      'resolvedUser', 'authDeniedReason', 'failureReason', 'callerX509IssuerOU', 'callerX509SubjectCN', 'callerX509SANNameCN',
      'callerX509SANDNS', 'callerX509SANURI', 'requestToTargetDuration', 'responseFromTargetDuration',
      'requestId', 'authenticationType', 'sourceIdentity', 'policyDecision', 'shadowDecision',
    ] as const) {
      expect(r[f]).toBe('-');
    }
    for (const f of ['bytesReceived', 'bytesSent', 'duration'] as const) expect(r[f]).toBe(0);
    expect(ACCESS_LOG_FIELDS).toHaveLength(Object.keys(r).length);
  });
});

describe('createFileAccessLog', () => {
  it('appends one JSON line per record, creates the directory, flushes and closes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latticed-log-'));
    const file = path.join(dir, 'nested', 'access.log');
    const sink = createFileAccessLog({ path: file });
    for (let i = 0; i < 100; i++) sink.write({ ...emptyRecord(), requestId: `r${i}`, responseCode: 200 });
    await sink.flush();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(100);
    expect(JSON.parse(lines[42]!)).toMatchObject({ requestId: 'r42', responseCode: 200, failureReason: '-' });
    sink.write({ ...emptyRecord(), requestId: 'last' });
    await sink.close();
    expect(fs.readFileSync(file, 'utf8').trim().split('\n').at(-1)).toContain('"requestId":"last"');
    // Writes after close are dropped, never thrown.
    expect(() => sink.write(emptyRecord())).not.toThrow();
    await sink.close();
    // A second sink on the same file appends.
    const again = createFileAccessLog({ path: file });
    again.write({ ...emptyRecord(), requestId: 'appended' });
    await again.close();
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(102);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every record whole and in order across batches, larger-than-batch records and multi-byte text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latticed-log-'));
    for (const minLength of [0, 1024, 4096]) {
      const file = path.join(dir, `access-${minLength}.log`);
      const sink = createFileAccessLog({ path: file, minLength });
      const sent: string[] = [];
      for (let i = 0; i < 300; i++) {
        // Every fifth path is longer than a 1 KiB batch; some carry 2-, 3- and 4-byte UTF-8.
        const requestPath = i % 5 === 0 ? `/big/${'x'.repeat(1500)}${i}` : `/p/${i}/é${'€'.repeat(i % 7 * 40)}😀`;
        sent.push(requestPath);
        sink.write({ ...emptyRecord(), requestId: `r${i}`, requestPath });
      }
      await sink.close();
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { requestPath: string });
      expect(lines.map((l) => l.requestPath)).toEqual(sent);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('does not block the caller: a thousand writes return before anything is on disk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latticed-log-'));
    const file = path.join(dir, 'access.log');
    const sink = createFileAccessLog({ path: file });
    await sink.flush();
    for (let i = 0; i < 1000; i++) sink.write({ ...emptyRecord(), requestId: `r${i}` });
    const sizeRightAfter = fs.statSync(file).size;
    expect(sizeRightAfter).toBeLessThan(1000 * 500);
    await sink.close();
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('mirrors every line to stdout, byte for byte the same as the file (multi-byte text, oversized and non-scalar records included)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latticed-log-'));
    const file = path.join(dir, 'access.log');
    // stdout is the process's: a child of its own, on the built sink (npm test builds first).
    const sinkModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/observability/index.js');
    const script = `
      const { createFileAccessLog, emptyRecord } = await import(${JSON.stringify(sinkModule)});
      const sink = createFileAccessLog({ path: ${JSON.stringify(file)}, stdout: true, minLength: 2048 });
      for (let i = 0; i < 20; i++) sink.write({ ...emptyRecord(), requestId: 'r' + i, requestPath: i % 7 === 0 ? '/big/' + 'x'.repeat(3000) : '/p/é€😀/' + i });
      sink.write({ ...emptyRecord(), requestId: 'odd', bytesSent: Number.NaN });
      await sink.close();`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const written = fs.readFileSync(file, 'utf8');
    expect(stdout).toBe(written);
    const lines = written.trim().split('\n').map((l) => JSON.parse(l) as { requestId: string; bytesSent: unknown });
    expect(lines.map((l) => l.requestId)).toEqual([...Array.from({ length: 20 }, (_, i) => `r${i}`), 'odd']);
    expect(lines.at(-1)!.bytesSent).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gets a lone record to disk by itself within the flush interval', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latticed-log-'));
    const file = path.join(dir, 'access.log');
    const sink = createFileAccessLog({ path: file, flushIntervalMs: 100 });
    sink.write({ ...emptyRecord(), requestId: 'lonely' });
    const deadline = Date.now() + 2000;
    while (!(fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('lonely')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(fs.readFileSync(file, 'utf8')).toContain('"requestId":"lonely"');
    await sink.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a file that cannot be opened never throws from a timer (sonic-boom flushing to fd -1 would take the process down)', async () => {
    const thrown: unknown[] = [];
    const onUncaught = (e: unknown) => thrown.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      // A path below a regular file can never be created or opened.
      const sink = createFileAccessLog({ path: '/dev/null/latticed/access.log', flushIntervalMs: 20 });
      sink.write({ ...emptyRecord(), requestId: 'before-the-open-fails' });
      await new Promise((r) => setTimeout(r, 300));
      sink.write({ ...emptyRecord(), requestId: 'after' });
      await sink.flush();
      await sink.close();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(thrown).toEqual([]);
  });
});
