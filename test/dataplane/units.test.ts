import { describe, expect, it } from 'vitest';
import { Balancer } from '../../src/dataplane/balancer.js';
import { statusMatcher } from '../../src/dataplane/health-checker.js';
import { identityHeader, identityTagsHeader, networkHeader, targetHeader } from '../../src/dataplane/identity-headers.js';
import { hostKey } from '../../src/dataplane/request-handler.js';
import { truncateHeaderBytes } from '../../src/dataplane/request-id.js';
import { TargetHealth } from '../../src/dataplane/target-health.js';
import type { TargetGroupRuntime } from '../../src/network/snapshot.js';
import { targetGroupRuntime } from './fixture.js';

function group(n: number): TargetGroupRuntime {
  const targets = Array.from({ length: n }, (_, i) => ({ address: `10.0.0.${i}`, port: 80 }));
  return targetGroupRuntime({ id: '1', port: 80, targets, healthCheck: { enabled: true } });
}

describe('Balancer', () => {
  it('round-robins over healthy targets, and fails open when none is healthy', () => {
    const health = new TargetHealth();
    const b = new Balancer(health);
    const g = group(3);
    expect([0, 1, 2, 3].map(() => b.chooseTarget(g)!.id)).toEqual(['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.0']);
    health.set(g.targets[1]!.key, false);
    const picks = new Set([0, 1, 2, 3].map(() => b.chooseTarget(g)!.id));
    expect(picks).toEqual(new Set(['10.0.0.0', '10.0.0.2']));
    for (const t of g.targets) health.set(t.key, false);
    expect(new Set([0, 1, 2].map(() => b.chooseTarget(g)!.id)).size).toBe(3);
    expect(b.chooseTarget(group(0))).toBeUndefined();
  });

  it('chooses target groups in proportion to their weights; weight 0 is never chosen', () => {
    let i = 0;
    const b = new Balancer(new TargetHealth(), () => i++ / 100); // 0.00, 0.01, … 0.99
    const g1 = { ...group(1), id: 'a' };
    const g2 = { ...group(1), id: 'b' };
    const g3 = { ...group(1), id: 'c' };
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 100; i++) counts[b.chooseGroup([{ targetGroup: g1, weight: 1 }, { targetGroup: g2, weight: 3 }, { targetGroup: g3, weight: 0 }], 4)!.id]!++;
    expect(counts).toEqual({ a: 25, b: 75, c: 0 });
    expect(b.chooseGroup([{ targetGroup: g1, weight: 0 }], 0)).toBeUndefined();
  });
});

describe('statusMatcher', () => {
  it('reads Lattice matcher syntax', () => {
    const m = statusMatcher('200,202-204');
    expect([200, 201, 202, 204, 205].map(m)).toEqual([true, false, true, true, false]);
    expect(statusMatcher('200-299')(299)).toBe(true);
  });
});

describe('identity headers', () => {
  const id = {
    arn: 'arn:aws:sts::123456789012:assumed-role/r/s',
    type: 'AssumedRole' as const,
    account: '123456789012',
    tags: { a: 'x;y', 'b\\': 'z' },
    userId: 'AROA:s',
    sessionName: 's',
    identityPolicies: [],
  };
  it('leaves out absent fields and escapes separators in tags', () => {
    expect(identityHeader(id)).toBe('Principal=arn:aws:sts::123456789012:assumed-role/r/s; SessionName=s; Type=AWSIAM');
    expect(identityTagsHeader(id)).toBe('principal=arn:aws:sts::123456789012:assumed-role/r/s;a=x\\;y;b\\\\=z');
    expect(networkHeader('arn:vpc')).toBe('SourceVpcArn=arn:vpc');
    expect(targetHeader('s', 'n', 't')).toBe('ServiceArn=s;ServiceNetworkArn=n;TargetGroupArn=t');
  });
});

describe('hostKey', () => {
  it('drops the port and a trailing dot, lower-cases, keeps IPv6 brackets', () => {
    expect(hostKey('Svc.Example:8080')).toBe('svc.example');
    expect(hostKey('svc.example.')).toBe('svc.example');
    expect(hostKey('Svc.Example.:80')).toBe('svc.example');
    expect(hostKey('[::1]:80')).toBe('[::1]');
    expect(hostKey('plain')).toBe('plain');
  });
});

describe('truncateHeaderBytes', () => {
  it('never splits a UTF-8 sequence', () => {
    const v = Buffer.from('ab€€').toString('latin1'); // 2 + 3 + 3 bytes
    expect(truncateHeaderBytes(v, 4)).toBe('ab');
    expect(truncateHeaderBytes(v, 5)).toBe(Buffer.from('ab€').toString('latin1'));
    expect(truncateHeaderBytes('short', 512)).toBe('short');
  });
});

describe('classifyUpstreamError', async () => {
  const { classifyUpstreamError } = await import('../../src/dataplane/upstream-errors.js');
  it('maps failures onto 400/502/503/504 and a failureReason', () => {
    const of = (code: string) => classifyUpstreamError(Object.assign(new Error(code), { code }));
    expect(of('ECONNREFUSED')).toMatchObject({ status: 502, reason: 'TargetConnectionError' });
    expect(of('ECONNRESET')).toMatchObject({ status: 502, reason: 'TargetResetError' });
    expect(of('UND_ERR_HEADERS_TIMEOUT')).toMatchObject({ status: 504, reason: 'TargetTimeout' });
    expect(of('UND_ERR_CONNECT_TIMEOUT')).toMatchObject({ status: 504, reason: 'TargetTimeout' });
    expect(of('UND_ERR_CLOSED')).toMatchObject({ status: 503 });
    expect(of('UND_ERR_INVALID_ARG')).toMatchObject({ status: 400, reason: 'MalformedRequest' });
    expect(classifyUpstreamError(undefined)).toMatchObject({ status: 502 });
  });
});
