/**
 * AssumeRole's input rules (STS API reference), with AWS's error code and message shape: a
 * `ValidationError` naming the parameter, e.g. `Value 'x' at 'roleSessionName' failed to satisfy
 * constraint: …`. The field is the STS parameter name, so a CLI can map it back to its flag.
 */
import { IamValidationError } from './errors.js';
import type { RoleInfo } from './types.js';

export interface SessionTag {
  Key: string;
  Value: string;
}

export const MIN_SESSION_SECONDS = 900;
export const DEFAULT_SESSION_SECONDS = 3600;
export const MAX_SESSION_TAGS = 50;

// RoleSessionName and SourceIdentity share this pattern and a 2..64 length.
const NAME = /^[\w+=,.@-]{2,64}$/;
// Tag keys and values: letters, separators, numbers and _ . : / = + - @ (IAM's tag rules).
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

function invalid(field: string, value: string, constraint: string): IamValidationError {
  return new IamValidationError(field, `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

export function validateSessionName(name: string): void {
  if (!NAME.test(name)) {
    throw invalid('roleSessionName', name, 'Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*');
  }
}

export function validateSourceIdentity(id: string): void {
  if (!NAME.test(id)) {
    throw invalid('sourceIdentity', id, 'Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*');
  }
  if (id.toLowerCase().startsWith('aws:')) {
    throw new IamValidationError('sourceIdentity', "The source identity cannot begin with the prefix 'aws:'.");
  }
}

/** DurationSeconds: 900 up to the role's MaxSessionDuration; returns the value to use. */
export function validateDuration(seconds: number | undefined, role: RoleInfo): number {
  const d = seconds ?? Math.min(DEFAULT_SESSION_SECONDS, role.maxSessionDurationSeconds);
  if (!Number.isInteger(d)) throw invalid('durationSeconds', String(d), 'Member must be a whole number of seconds');
  if (d < MIN_SESSION_SECONDS) throw invalid('durationSeconds', String(d), `Member must have value greater than or equal to ${MIN_SESSION_SECONDS}`);
  if (d > role.maxSessionDurationSeconds) {
    throw new IamValidationError(
      'durationSeconds',
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role (${role.maxSessionDurationSeconds}).`,
    );
  }
  return d;
}

/** Session tags: at most 50, IAM's key/value rules, no `aws:` keys, keys unique ignoring case. */
export function validateSessionTags(tags: readonly SessionTag[]): void {
  if (tags.length > MAX_SESSION_TAGS) {
    throw invalid('tags', `${tags.length} tags`, `Member must have length less than or equal to ${MAX_SESSION_TAGS}`);
  }
  const seen = new Set<string>();
  tags.forEach((t, i) => {
    const at = `tags.${i + 1}.member`;
    if (typeof t.Key !== 'string' || !TAG_KEY.test(t.Key)) {
      throw invalid(`${at}.key`, String(t.Key), 'Member must have length between 1 and 128 and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    }
    if (typeof t.Value !== 'string' || !TAG_VALUE.test(t.Value)) {
      throw invalid(`${at}.value`, String(t.Value), 'Member must have length less than or equal to 256 and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
    }
    const lower = t.Key.toLowerCase();
    if (lower.startsWith('aws:')) throw new IamValidationError(`${at}.key`, "Tag keys cannot begin with the prefix 'aws:'.");
    if (seen.has(lower)) {
      throw new IamValidationError(`${at}.key`, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    }
    seen.add(lower);
  });
}

/**
 * Role tags overridden by session tags (keys compared ignoring case, as IAM does); the session's
 * spelling wins. The result has no prototype: a tag named `__proto__` or `constructor` is a tag.
 */
export function mergeTags(
  roleTags: Readonly<Record<string, string>>,
  sessionTags: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  const overridden = new Set(Object.keys(sessionTags).map((k) => k.toLowerCase()));
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(roleTags)) if (!overridden.has(k.toLowerCase())) out[k] = v;
  return Object.freeze(Object.assign(out, sessionTags));
}
