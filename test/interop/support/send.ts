/** Sends an already-signed request over node:http exactly as given, and reads the JSON reply. */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';

export interface Reply {
  status: number;
  /** The server's JSON: the identity on 200, `{ __type, message }` otherwise. */
  body: Record<string, unknown>;
}

export function parseReply(status: number, text: string): Reply {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text };
  }
  return { status, body };
}

/** `target` goes on the request line byte for byte; a URL object would re-encode it. */
export function send(
  origin: string,
  target: string,
  init: { method: string; headers: OutgoingHttpHeaders; body?: string | Uint8Array },
): Promise<Reply> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const options = { hostname, port, path: target, method: init.method, headers: init.headers };
    const req = httpRequest(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(parseReply(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
