/** JSONPath building for issue locations: `$.Statement[1].Condition.StringEquals['aws:SourceVpc']`. */
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function member(path: string, key: string): string {
  if (IDENT.test(key)) return `${path}.${key}`;
  // Escape quotes, backslashes and control characters so that a key cannot forge output lines.
  const escaped = key.replace(/[\\'\u0000-\u001f\u2028\u2029]/g, (c) =>
    c === '\\' || c === "'" ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${path}['${escaped}']`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}
