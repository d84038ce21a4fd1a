/**
 * Canonical-request and key-derivation checks against the vectors: the smithy-rs path cases
 * (double-encode-path has no known secret and a creq date that differs from its signed request,
 * so only its canonical request can be checked), and the SigV4A public key of every v4a case.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalRequest, deriveSigV4aKeyPair, stringToSign } from '../../src/sigv4/index.js';
import { parseHttpText } from '../sigv4/support/http-text.js';
import { smithyRsDir, vectorsDir } from '../sigv4/support/vectors.js';

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe.each(['double-encode-path', 'double-url-encode'])('smithy-rs %s canonical request', (name) => {
  it('matches header-canonical-request.txt', () => {
    const expected = readFileSync(path.join(smithyRsDir, name, 'header-canonical-request.txt'), 'utf8');
    const http = parseHttpText(readFileSync(path.join(smithyRsDir, name, 'request.txt'), 'utf8'));
    // The creq was made at another time than request.txt states; take its x-amz-date.
    http.headers['x-amz-date'] = [/x-amz-date:(\S+)/.exec(expected)![1]!];
    expect(canonicalRequest(http, ['host', 'x-amz-date'], EMPTY)).toBe(expected);
  });
});

it('smithy-rs double-url-encode string to sign', () => {
  const dir = path.join(smithyRsDir, 'double-url-encode');
  const creq = readFileSync(path.join(dir, 'header-canonical-request.txt'), 'utf8');
  const sts = readFileSync(path.join(dir, 'header-string-to-sign.txt'), 'utf8').trimEnd();
  expect(stringToSign('AWS4-HMAC-SHA256', '20210511T154045Z', '20210511/us-east-2/lambda/aws4_request', creq)).toBe(sts);
});

const v4aDir = path.join(vectorsDir, 'aws-c-auth/tests/aws-signing-test-suite/v4a');
const withKeys = readdirSync(v4aDir).filter((c) => existsSync(path.join(v4aDir, c, 'public-key.json')));

describe('SigV4A key derivation', () => {
  it('covers the v4a cases that ship a public key', () => {
    expect(withKeys.length).toBeGreaterThanOrEqual(38);
  });

  it.each(withKeys)('v4a/%s public-key.json', (name) => {
    const ctx = JSON.parse(readFileSync(path.join(v4aDir, name, 'context.json'), 'utf8')) as {
      credentials: { access_key_id: string; secret_access_key: string };
    };
    const key = JSON.parse(readFileSync(path.join(v4aDir, name, 'public-key.json'), 'utf8')) as { X: string; Y: string };
    const pair = deriveSigV4aKeyPair(ctx.credentials.access_key_id, ctx.credentials.secret_access_key);
    expect({ X: pair.x, Y: pair.y }).toEqual({ X: key.X.toLowerCase(), Y: key.Y.toLowerCase() });
  });
});
