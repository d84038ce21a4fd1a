/**
 * `latticed policy validate FILE…`: every error and warning of every file, one per line, as
 * `FILE: $.Statement[1].Condition: unknown operator "StringEqualz"`. Exit status 1 when any file
 * has an error (or, with --strict, a warning).
 */
import { readFileSync } from 'node:fs';
import { validatePolicy, type PolicyKind } from '../policy/index.js';

export interface ValidateOptions {
  kind?: string;
  strict?: boolean;
  quiet?: boolean;
}

export function validateFiles(files: readonly string[], o: ValidateOptions, out: (line: string) => void): number {
  const kind: PolicyKind = o.kind === 'identity' ? 'identity' : 'resource';
  let status = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      out(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      status = 1;
      continue;
    }
    const { errors, warnings } = validatePolicy(text, { kind });
    for (const i of errors) out(`${file}: ${i.path}: ${i.message}`);
    for (const i of warnings) out(`${file}: ${i.path}: warning: ${i.message}`);
    if (errors.length > 0 || (o.strict === true && warnings.length > 0)) status = 1;
    else if (o.quiet !== true && warnings.length === 0) out(`${file}: valid`);
  }
  return status;
}
