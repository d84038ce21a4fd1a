/**
 * `latticed credentials`: mint temporary credentials for a role of a configuration file, sealed under
 * the master key of the state directory the node uses (same resolution as `latticed up`). Errors go to
 * stderr as `CODE (FLAG): message` and exit 1; nothing secret is printed except the credentials.
 */
import path from 'node:path';
import { ConfigError, buildSnapshot, loadConfigFile } from '../network/index.js';
import {
  DEFAULT_STATE_DIR, IamValidationError, issueRoleCredentials, loadMasterKey, MasterKeyError, type SessionTag,
} from '../iam/index.js';
import { formatCredentials, type CredentialFormat } from './credentials-format.js';

export interface CredentialsOptions {
  file: string;
  role: string;
  sessionName?: string;
  duration?: string;
  sourceIdentity?: string;
  tag?: string[];
  format: CredentialFormat;
  stateDir?: string;
  profile?: string;
}

/** STS parameter -> the flag a user typed, for error messages. */
function flagOf(field: string): string {
  if (field === 'roleSessionName') return '--session-name';
  if (field === 'durationSeconds') return '--duration';
  if (field === 'sourceIdentity') return '--source-identity';
  if (field === 'roleArn') return '--role';
  if (field === 'profile') return '--profile';
  const tag = /^tags\.(\d+)\.member/.exec(field);
  if (tag) return `--tag #${tag[1]}`;
  return field === 'tags' ? '--tag' : field;
}

export function parseTags(tags: readonly string[]): SessionTag[] {
  return tags.map((t, i) => {
    const eq = t.indexOf('=');
    if (eq < 0) throw new IamValidationError(`tags.${i + 1}.member.key`, `Tag '${t}' must be KEY=VALUE.`);
    return { Key: t.slice(0, eq), Value: t.slice(eq + 1) };
  });
}

export function parseDuration(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) {
    throw new IamValidationError('durationSeconds', `1 validation error detected: Value '${v}' at 'durationSeconds' failed to satisfy constraint: Member must be a whole number of seconds`);
  }
  return Number(v);
}

/**
 * `--profile` becomes the `[NAME]` line of an ini file that the SDKs read (botocore also honours
 * `credential_process` there): a line break or a bracket would let it write other lines or sections.
 */
export function parseProfile(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^[^\x00-\x1f\x7f[\]]+$/.test(v) || v.trim() !== v) {
    throw new IamValidationError('profile', `Profile name ${JSON.stringify(v)} must be non-empty, without line breaks, control characters, brackets or surrounding spaces.`);
  }
  return v;
}

/** Returns the text to print; throws ConfigError, MasterKeyError or IamValidationError. `note` gets advice for stderr. */
export async function credentialsText(o: CredentialsOptions, env: NodeJS.ProcessEnv, note: (line: string) => void = () => {}): Promise<string> {
  const sessionTags = parseTags(o.tag ?? []);
  const durationSeconds = parseDuration(o.duration);
  const profile = parseProfile(o.profile);
  const file = path.resolve(o.file);
  const config = await loadConfigFile(file);
  const snapshot = await buildSnapshot(config, { revision: 1, baseDir: path.dirname(file), env });
  const stateDir = path.resolve(o.stateDir ?? snapshot.settings.stateDir ?? DEFAULT_STATE_DIR);
  const masterKey = await loadMasterKey({
    env,
    stateDir,
    // A node started with another state directory would reject these credentials: say where the key is.
    onCreate: (keyFile) => note(`created a new master key in ${keyFile}; start the node with the same state directory (or LATTICED_MASTER_KEY)`),
  });
  const creds = issueRoleCredentials(
    {
      iam: snapshot.iam,
      role: o.role,
      sessionName: o.sessionName ?? `latticed-${Math.floor(Date.now() / 1000)}`,
      ...(durationSeconds === undefined ? {} : { durationSeconds }),
      ...(o.sourceIdentity === undefined ? {} : { sourceIdentity: o.sourceIdentity }),
      sessionTags,
    },
    masterKey,
  );
  return formatCredentials(creds, o.format, profile ?? creds.role.name);
}

export function describeCredentialsError(e: unknown): string {
  if (e instanceof IamValidationError) return `${e.code} (${flagOf(e.field)}): ${e.message}`;
  if (e instanceof ConfigError) return `${e.code}: ${e.message}`;
  if (e instanceof MasterKeyError) return `${e.code}: ${e.message}`;
  const err = e as NodeJS.ErrnoException;
  return err.code !== undefined ? `${err.code}: ${err.message}` : String(err?.message ?? e);
}

export async function credentials(o: CredentialsOptions): Promise<void> {
  try {
    process.stdout.write(await credentialsText(o, process.env, (line) => process.stderr.write(`latticed credentials: ${line}\n`)));
  } catch (e) {
    process.stderr.write(`latticed credentials: ${describeCredentialsError(e)}\n`);
    process.exitCode = 1;
  }
}
