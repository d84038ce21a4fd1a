import { describe, expect, it } from 'vitest';
import { formatCredentials } from '../../src/cli/credentials-format.js';
import { parseDuration, parseTags } from '../../src/cli/credentials-run.js';
import { IamValidationError, type SessionCredentials } from '../../src/iam/index.js';

const c: SessionCredentials = {
  accessKeyId: 'ASIAABCDEFGHIJKLMNOP',
  secretAccessKey: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ+/01',
  sessionToken: 'AQID+/==',
  expiration: new Date('2026-01-01T13:00:00.123Z'),
  assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/r/s',
  assumedRoleId: 'AROAX:s',
};

describe('credential output formats', () => {
  it('env: three export lines after a comment', () => {
    expect(formatCredentials(c, 'env', 'p')).toBe(
      '# arn:aws:sts::123456789012:assumed-role/r/s, expires 2026-01-01T13:00:00Z\n' +
        'export AWS_ACCESS_KEY_ID=ASIAABCDEFGHIJKLMNOP\n' +
        'export AWS_SECRET_ACCESS_KEY=abcdefghijklmnopqrstuvwxyzABCDEFGHIJ+/01\n' +
        'export AWS_SESSION_TOKEN=AQID+/==\n',
    );
  });

  it('json: credential_process Version 1 with exactly its five fields', () => {
    expect(JSON.parse(formatCredentials(c, 'json', 'p'))).toEqual({
      Version: 1, AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken,
      Expiration: '2026-01-01T13:00:00Z',
    });
  });

  it('aws-profile: an ini section named by the profile', () => {
    const out = formatCredentials(c, 'aws-profile', 'orders');
    expect(out).toContain('\n[orders]\naws_access_key_id = ASIAABCDEFGHIJKLMNOP\naws_secret_access_key = ');
    expect(out).toContain('aws_session_token = AQID+/==\n');
  });
});

describe('flag parsing', () => {
  it('--tag K=V splits at the first =, and needs one', () => {
    expect(parseTags(['a=b=c', 'e='])).toEqual([{ Key: 'a', Value: 'b=c' }, { Key: 'e', Value: '' }]);
    expect(() => parseTags(['ok=1', 'novalue'])).toThrow(IamValidationError);
    try {
      parseTags(['ok=1', 'novalue']);
    } catch (e) {
      expect((e as IamValidationError).field).toBe('tags.2.member.key');
    }
  });

  it('--duration takes whole seconds only', () => {
    expect(parseDuration(undefined)).toBeUndefined();
    expect(parseDuration('900')).toBe(900);
    for (const bad of ['', '1e3', '-900', '900.5', 'abc', ' 900']) expect(() => parseDuration(bad), bad).toThrow(/durationSeconds/);
  });
});
