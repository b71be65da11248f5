// Random mutations of valid scenario and cassette files: every load ends in diagnostics (scenarios) or one
// CassetteError naming the file (cassettes) — never a crash, never a stack trace, never a half-loaded result.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CassetteError, captureToCassette, loadCapture, loadCassette, serializeCassette } from '../../harness/cassette/index.ts';
import { formatDiagnostic, loadScenarioFile } from '../../harness/scenario/index.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SEED = 20261127;
const RUNS = Number(process.env.TF_FUZZ_RUNS ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'tf-loader-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yamlFiles(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : n.endsWith('.yaml') ? [p] : [];
  });
}
const scenarioTexts = yamlFiles(join(ROOT, 'scenarios')).map((f) => readFileSync(f, 'utf8'));

/** A text mutation: delete, duplicate or replace a slice; flip indentation; insert YAML-significant characters. */
const mutation = fc.record({
  kind: fc.constantFrom('delete', 'duplicate', 'insert', 'replace-line', 'truncate'),
  at: fc.nat(), len: fc.integer({ min: 1, max: 40 }),
  text: fc.oneof(fc.constantFrom(':', '- ', '!', '!DataFrame ', '&a ', '*a', '{', ']', '\t', '"', "'", '\n  ', '#', '~', 'null', '\u0000', '\uFFFD', '𝔘'), fc.string({ maxLength: 12 })),
});
function mutate(src: string, m: { kind: string; at: number; len: number; text: string }): string {
  const at = m.at % Math.max(1, src.length);
  switch (m.kind) {
    case 'delete': return src.slice(0, at) + src.slice(at + m.len);
    case 'duplicate': return src.slice(0, at + m.len) + src.slice(at, at + m.len) + src.slice(at + m.len);
    case 'insert': return src.slice(0, at) + m.text + src.slice(at);
    case 'truncate': return src.slice(0, at);
    default: {
      const lines = src.split('\n');
      lines[at % lines.length] = m.text;
      return lines.join('\n');
    }
  }
}

const figures = { scenarios: 0, withDiagnostics: 0, cassettes: 0, refused: 0 };

describe('loaders under mutated files', () => {
  it('scenario files: diagnostics at file:line:col, or a valid load; never an exception', () => {
    fc.assert(
      fc.property(fc.nat(scenarioTexts.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (k, ms) => {
        const text = ms.reduce(mutate, scenarioTexts[k]!);
        const file = join(dir, 'mutated.yaml');
        figures.scenarios += 1;
        const { scenarios, diagnostics } = loadScenarioFile(file, { text });
        if (diagnostics.length > 0) {
          figures.withDiagnostics += 1;
          expect(scenarios).toEqual([]);
          for (const d of diagnostics) {
            expect(formatDiagnostic(d)).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: \\S`));
            expect(d.message).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('cassettes: a CassetteError naming the file, or a valid load; never another exception', async () => {
    const cassette = serializeCassette(await captureToCassette(loadCapture(join(ROOT, 'test/fixtures/captures/wandb-0.18.7-sdk-session.jsonl')), 'capture'));
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const file = join(dir, 'mutated.cassette.json');
        writeFileSync(file, ms.reduce(mutate, cassette));
        figures.cassettes += 1;
        try {
          loadCassette(file);
        } catch (err) {
          figures.refused += 1;
          expect(err).toBeInstanceOf(CassetteError);
          expect((err as Error).message.startsWith(`${file}: `)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`loaders: ${figures.scenarios} mutated scenario files (${figures.withDiagnostics} with diagnostics), ${figures.cassettes} mutated cassettes (${figures.refused} refused with file: message), 0 crashes`);
  });
});
