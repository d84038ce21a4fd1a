/**
 * A bounded memo for pure string functions on the per-request path (context-key lowercasing,
 * principal parsing): request after request carries the same few keys and principals. When full it
 * starts over, and strings longer than `maxLength` are computed but not kept, so memory stays bounded
 * (about max × maxLength) whatever callers send, e.g. many distinct long header names.
 */
export function memo<T>(fn: (s: string) => T, max = 4096, maxLength = 256): (s: string) => T {
  const cache = new Map<string, T>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined) {
      v = fn(s);
      if (s.length > maxLength) return v;
      if (cache.size >= max) cache.clear();
      cache.set(s, v);
    }
    return v;
  };
}
