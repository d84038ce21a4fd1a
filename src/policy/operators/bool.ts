/** Bool and BinaryEquals. */
import type { OperatorDef } from './types.js';
import { q } from '../quote.js';

export const boolOperator: OperatorDef = {
  name: 'Bool',
  negated: false,
  variables: false,
  check: (v) => (/^(true|false)$/i.test(v) ? null : `${q(v)} is not a boolean (true or false)`),
  compile(values) {
    const wanted = new Set(values.map((v) => v.toLowerCase()));
    return (v) => wanted.has(v.toLowerCase());
  },
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const binaryOperator: OperatorDef = {
  name: 'BinaryEquals',
  negated: false,
  variables: false,
  check: (v) => (BASE64.test(v) ? null : `${q(v)} is not base64`),
  compile(values) {
    const wanted = values.map((v) => Buffer.from(v, 'base64'));
    return (v) => {
      if (!BASE64.test(v)) return false;
      const got = Buffer.from(v, 'base64');
      return wanted.some((w) => w.equals(got));
    };
  },
};
