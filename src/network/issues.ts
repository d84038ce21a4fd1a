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
   * Items whose key is undefined are skipped; `report` can veto a report (e.g. a consequence of another).
   */
  unique<T>(
    items: readonly T[],
    key: (t: T) => string | undefined,
    path: (t: T, i: number) => string,
    what: string,
    report: (later: T, first: T) => boolean = () => true,
  ): void {
    const seen = new Map<string, number>();
    items.forEach((t, i) => {
      const k = key(t);
      if (k === undefined) return;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else if (report(t, items[first]!)) this.add(path(t, i), `duplicate ${what} "${k}" (also at ${path(items[first]!, first)})`);
    });
  }

  /**
   * Ids must be unique too, but two generated ids only collide when the names do, which is already
   * reported: so an id clash is reported only when one of the two ids was written in the file.
   */
  uniqueIds<T extends { id: string; path: string; cfg: { id?: string | undefined } }>(items: readonly T[], what: string): void {
    this.unique(items, (t) => t.id, (t) => `${t.path}.id`, what, (a, b) => a.cfg.id !== undefined || b.cfg.id !== undefined);
  }

  /** Validates a policy document through src/policy, reporting its issues under `path`. */
  policy(doc: unknown, path: string, kind: PolicyKind): void {
    for (const e of validatePolicy(doc, { kind }).errors) this.add(path + e.path.slice(1), e.message);
  }
}
