/** JSONPath building for issue locations: `$.Statement[1].Condition.StringEquals['aws:SourceVpc']`. */
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function member(path: string, key: string): string {
  return IDENT.test(key) ? `${path}.${key}` : `${path}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}
