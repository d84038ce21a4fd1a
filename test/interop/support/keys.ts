/** Credentials the interop server knows, fresh per run so no test depends on a fixed secret. */
import { randomBytes } from 'node:crypto';

export interface ClientCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The node's region; SigV4 scopes must name it and SigV4A region sets must contain it. */
export const REGION = 'us-west-2';
export const SERVICE = 'vpc-lattice-svcs';

const secret = (): string => randomBytes(30).toString('base64');

export const longTermKey: ClientCredentials = {
  accessKeyId: 'AKIAINTEROPLONGTERM1',
  secretAccessKey: secret(),
};

/** A session token with `+`, `/` and `=`, as real STS tokens have, to exercise query encoding. */
export const sessionKey: ClientCredentials = {
  accessKeyId: 'ASIAINTEROPSESSION01',
  secretAccessKey: secret(),
  sessionToken: `IQoJb3JpZ2luX2VjE+/${randomBytes(48).toString('base64')}==`,
};

export const credentialKinds = [
  { kind: 'long-term keys', credentials: longTermKey },
  { kind: 'session token', credentials: sessionKey },
] as const;

/** Same access key, wrong secret: the signature cannot match. */
export const withWrongSecret = (credentials: ClientCredentials): ClientCredentials => ({
  ...credentials,
  secretAccessKey: secret(),
});

/** An access key the server has never heard of. */
export const unknownKey: ClientCredentials = {
  accessKeyId: 'AKIAINTEROPUNKNOWN99',
  secretAccessKey: secret(),
};

/** What the server's resolver attaches, so tests can see the identity came through. */
export const principalArnOf = (accessKeyId: string): string =>
  `arn:aws:iam::111122223333:user/interop-${accessKeyId}`;
