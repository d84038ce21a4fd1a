/**
 * The STS session token: the session's claims as compact JSON, sealed (seal.ts) under the master key
 * for the purpose `latticed/sts-session-token`, then base64 like AWS's own tokens. Every node with the
 * master key verifies it without a lookup; without the key it is opaque and cannot be altered.
 */
import { SealError } from './errors.js';
import { seal, SEAL_OVERHEAD, unseal } from './seal.js';

export const SESSION_TOKEN_PURPOSE = 'latticed/sts-session-token';
/** Larger tokens are refused before any work: AWS's own stay well under this. */
export const MAX_SESSION_TOKEN_CHARS = 8192;
const TOKEN_SHAPE = /^[A-Za-z0-9+/]+={0,2}$/;

/** What a session token carries. Times are whole seconds since the epoch. */
export interface SessionClaims {
  accessKeyId: string;
  secretAccessKey: string;
  roleArn: string;
  roleId: string;
  account: string;
  orgId?: string;
  orgPaths?: readonly string[];
  /** The role's tags merged with the session tags when the session was issued. */
  tags: Readonly<Record<string, string>>;
  /** The session tags alone, so that they can be re-applied over the role's current tags. */
  sessionTags: Readonly<Record<string, string>>;
  sessionName: string;
  sourceIdentity?: string;
  issuedAt: number;
  expiresAt: number;
}

/** The sealed JSON uses short keys: the token travels in every request. */
interface Wire {
  v: 1;
  k: string;
  s: string;
  r: string;
  ri: string;
  a: string;
  o?: string;
  op?: string[];
  t: Record<string, string>;
  st: Record<string, string>;
  n: string;
  si?: string;
  iat: number;
  exp: number;
}

export function encodeSessionToken(c: SessionClaims, masterKey: Buffer): string {
  const wire: Wire = {
    v: 1, k: c.accessKeyId, s: c.secretAccessKey, r: c.roleArn, ri: c.roleId, a: c.account,
    ...(c.orgId === undefined ? {} : { o: c.orgId }),
    ...(c.orgPaths === undefined ? {} : { op: [...c.orgPaths] }),
    t: { ...c.tags }, st: { ...c.sessionTags }, n: c.sessionName,
    ...(c.sourceIdentity === undefined ? {} : { si: c.sourceIdentity }),
    iat: c.issuedAt, exp: c.expiresAt,
  };
  return seal(masterKey, SESSION_TOKEN_PURPOSE, JSON.stringify(wire)).toString('base64');
}

/** Opens a token; SealError for anything that is not a token this master key sealed. */
export function decodeSessionToken(token: string, masterKey: Buffer): SessionClaims {
  if (token.length > MAX_SESSION_TOKEN_CHARS || token.length % 4 !== 0 || !TOKEN_SHAPE.test(token)) throw new SealError();
  const sealed = Buffer.from(token, 'base64');
  if (sealed.length < SEAL_OVERHEAD) throw new SealError();
  const json = unseal(masterKey, SESSION_TOKEN_PURPOSE, sealed).toString('utf8');
  let w: unknown;
  try {
    w = JSON.parse(json);
  } catch {
    throw new SealError();
  }
  // Sealed by us, so a wrong shape means a bug or an incompatible version: refuse rather than guess.
  if (!isWire(w)) throw new SealError('the session token has an unknown format');
  return {
    accessKeyId: w.k, secretAccessKey: w.s, roleArn: w.r, roleId: w.ri, account: w.a,
    ...(w.o === undefined ? {} : { orgId: w.o }),
    ...(w.op === undefined ? {} : { orgPaths: Object.freeze(w.op) }),
    tags: Object.freeze(w.t), sessionTags: Object.freeze(w.st), sessionName: w.n,
    ...(w.si === undefined ? {} : { sourceIdentity: w.si }),
    issuedAt: w.iat, expiresAt: w.exp,
  };
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isOptStr = (v: unknown): boolean => v === undefined || isStr(v);
const isStrRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(isStr);

function isWire(v: unknown): v is Wire {
  if (typeof v !== 'object' || v === null) return false;
  const w = v as Record<string, unknown>;
  return w.v === 1 && isStr(w.k) && isStr(w.s) && isStr(w.r) && isStr(w.ri) && isStr(w.a) && isOptStr(w.o) &&
    (w.op === undefined || (Array.isArray(w.op) && w.op.every(isStr))) && isStrRecord(w.t) && isStrRecord(w.st) &&
    isStr(w.n) && isOptStr(w.si) && Number.isSafeInteger(w.iat) && Number.isSafeInteger(w.exp);
}
