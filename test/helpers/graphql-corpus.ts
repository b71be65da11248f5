// The conformance corpus (test/fixtures/graphql/<dialect>/<OperationName>.graphql): the GraphQL documents the
// SDKs send, one per file, each with a `# source: <path> @ <commit>` header. Tests send these real documents.
import { readdirSync, readFileSync } from 'node:fs';

export const DIALECTS = ['legacy-0.18', 'wandb-core', 'python-sdk'] as const;
export type Dialect = (typeof DIALECTS)[number];

const DIR = new URL('../fixtures/graphql/', import.meta.url);

export interface CorpusDocument { dialect: Dialect; operation: string; source: string; text: string; file: string }

export function corpus(): CorpusDocument[] {
  return DIALECTS.flatMap((dialect) =>
    readdirSync(new URL(`${dialect}/`, DIR)).filter((f) => f.endsWith('.graphql')).sort().map((f) => {
      const text = readFileSync(new URL(`${dialect}/${f}`, DIR), 'utf8');
      const source = /^# source: (.+)$/m.exec(text)?.[1] ?? '';
      return { dialect, operation: f.replace(/\.graphql$/, ''), source, text, file: `test/fixtures/graphql/${dialect}/${f}` };
    }),
  );
}

/** One document's text; throws naming the file when the corpus has no such document. */
export function corpusDocument(dialect: Dialect, operation: string): string {
  try {
    return readFileSync(new URL(`${dialect}/${operation}.graphql`, DIR), 'utf8');
  } catch {
    throw new Error(`Failed to read the corpus document "${dialect}/${operation}": no test/fixtures/graphql/${dialect}/${operation}.graphql.`);
  }
}

/** The first dialect's document for an operation name (wandb-core, then the others), or undefined. */
export function anyDocument(operation: string): string | undefined {
  if (!/^\w+$/.test(operation)) return undefined;
  for (const dialect of ['wandb-core', 'python-sdk', 'legacy-0.18'] as const) {
    try {
      return corpusDocument(dialect, operation);
    } catch {
      // next dialect
    }
  }
  return undefined;
}
