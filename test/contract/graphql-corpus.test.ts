// The conformance corpus (test/fixtures/graphql/): every document the SDKs send goes through the backend's HTTP
// entry point. Each validates against the schema unless docs/reference/graphql-operations.md lists it as
// deliberately not implemented; every `__type` probe is answered with exactly the schema's fields; the table there
// matches the corpus.
import { readFileSync } from 'node:fs';
import { buildSchema, isInputObjectType, isInterfaceType, isObjectType, Kind, parse, visit, type GraphQLNamedType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MockBackend, schemaSource } from '../../src/index.ts';
import { corpus, DIALECTS } from '../helpers/graphql-corpus.ts';

const DOCS = corpus();
const PAGE = readFileSync(new URL('../../docs/reference/graphql-operations.md', import.meta.url), 'utf8');
// The schema as the SDL says, built here on its own: introspection answers are checked against it.
const SDL = buildSchema(schemaSource());

function between(start: string, end: string): string {
  const a = PAGE.indexOf(start);
  const b = PAGE.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/reference/graphql-operations.md has no ${start} ... ${end} section`);
  return PAGE.slice(a + start.length, b);
}

async function send(backend: MockBackend, query: string) {
  const res = await backend.handle(new Request('http://wandb.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: {} }) }));
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions: { code: string } }[] } };
}

/** Refused by validation (the schema lacks something), as opposed to accepted or refused for its variables. */
const failsValidation = (body: { errors?: { extensions: { code: string } }[] }) =>
  (body.errors ?? []).some((e) => ['GRAPHQL_VALIDATION_FAILED', 'UNSUPPORTED_OPERATION'].includes(e.extensions.code));

describe('the conformance corpus', () => {
  const unimplemented = new Map(
    [...between('<!-- graphql-unimplemented:start -->', '<!-- graphql-unimplemented:end -->').matchAll(/^- `([\w-]+\/\w+)` — (.+)$/gm)].map((m) => [m[1]!, m[2]!]),
  );

  it('every document has a source header naming a path and a commit', () => {
    for (const d of DOCS) expect(d.source, d.file).toMatch(/^\S.* @ [0-9a-f]{40}$/);
  });

  it('every document validates against the schema, except those the operations page lists as not implemented', async () => {
    const backend = new MockBackend();
    const refused: string[] = [];
    for (const d of DOCS) {
      const { body } = await send(backend, d.text);
      if (failsValidation(body)) refused.push(`${d.dialect}/${d.operation}`);
    }
    console.log(`graphql corpus: ${DOCS.length - refused.length} of ${DOCS.length} documents validate (${DIALECTS.map((x) => `${x}: ${DOCS.filter((d) => d.dialect === x).length}`).join(', ')}); ${refused.length} deliberately not implemented`);
    expect(refused.sort()).toEqual([...unimplemented.keys()].sort());
    for (const [doc, why] of unimplemented) expect(why.trim().length, doc).toBeGreaterThan(5);
  });

  it('every __type probe is answered with exactly the fields (or input fields) the schema has', async () => {
    const backend = new MockBackend();
    let probes = 0;
    for (const d of DOCS.filter((x) => x.text.includes('__type('))) {
      const { status, body } = await send(backend, d.text);
      expect(status, d.file).toBe(200);
      visit(parse(d.text), {
        Field(node) {
          if (node.name.value !== '__type') return;
          const arg = node.arguments!.find((a) => a.name.value === 'name')!.value;
          const typeName = arg.kind === Kind.STRING ? arg.value : '';
          const answer = body.data![node.alias?.value ?? '__type'] as { fields?: { name: string }[]; inputFields?: { name: string }[] } | null;
          const type: GraphQLNamedType | undefined | null = SDL.getType(typeName);
          expect(answer, `${d.file}: ${typeName}`).not.toBeNull();
          if (isObjectType(type) || isInterfaceType(type)) expect(answer!.fields!.map((f) => f.name), `${d.file}: ${typeName}`).toEqual(Object.keys(type.getFields()));
          else if (isInputObjectType(type)) expect(answer!.inputFields!.map((f) => f.name), `${d.file}: ${typeName}`).toEqual(Object.keys(type.getFields()));
          else throw new Error(`${d.file} probes ${typeName}, which the schema does not have`);
          probes++;
        },
      });
    }
    expect(probes).toBeGreaterThanOrEqual(10);
  });

  it("the table of operations per dialect (docs/reference/graphql-operations.md) is the corpus and the schema", async () => {
    const backend = new MockBackend();
    const expected: string[] = [];
    for (const op of [...new Set(DOCS.map((d) => d.operation))].sort()) {
      const cells: string[] = [];
      for (const dialect of DIALECTS) {
        const d = DOCS.find((x) => x.dialect === dialect && x.operation === op);
        cells.push(d ? (failsValidation((await send(backend, d.text)).body) ? 'no' : 'yes') : '—');
      }
      expected.push(`| ${op} | ${cells.join(' | ')} |`);
    }
    const table = between('<!-- graphql-operations:start -->', '<!-- graphql-operations:end -->').trim().split('\n').slice(2);
    expect(table).toEqual(expected);
  });
});
