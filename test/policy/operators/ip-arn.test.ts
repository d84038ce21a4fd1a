/**
 * IpAddress/NotIpAddress and the ARN operators. Source: AWS IAM User Guide, "IAM JSON policy
 * elements: Condition operators" — IP address and Amazon Resource Name (ARN) condition operators
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress).
 */
import { describe, expect, it } from 'vitest';
import { conditionHolds } from '../helpers.js';

describe('IP address condition operators (IAM User Guide: Condition operators, IP address)', () => {
  it('IpAddress aws:SourceIp 203.0.113.0/24 (the guide\'s example)', () => {
    const c = { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } };
    expect(conditionHolds(c, { 'aws:SourceIp': '203.0.113.7' })).toBe(true);
    expect(conditionHolds(c, { 'aws:SourceIp': '203.0.114.7' })).toBe(false);
    expect(conditionHolds(c, { 'aws:SourceIp': 'not-an-ip' })).toBe(false);
  });

  it('IPv4 and IPv6 together: ["203.0.113.0/24", "2001:DB8:1234:5678::/64"] (the guide\'s mixed example)', () => {
    const c = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } };
    expect(conditionHolds(c, { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' })).toBe(true);
    expect(conditionHolds(c, { 'aws:SourceIp': '2001:db8:1234:5679::1' })).toBe(false);
    expect(conditionHolds(c, { 'aws:SourceIp': '::ffff:203.0.113.9' })).toBe(true);
  });

  it('NotIpAddress: outside the range, and true when aws:SourceIp is missing', () => {
    const c = { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } };
    expect(conditionHolds(c, { 'aws:SourceIp': '198.51.100.1' })).toBe(true);
    expect(conditionHolds(c, { 'aws:SourceIp': '192.0.2.200' })).toBe(false);
    expect(conditionHolds(c, {})).toBe(true);
  });

  it('a bare address is a /32; host bits in a CIDR are ignored; /0 matches every IPv4 address', () => {
    expect(conditionHolds({ IpAddress: { 'aws:SourceIp': '10.1.2.3' } }, { 'aws:SourceIp': '10.1.2.3' })).toBe(true);
    expect(conditionHolds({ IpAddress: { 'aws:SourceIp': '10.1.2.3/8' } }, { 'aws:SourceIp': '10.200.0.1' })).toBe(true);
    expect(conditionHolds({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { 'aws:SourceIp': '8.8.8.8' })).toBe(true);
    expect(conditionHolds({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { 'aws:SourceIp': '2001:db8::1' })).toBe(false);
  });
});

describe('ARN condition operators (IAM User Guide: Condition operators, ARN)', () => {
  const topic = 'arn:aws:sns:us-west-2:123456789012:my-topic';

  it('ArnEquals aws:SourceArn (the guide\'s SNS topic example)', () => {
    const c = { ArnEquals: { 'aws:SourceArn': topic } };
    expect(conditionHolds(c, { 'aws:SourceArn': topic })).toBe(true);
    expect(conditionHolds(c, { 'aws:SourceArn': topic.replace('my-topic', 'other') })).toBe(false);
  });

  it('ArnLike: each of the six parts is matched separately, wildcards do not cross a colon', () => {
    const c = { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:*' } };
    expect(conditionHolds(c, { 'aws:SourceArn': topic })).toBe(true);
    expect(conditionHolds(c, { 'aws:SourceArn': 'arn:aws:sns:us-west-2:999999999999:my-topic' })).toBe(false);
    // "*" in the account part cannot swallow "123456789012:extra" (a whole-string glob would).
    const d = { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-west-2:*:my-topic' } };
    expect(conditionHolds(d, { 'aws:SourceArn': topic })).toBe(true);
    expect(conditionHolds(d, { 'aws:SourceArn': 'arn:aws:sns:us-west-2:123456789012:extra:my-topic' })).toBe(false);
    expect(conditionHolds(c, { 'aws:SourceArn': 'not-an-arn' })).toBe(false);
  });

  it('ArnNotEquals / ArnNotLike: negated, true when the key is missing', () => {
    const c = { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:*' } };
    expect(conditionHolds(c, { 'aws:SourceArn': topic })).toBe(false);
    expect(conditionHolds(c, {})).toBe(true);
    expect(conditionHolds({ ArnNotEquals: { 'aws:SourceArn': topic } }, { 'aws:SourceArn': topic })).toBe(false);
  });
});
