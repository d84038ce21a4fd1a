/** JSONPath building for issue locations, in the policy engine's style: `$.services[1].tags['team name']`. */
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function member(path: string, key: string): string {
  return IDENT.test(key) ? `${path}.${key}` : `${path}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** Converts an RFC 6901 JSON Pointer (as ajv reports it) into a JSONPath. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '$';
  let path = '$';
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^(0|[1-9]\d*)$/.test(key) ? index(path, Number(key)) : member(path, key);
  }
  return path;
}
