/** Splits a request target (origin-form or absolute-form) into its raw path and raw query. */
export interface RequestTarget {
  path: string;
  query: string;
}

export function splitTarget(url: string): RequestTarget {
  let start = 0;
  if (url.charCodeAt(0) !== 47 /* / */) {
    const scheme = url.indexOf('://');
    if (scheme > 0) {
      const slash = url.indexOf('/', scheme + 3);
      const q = url.indexOf('?', scheme + 3);
      start = slash < 0 || (q >= 0 && q < slash) ? -1 : slash;
      if (start < 0) return { path: '/', query: q < 0 ? '' : stripFragment(url.slice(q + 1)) };
    }
  }
  const q = url.indexOf('?', start);
  if (q < 0) return { path: stripFragment(url.slice(start)), query: '' };
  return { path: url.slice(start, q), query: stripFragment(url.slice(q + 1)) };
}

function stripFragment(s: string): string {
  const h = s.indexOf('#');
  return h < 0 ? s : s.slice(0, h);
}
