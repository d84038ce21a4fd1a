/** One problem in a configuration: where (a JSONPath into the file) and what. */
export interface ConfigIssue {
  /** e.g. `$.services[1].listeners[0].port`; `$` for the document itself. */
  path: string;
  message: string;
}

/**
 * A configuration that cannot be used. `issues` lists every problem found, not only the first; the
 * message lists them all as `FILE: PATH: message`, one per line. Messages never contain secret values.
 */
export class ConfigError extends Error {
  readonly code = 'ValidationException';
  readonly status = 400;
  readonly issues: readonly ConfigIssue[];
  readonly file: string | undefined;

  constructor(issues: readonly ConfigIssue[], file?: string) {
    const prefix = file === undefined ? '' : `${file}: `;
    const lines = issues.map((i) => `${prefix}${i.path}: ${i.message}`);
    const head = `invalid configuration (${issues.length} error${issues.length === 1 ? '' : 's'})`;
    super([head, ...lines].join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
    this.file = file;
  }
}
