import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { latticed, ROOT, tempFiles } from './policy-helpers.js';

const EXAMPLE_CONFIG = path.join(ROOT, 'examples/order-inventory/latticed.yaml');

describe('latticed validate', () => {

  it('accepts the shipped example', () => {
    const r = latticed(['validate', '-f', EXAMPLE_CONFIG]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('latticed.yaml: valid');
    expect(r.status).toBe(0);
  });

  it('prints every error as FILE: PATH: message and exits 1', () => {
    const dir = tempFiles({
      'bad.yaml': [
        'region: us-west-2',
        'accounts: [{ id: "123456789012" }]',
        'services:',
        '  - name: orders',
        '    authType: AWS_IAMM',
        '  - name: inventory',
        '    authType: AWS_IAM',
        '    authPolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: "*", Action: "*", Resource: "*", Condition: { StringEqualz: { "aws:PrincipalOrgID": o-x } } }] }',
        '',
      ].join('\n'),
    });
    const file = path.join(dir, 'bad.yaml');
    const r = latticed(['validate', '-f', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}: $.services[0].authType: must be one of: "NONE", "AWS_IAM"`);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\$\\.services\\[1\\]\\.authPolicy\\.Statement\\[0\\]\\.Condition.*StringEqualz`));
  });

  it('reports a secret reference that does not resolve, unless --schema-only', () => {
    const dir = tempFiles({
      'keys.yaml': [
        'region: us-west-2',
        'accounts: [{ id: "123456789012" }]',
        'users:',
        '  - userName: ci-bot',
        '    accountId: "123456789012"',
        '    accessKeys: [{ accessKeyId: AKIAEXAMPLEEXAMPLE01, secretAccessKey: { env: LATTICED_TEST_UNSET_SECRET } }]',
        '',
      ].join('\n'),
    });
    const file = path.join(dir, 'keys.yaml');
    const full = latticed(['validate', '-f', file]);
    expect(full.status).toBe(1);
    expect(full.stderr).toContain('LATTICED_TEST_UNSET_SECRET');
    expect(latticed(['validate', '--schema-only', '-f', file]).status).toBe(0);
  });
});
