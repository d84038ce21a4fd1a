import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/network/index.js';
import { issuesAfter, validConfig } from './helpers.js';

describe('validateConfig: shapes (JSON Schema)', () => {
  it('accepts the documented example', () => {
    expect(validateConfig(validConfig())).toEqual([]);
  });

  it('rejects a document that is not an object', () => {
    expect(validateConfig(null).map((i) => i.path)).toEqual(['$']);
    expect(validateConfig([1])[0]!.message).toBe('must be object');
  });

  it('reports a missing required field at the field', () => {
    expect(issuesAfter((c) => delete c.services![0]!.listeners![0]!.protocol)).toEqual([
      '$.services[0].listeners[0].protocol: is required',
    ]);
  });

  it('rejects unknown fields everywhere, suggesting the closest known one', () => {
    expect(
      issuesAfter((c) => {
        c.services![1]!.listeners![0]!.prot = 1;
        c.targetGroups![0]!.config.helthCheck = {};
        c.extra = true;
      }),
    ).toEqual([
      "$.extra: unknown field",
      '$.services[1].listeners[0].prot: unknown field (did you mean "port"?)',
      '$.targetGroups[0].config.helthCheck: unknown field (did you mean "healthCheck"?)',
    ]);
  });

  it('explains a 12-digit account id written as a number', () => {
    expect(issuesAfter((c) => ((c.accounts[0] as any).id = 123456789012))).toContain(
      '$.accounts[0].id: must be a 12-digit account id as a string (quote it in YAML)',
    );
  });

  it('never accepts an inline secret', () => {
    expect(issuesAfter((c) => ((c.users![0]!.accessKeys![0] as any).secretAccessKey = 'wJalrXUtnFEMI/K7MDENG'))).toEqual([
      '$.users[0].accessKeys[0].secretAccessKey: must be a reference, { env: NAME } or { file: PATH }; inline secrets are not accepted',
    ]);
    expect(issuesAfter((c) => ((c.users![0]!.accessKeys![0] as any).secretAccessKey = { env: 'A', file: 'b' }))).toEqual([
      '$.users[0].accessKeys[0].secretAccessKey: must be a reference, { env: NAME } or { file: PATH }; inline secrets are not accepted',
    ]);
    expect(issuesAfter((c) => ((c.users![0]!.accessKeys![0] as any).secretAccessKey = { value: 'x' }))).toContain(
      '$.users[0].accessKeys[0].secretAccessKey.value: unknown field',
    );
  });

  it('requires exactly one action in a RuleAction union', () => {
    expect(
      issuesAfter((c) => {
        (c.services![0]!.listeners![0] as any).defaultAction = { forward: { targetGroups: [{ targetGroupIdentifier: 'inventory-tg' }] }, fixedResponse: { statusCode: 404 } };
      }),
    ).toEqual(['$.services[0].listeners[0].defaultAction: must have exactly one of: forward, fixedResponse']);
    expect(issuesAfter((c) => ((c.services![0]!.listeners![0] as any).defaultAction = {}))).toEqual([
      '$.services[0].listeners[0].defaultAction: must have exactly one of: forward, fixedResponse',
    ]);
  });

  it('bounds the verified-signature cache', () => {
    expect(issuesAfter((c) => (c.node = { verifiedSignatureCacheSize: 0 }))).toEqual([]);
    expect(issuesAfter((c) => (c.node = { verifiedSignatureCacheSize: -1 }))).toEqual(['$.node.verifiedSignatureCacheSize: must be >= 0']);
    expect(issuesAfter((c) => (c.node = { verifiedSignatureCacheSize: 1.5 }))).toEqual(['$.node.verifiedSignatureCacheSize: must be integer']);
  });

  it('bounds the access-log buffer', () => {
    expect(issuesAfter((c) => (c.node = { accessLog: { bufferBytes: 0 } }))).toEqual([]);
    expect(issuesAfter((c) => (c.node = { accessLog: { bufferBytes: 2_000_000 } }))).toEqual(['$.node.accessLog.bufferBytes: must be <= 1048576']);
  });

  it('allows fixedResponse 404 and 500 only', () => {
    expect(issuesAfter((c) => ((c.services![0]!.listeners![0] as any).defaultAction = { fixedResponse: { statusCode: 503 } }))).toEqual([
      '$.services[0].listeners[0].defaultAction.fixedResponse.statusCode: must be one of: 404, 500',
    ]);
  });

  it('limits a forward action to 10 target groups', () => {
    const issues = issuesAfter((c) => {
      (c.services![0]!.listeners![0] as any).defaultAction.forward.targetGroups = Array.from({ length: 11 }, () => ({
        targetGroupIdentifier: 'inventory-tg',
        weight: 1,
      }));
    });
    expect(issues).toContain('$.services[0].listeners[0].defaultAction.forward.targetGroups: must NOT have more than 10 items');
  });

  it('checks weights, ports and priorities against the API ranges', () => {
    expect(
      issuesAfter((c) => {
        const l = c.services![0]!.listeners![0]!;
        (l.defaultAction as any).forward.targetGroups[0].weight = 1000;
        l.port = 70000;
        l.rules = [{ priority: 101, match: { httpMatch: { method: 'GET' } }, action: { fixedResponse: { statusCode: 404 } } }];
      }),
    ).toEqual([
      '$.services[0].listeners[0].port: must be <= 65535',
      '$.services[0].listeners[0].defaultAction.forward.targetGroups[0].weight: must be <= 999',
      '$.services[0].listeners[0].rules[0].priority: must be <= 100',
    ]);
  });

  it('uses the API name rules, with a plain explanation', () => {
    expect(issuesAfter((c) => (c.services![1]!.name = 'svc-orders'))).toContain(
      '$.services[1].name: must be 3-40 lower-case letters, digits and single hyphens, not starting with svc- or a hyphen',
    );
    expect(issuesAfter((c) => (c.targetGroups![0]!.name = 'Inventory'))[0]).toMatch(/^\$\.targetGroups\[0\]\.name: must be 3-128/);
  });

  it('checks rule matches: one path match kind, a non-empty httpMatch, at most 5 header matches', () => {
    expect(
      issuesAfter((c) => {
        c.services![0]!.listeners![0]!.rules = [
          { priority: 1, match: { httpMatch: { pathMatch: { match: { exact: '/a', prefix: '/b' } } } }, action: { fixedResponse: { statusCode: 404 } } },
          { priority: 2, match: { httpMatch: {} }, action: { fixedResponse: { statusCode: 404 } } },
          {
            priority: 3,
            match: { httpMatch: { headerMatches: Array.from({ length: 6 }, (_, i) => ({ name: `x-h${i}`, match: { exact: 'v' } })) } },
            action: { fixedResponse: { statusCode: 404 } },
          },
          { priority: 4, match: { httpMatch: { pathMatch: { match: { prefix: 'no-slash' } } } }, action: { fixedResponse: { statusCode: 404 } } },
        ];
      }),
    ).toEqual([
      '$.services[0].listeners[0].rules[0].match.httpMatch.pathMatch.match: must have exactly one of: exact, prefix',
      '$.services[0].listeners[0].rules[1].match.httpMatch: must have at least one of: method, pathMatch, headerMatches',
      '$.services[0].listeners[0].rules[2].match.httpMatch.headerMatches: must NOT have more than 5 items',
      '$.services[0].listeners[0].rules[3].match.httpMatch.pathMatch.match.prefix: must start with / and contain only a-z A-Z 0-9 @ : % _ + . ~ # ? & / = -',
    ]);
  });

  it('rejects protocols latticed does not serve (TLS_PASSTHROUGH, TCP, LAMBDA)', () => {
    expect(
      issuesAfter((c) => {
        (c.services![0]!.listeners![0] as any).protocol = 'TLS_PASSTHROUGH';
        (c.targetGroups![0] as any).type = 'LAMBDA';
        (c.targetGroups![1]!.config as any).protocol = 'TCP';
      }),
    ).toEqual([
      '$.services[0].listeners[0].protocol: must be one of: "HTTP", "HTTPS"',
      '$.targetGroups[0].type: must be one of: "IP", "INSTANCE"',
      '$.targetGroups[1].config.protocol: must be one of: "HTTP", "HTTPS"',
    ]);
  });

  it('checks IAM shapes: access key ids, max session duration, tag keys', () => {
    expect(
      issuesAfter((c) => {
        c.users![0]!.accessKeys![0]!.accessKeyId = 'ASIAIOSFODNN7EXAMPLE';
        c.roles![0]!.maxSessionDuration = 60;
        c.roles![0]!.tags = [{ Key: 'aws:team', Value: 'x' }];
      }),
    ).toEqual([
      "$.roles[0].tags[0].Key: must match pattern \"^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+$\"",
      '$.roles[0].maxSessionDuration: must be >= 3600',
      '$.users[0].accessKeys[0].accessKeyId: must be AKIA followed by 16 upper-case letters or digits',
    ]);
  });

  it('reports every error of a file at once', () => {
    const issues = issuesAfter((c) => {
      c.region = 'mars';
      c.vpcs![0]!.vpcId = 'vpc-XYZ';
      (c.serviceNetworks![0] as any).authType = 'IAM';
    });
    expect(issues.map((i) => i.split(':')[0])).toEqual(
      expect.arrayContaining(['$.region', '$.vpcs[0].vpcId', '$.serviceNetworks[0].authType']),
    );
  });
});
