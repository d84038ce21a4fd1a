import { describe, expect, it } from 'vitest';
import { configWarnings, validateConfig, type LatticedConfig } from '../../src/network/index.js';
import { validConfig } from './helpers.js';

function warningsAfter(mutate: (c: LatticedConfig) => void): string[] {
  const c = validConfig();
  mutate(c);
  expect(validateConfig(c)).toEqual([]);
  return configWarnings(c).map((w) => `${w.path}: ${w.message}`);
}

describe('configWarnings', () => {
  it('the documented example has none', () => {
    expect(configWarnings(validConfig())).toEqual([]);
  });

  it('flags valid but unreachable or ineffective settings', () => {
    expect(
      warningsAfter((c) => {
        c.serviceNetworks![0]!.serviceAssociations!.pop();
        delete c.services![0]!.authPolicy;
        c.services![1]!.authPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] };
        c.targetGroups!.push({ name: 'spare-tg', type: 'IP', config: { port: 1, protocol: 'HTTP' } });
      }),
    ).toEqual([
      '$.services[0].authType: AWS_IAM without an authPolicy denies every request to this service',
      '$.services[1].authPolicy: is not enforced: authType is NONE',
      '$.services[1]: is not associated with any service network: it is unreachable',
      '$.targetGroups[2]: is not used by any listener or rule',
      '$.targetGroups[2].targets: is empty: requests forwarded here fail with 503',
    ]);
  });

  it('flags rules matching on identity headers, which are stripped before routing', () => {
    expect(
      warningsAfter((c) => {
        c.services![0]!.listeners![0]!.rules = [
          { priority: 1, match: { httpMatch: { headerMatches: [{ name: 'X-Amzn-Lattice-Identity', match: { contains: 'role' } }] } }, action: { fixedResponse: { statusCode: 404 } } },
        ];
      }),
    ).toEqual([
      '$.services[0].listeners[0].rules[0].match.httpMatch.headerMatches[0].name: x-amzn-lattice-* headers are removed from requests before routing: this match never succeeds',
    ]);
  });

  it('passes on the policy engine\'s warnings with paths into the file', () => {
    const w = warningsAfter((c) => {
      (c.services![0]!.authPolicy as any).Statement[0].Condition.StringEquals['aws:PrincipalOrgID'] = 'o-myorgid';
      (c.services![0]!.authPolicy as any).Statement[0].Condition.Null = { 'aws:PrincipalOrgID': 'true' };
    });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^\$\.services\[0\]\.authPolicy\.Statement\[0\]\.Condition: aws:principalorgid must be both absent \(Null\) and present/);
    expect(w.every((x) => x.startsWith('$.services[0].authPolicy.Statement[0]'))).toBe(true);
  });
});
