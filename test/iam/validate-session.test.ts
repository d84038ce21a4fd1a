import { describe, expect, it } from 'vitest';
import {
  IamValidationError, mergeTags, validateDuration, validateSessionName, validateSessionTags, validateSourceIdentity,
} from '../../src/iam/index.js';
import { role } from './fixtures.js';

function fieldOf(fn: () => unknown): { code: string; field: string; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IamValidationError);
    const v = e as IamValidationError;
    return { code: v.code, field: v.field, message: v.message };
  }
  throw new Error('expected an IamValidationError');
}

describe('AssumeRole input rules', () => {
  it('session names: [\\w+=,.@-], 2 to 64 characters', () => {
    for (const ok of ['ab', 'order-service', 'a+b=c,d.e@f_g-h', 'x'.repeat(64)]) expect(() => validateSessionName(ok)).not.toThrow();
    for (const bad of ['a', '', 'x'.repeat(65), 'has space', 'slash/no', 'ü-umlaut', 'colon:no']) {
      const e = fieldOf(() => validateSessionName(bad));
      expect(e.code).toBe('ValidationError');
      expect(e.field).toBe('roleSessionName');
      expect(e.message).toContain("at 'roleSessionName' failed to satisfy constraint");
    }
  });

  it('source identity: same pattern, and no aws: prefix', () => {
    expect(() => validateSourceIdentity('alice@example.com')).not.toThrow();
    expect(fieldOf(() => validateSourceIdentity('a')).field).toBe('sourceIdentity');
    expect(fieldOf(() => validateSourceIdentity('aws:me')).message).toMatch(/aws:/);
    expect(fieldOf(() => validateSourceIdentity('AWS:me')).field).toBe('sourceIdentity');
  });

  it('duration: 900 up to the role maximum, default 3600 (or the maximum when lower)', () => {
    const r = role('r', { maxSessionDurationSeconds: 7200 });
    expect(validateDuration(undefined, r)).toBe(3600);
    expect(validateDuration(900, r)).toBe(900);
    expect(validateDuration(7200, r)).toBe(7200);
    expect(validateDuration(undefined, role('r', { maxSessionDurationSeconds: 1800 }))).toBe(1800);
    expect(fieldOf(() => validateDuration(899, r))).toMatchObject({ field: 'durationSeconds', code: 'ValidationError' });
    expect(fieldOf(() => validateDuration(7201, r)).message).toMatch(/exceeds the MaxSessionDuration/);
    expect(fieldOf(() => validateDuration(1000.5, r)).field).toBe('durationSeconds');
    expect(fieldOf(() => validateDuration(Number.NaN, r)).field).toBe('durationSeconds');
  });

  it('tags: IAM characters and lengths, at most 50, no aws:, keys unique ignoring case', () => {
    expect(() => validateSessionTags([{ Key: 'team', Value: '' }, { Key: 'Cost Center', Value: 'a:b/c=d+e-f@g_h.i' }])).not.toThrow();
    expect(() => validateSessionTags([{ Key: 'k'.repeat(128), Value: 'v'.repeat(256) }])).not.toThrow();
    expect(fieldOf(() => validateSessionTags([{ Key: '', Value: 'v' }])).field).toBe('tags.1.member.key');
    expect(fieldOf(() => validateSessionTags([{ Key: 'a', Value: 'v' }, { Key: 'k'.repeat(129), Value: 'v' }])).field).toBe('tags.2.member.key');
    expect(fieldOf(() => validateSessionTags([{ Key: 'a', Value: 'v'.repeat(257) }])).field).toBe('tags.1.member.value');
    expect(fieldOf(() => validateSessionTags([{ Key: 'a', Value: 'semi;colon' }])).field).toBe('tags.1.member.value');
    expect(fieldOf(() => validateSessionTags([{ Key: 'aws:x', Value: 'v' }])).message).toMatch(/aws:/);
    expect(fieldOf(() => validateSessionTags([{ Key: 'Team', Value: 'a' }, { Key: 'team', Value: 'b' }])).message).toMatch(/Duplicate tag keys/);
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(fieldOf(() => validateSessionTags(many)).field).toBe('tags');
  });

  it('merges session tags over role tags, matching keys ignoring case', () => {
    expect(mergeTags({ team: 'orders', Env: 'prod' }, { env: 'dev', cost: '1' })).toEqual({ team: 'orders', env: 'dev', cost: '1' });
    expect(mergeTags({ a: '1' }, {})).toEqual({ a: '1' });
  });
});

describe('tag keys that are Object.prototype names', () => {
  it('stay tags when merged (found by the mint/resolve property)', () => {
    const merged = mergeTags({ constructor: 'role' }, { __proto__: 'x', toString: 'y' } as unknown as Record<string, string>);
    expect(Object.keys(merged).sort()).toEqual(['constructor', 'toString']);
    const withProto = mergeTags({}, Object.fromEntries([['__proto__', 'x']]));
    expect(Object.keys(withProto)).toEqual(['__proto__']);
    expect(withProto['__proto__']).toBe('x');
  });
});
