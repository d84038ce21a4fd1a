// Shared by the demo apps: a tiny HTTP server whose responses echo what it received, so you can see
// exactly what latticed forwarded (path, method, identity headers). Plain node:http, no framework.

/** Reads a request body (the demo bodies are small). */
export async function readBody(req) {
  const chunks = [];
  try {
    for await (const c of req) chunks.push(c);
  } catch {
    // The caller went away; what arrived is all there is.
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** What the app saw: method, path and every header, with the x-amzn-lattice-* ones listed first. */
export function received(req, body) {
  const lattice = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-amzn-lattice-')));
  return { method: req.method, path: req.url, lattice, headers: req.headers, body };
}

export function sendJson(res, status, value) {
  const text = JSON.stringify(value, null, 2) + '\n';
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
