// Loading and writing cassettes. Loading checks the JSON Schema shipped beside this file (ajv, draft 2020-12)
// and reports `file: message`; writing goes to a temp file that is renamed over the target, so a cassette on
// disk is either the old one or the new one, never half of one.

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { CassetteError } from './errors.ts';
import type { Body, Cassette, Interaction } from './format.ts';

// Compiled on first use: a process that never reads a cassette (most CLI commands, a library import) skips it.
let compiled: ValidateFunction | undefined;
const validator = (): ValidateFunction =>
  (compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(new URL('./cassette.schema.json', import.meta.url), 'utf8')) as object));

/** The one-line reason for each schema violation, most specific first (ajv reports oneOf branches too). */
function describe(errors: ErrorObject[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'oneOf') continue;
    const where = e.instancePath === '' ? '(root)' : e.instancePath;
    const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : e.keyword === 'const' ? ` "${String((e.params as { allowedValue: unknown }).allowedValue)}"` : '';
    const line = `${where} ${e.message ?? 'is invalid'}${extra}`;
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  return lines.slice(0, 5).join('; ') + (lines.length > 5 ? `; and ${lines.length - 5} more` : '');
}

/** Checks a parsed value against the schema; `source` names it in the error (a file name). */
export function parseCassette(value: unknown, source: string): Cassette {
  const validate = validator();
  if (!validate(value)) {
    throw new CassetteError('CASSETTE_INVALID', `${source}: not a tracked-flows/cassette@1 file: ${describe(validate.errors ?? [])}. Re-record it with \`tracked-flows record\`.`);
  }
  return value as unknown as Cassette;
}

export function loadCassette(file: string): Cassette {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CassetteError('CASSETTE_UNREADABLE', `${file}: cannot read the cassette (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CassetteError('CASSETTE_INVALID', `${file}: not JSON (${(err as Error).message}). Re-record it with \`tracked-flows record\`.`, { cause: err });
  }
  return parseCassette(value, file);
}

// Key order is fixed here rather than taken from whatever object came in, so the same session always
// serialises to the same bytes. Bodies keep their own key order: it is part of what was sent.
const body = (b: Body | null): Body | null =>
  b === null ? null : 'json' in b ? { json: b.json, style: b.style } : 'text' in b ? { text: b.text } : { base64: b.base64 };
const sortedHeaders = (h: Record<string, string>) => Object.fromEntries(Object.keys(h).sort().map((k) => [k, h[k]!]));

function ordered(i: Interaction): Interaction {
  const { request: q, response: r } = i;
  return {
    request: { method: q.method, path: q.path, query: q.query.map(([k, v]) => [k, v]), headers: sortedHeaders(q.headers), body: body(q.body) },
    response: { status: r.status, headers: sortedHeaders(r.headers), body: body(r.body) },
  };
}

export function serializeCassette(c: Cassette): string {
  const out: Cassette = { format: c.format, meta: { recorder: c.meta.recorder, upstream: c.meta.upstream }, interactions: c.interactions.map(ordered) };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Writes atomically: temp file in the same directory (same file system), then rename. */
export function writeCassette(file: string, c: Cassette): void {
  parseCassette(JSON.parse(JSON.stringify(c)), file); // never write what we could not load back
  const text = serializeCassette(c);
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new CassetteError('CASSETTE_UNWRITABLE', `Failed to write "${file}": ${(err as Error).message}. Check that the directory is writable.`, { cause: err });
  }
}
