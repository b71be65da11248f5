// What a refused document asked for that the schema does not have, as log entries: `Type.field` for a field
// (or an input object's field), `Type.field(arg)` for an argument, the name for a type or directive. Read from
// graphql-js's own validation and coercion messages (stable within graphql 16, which package.json pins).

import type { GraphQLError } from 'graphql';

const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Cannot query field "(\w+)" on type "(\w+)"\./, (m) => `${m[2]}.${m[1]}`],
  [/^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./, (m) => `${m[2]}.${m[3]}(${m[1]})`],
  [/^Unknown type "(\w+)"\./, (m) => m[1]!],
  [/^Unknown directive "(@\w+)"\./, (m) => m[1]!],
  [/Field "(\w+)" is not defined by type "(\w+)"\./, (m) => `${m[2]}.${m[1]}`],
];

export function unsupportedEntries(errors: readonly GraphQLError[]): string[] {
  const out = new Set<string>();
  for (const error of errors) {
    for (const [pattern, entry] of PATTERNS) {
      const m = pattern.exec(error.message);
      if (m) {
        out.add(entry(m));
        break;
      }
    }
  }
  return [...out].sort();
}
