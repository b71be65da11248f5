// docs/reference/diagnostics.md names every diagnostic and error code the sources can emit: the code unions of
// the layers that report them, and the codes the runner adds. A new code without its row fails here.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');

/** The string literals of `export type NAME = | 'A' | 'B' ...;` in a source file. */
function union(path: string, name: string): string[] {
  const text = read(path);
  const at = text.indexOf(`export type ${name} =`);
  if (at < 0) throw new Error(`${path} has no type ${name}`);
  const body = text.slice(at, text.indexOf(';', at)).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  return [...body.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

const SOURCES: [string, string[]][] = [
  ['hazards (src/integration/records.ts)', union('src/integration/records.ts', 'HazardCode')],
  ['result diagnostics (harness/runner/run-scenario.ts)', [...read('harness/runner/run-scenario.ts').matchAll(/code: '([A-Z_]+)'/g)].map((m) => m[1]!)],
  ['flow.py diagnostics (harness/python/diagnostics.ts)', union('harness/python/diagnostics.ts', 'PythonDiagnosticCode')],
  ['scenario diagnostics (harness/scenario/errors.ts)', union('harness/scenario/errors.ts', 'DiagnosticCode')],
  ['backend errors (src/backend/errors.ts)', union('src/backend/errors.ts', 'BackendErrorCode')],
];

describe('docs/reference/diagnostics.md', () => {
  const page = read('docs/reference/diagnostics.md');
  for (const [what, codes] of SOURCES) {
    it(`has a row for each of the ${what}`, () => {
      expect(codes.length).toBeGreaterThan(2);
      expect(codes.filter((c) => !page.includes(`| \`${c}\` |`))).toEqual([]);
    });
  }
});
