/** A collector of configuration issues, with the duplicate check every resource list needs. */
import { validatePolicy, type PolicyKind } from '../policy/index.js';
import type { ConfigIssue } from './errors.js';

export class Issues {
  readonly list: ConfigIssue[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  /**
   * Reports every item whose key was already used by an earlier item, at the later item's path.
   * Items whose key is undefined are skipped.
   */
  unique<T>(items: readonly T[], key: (t: T) => string | undefined, path: (t: T, i: number) => string, what: string): void {
    const seen = new Map<string, number>();
    items.forEach((t, i) => {
      const k = key(t);
      if (k === undefined) return;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else this.add(path(t, i), `duplicate ${what} "${k}" (also at ${path(items[first]!, first)})`);
    });
  }

  /** Validates a policy document through src/policy, reporting its issues under `path`. */
  policy(doc: unknown, path: string, kind: PolicyKind): void {
    for (const e of validatePolicy(doc, { kind }).errors) this.add(path + e.path.slice(1), e.message);
  }
}
