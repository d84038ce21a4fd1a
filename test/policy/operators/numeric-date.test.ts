/**
 * Numeric and date condition operators. Source: AWS IAM User Guide, "IAM JSON policy elements:
 * Condition operators" — Numeric and Date condition operators
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric),
 * and "AWS: Allows access based on date and time"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws-dates.html).
 */
import { describe, expect, it } from 'vitest';
import { conditionHolds } from '../helpers.js';

describe('Numeric condition operators (IAM User Guide: Condition operators, Numeric)', () => {
  it('NumericLessThanEquals (example: s3:max-keys <= 10)', () => {
    const c = { NumericLessThanEquals: { 's3:max-keys': '10' } };
    expect(conditionHolds(c, { 's3:max-keys': '10' })).toBe(true);
    expect(conditionHolds(c, { 's3:max-keys': '9' })).toBe(true);
    expect(conditionHolds(c, { 's3:max-keys': '11' })).toBe(false);
    expect(conditionHolds(c, {})).toBe(false);
  });

  it('all six comparisons, and NumericNotEquals on a missing key', () => {
    const at = (op: string, v: string) => conditionHolds({ [op]: { 's3:max-keys': 10 } }, { 's3:max-keys': v });
    expect([at('NumericEquals', '10'), at('NumericEquals', '10.0'), at('NumericEquals', '9')]).toEqual([true, true, false]);
    expect([at('NumericNotEquals', '10'), at('NumericNotEquals', '9')]).toEqual([false, true]);
    expect([at('NumericLessThan', '9'), at('NumericLessThan', '10')]).toEqual([true, false]);
    expect([at('NumericGreaterThan', '11'), at('NumericGreaterThan', '10')]).toEqual([true, false]);
    expect([at('NumericGreaterThanEquals', '10'), at('NumericGreaterThanEquals', '9.5')]).toEqual([true, false]);
    expect(conditionHolds({ NumericNotEquals: { 's3:max-keys': '10' } }, {})).toBe(true);
  });

  it('a request value that is not a number matches no positive comparison', () => {
    expect(conditionHolds({ NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' })).toBe(false);
  });
});

describe('Date condition operators (IAM User Guide: Condition operators, Date; example "allows access based on date and time")', () => {
  // The example allows access between 2020-04-01T00:00:00Z and 2020-06-30T23:59:59Z.
  const window = {
    DateGreaterThan: { 'aws:CurrentTime': '2020-04-01T00:00:00Z' },
    DateLessThan: { 'aws:CurrentTime': '2020-06-30T23:59:59Z' },
  };

  it('DateGreaterThan + DateLessThan on aws:CurrentTime: inside and outside the window', () => {
    expect(conditionHolds(window, { 'aws:CurrentTime': '2020-05-15T12:00:00Z' })).toBe(true);
    expect(conditionHolds(window, { 'aws:CurrentTime': '2020-07-01T00:00:00Z' })).toBe(false);
    expect(conditionHolds(window, { 'aws:CurrentTime': '2020-03-31T23:59:59Z' })).toBe(false);
  });

  it('epoch seconds are accepted on both sides (the guide: "you can use epoch (UNIX) time")', () => {
    const c = { DateLessThan: { 'aws:EpochTime': '1593561599' } }; // 2020-06-30T23:59:59Z
    expect(conditionHolds(c, { 'aws:EpochTime': '1589544000' })).toBe(true);
    expect(conditionHolds(c, { 'aws:EpochTime': '2020-07-01T00:00:00Z' })).toBe(false);
  });

  it('DateEquals / DateNotEquals / the Equals comparisons, and a zone offset', () => {
    const t = '2020-01-01T00:00:01Z';
    expect(conditionHolds({ DateEquals: { 'aws:TokenIssueTime': t } }, { 'aws:TokenIssueTime': '2020-01-01T01:00:01+01:00' })).toBe(true);
    expect(conditionHolds({ DateNotEquals: { 'aws:TokenIssueTime': t } }, { 'aws:TokenIssueTime': t })).toBe(false);
    expect(conditionHolds({ DateLessThanEquals: { 'aws:TokenIssueTime': t } }, { 'aws:TokenIssueTime': t })).toBe(true);
    expect(conditionHolds({ DateGreaterThanEquals: { 'aws:TokenIssueTime': t } }, { 'aws:TokenIssueTime': '2019-12-31' })).toBe(false);
  });
});
