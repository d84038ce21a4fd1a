/**
 * The three outputs of `latticed credentials`: shell exports, the AWS CLI's `credential_process`
 * JSON (Version 1), and a profile block for ~/.aws/credentials. Values are AWS's alphabets
 * (A-Z, 2-7; base64), so none needs shell or ini quoting.
 */
import type { SessionCredentials } from '../iam/index.js';

export const CREDENTIAL_FORMATS = ['env', 'json', 'aws-profile'] as const;
export type CredentialFormat = (typeof CREDENTIAL_FORMATS)[number];

/** ISO 8601 without milliseconds, as STS writes Expiration. */
function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function formatCredentials(c: SessionCredentials, format: CredentialFormat, profile: string): string {
  switch (format) {
    case 'env':
      return [
        `# ${c.assumedRoleArn}, expires ${isoSeconds(c.expiration)}`,
        `export AWS_ACCESS_KEY_ID=${c.accessKeyId}`,
        `export AWS_SECRET_ACCESS_KEY=${c.secretAccessKey}`,
        `export AWS_SESSION_TOKEN=${c.sessionToken}`,
        '',
      ].join('\n');
    case 'json':
      return `${JSON.stringify({
        Version: 1,
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        SessionToken: c.sessionToken,
        Expiration: isoSeconds(c.expiration),
      }, null, 2)}\n`;
    case 'aws-profile':
      return [
        `# ${c.assumedRoleArn}, expires ${isoSeconds(c.expiration)}`,
        `[${profile}]`,
        `aws_access_key_id = ${c.accessKeyId}`,
        `aws_secret_access_key = ${c.secretAccessKey}`,
        `aws_session_token = ${c.sessionToken}`,
        '',
      ].join('\n');
  }
}
