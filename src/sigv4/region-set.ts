/** SigV4A region sets: `*`, or a comma-separated list whose entries may contain `*` wildcards. */

/** Glob match where `*` matches any run of characters (including none). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The entries of a region set as sent, trimmed. */
export function parseRegionSet(text: string): string[] {
  return text.split(',').map((r) => r.trim());
}

export function regionSetContains(entries: readonly string[], region: string): boolean {
  for (const e of entries) if (e !== '' && globMatch(e, region)) return true;
  return false;
}
