/** Clients built on the `aws4` package, header-signed and presigned (`signQuery`). */
import aws4 from 'aws4';
import type { OutgoingHttpHeaders } from 'node:http';
import { REGION, SERVICE, type ClientCredentials } from './keys.js';
import { UNSIGNED_PAYLOAD, type InteropRequest } from './requests.js';
import { send, type Reply } from './send.js';

const withExpires = (target: string): string => `${target}${target.includes('?') ? '&' : '?'}X-Amz-Expires=300`;

const aws4Client =
  (signQuery: boolean) =>
  async (origin: string, request: InteropRequest, credentials: ClientCredentials): Promise<Reply> => {
    const { hostname, port } = new URL(origin);
    const signed = aws4.sign(
      {
        host: hostname,
        port: Number(port),
        method: request.method,
        // aws4 adds no X-Amz-Expires outside S3; a presigned URL names its lifetime itself.
        path: signQuery ? withExpires(request.target) : request.target,
        service: SERVICE,
        region: REGION,
        headers: { ...request.headers, ...UNSIGNED_PAYLOAD },
        body: request.body,
        signQuery,
      },
      credentials,
    );
    return send(origin, signed.path ?? '/', {
      method: request.method,
      headers: signed.headers as OutgoingHttpHeaders,
      body: request.body,
    });
  };

export const aws4Header = aws4Client(false);
export const aws4Presigned = aws4Client(true);
