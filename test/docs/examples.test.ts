// Examples that cannot drift (issue 28): every fenced block of README.md, scenarios/README.md and docs/ is run,
// type-checked, validated or planned, or carries a marker saying why not (blocks.ts). What a block is:
//   sh                 run in order in a scratch copy of the project, with the CLI (scratch.ts)
//   text, "$ " first   a transcript: the command is run; what it prints (stdout and stderr) must be the rest
//   text otherwise     an illustration (a diagram, sample output): not an example
//   ts                 type-checked against tracked-flows, tracked-flows/harness, tracked-flows/vitest; run by
//                      vitest when it is a whole test file (typescript.ts)
//   yaml               a scenario: validated as `tracked-flows validate` does, planned for `expect` markers; a
//                      value file (`file NAME.values.yaml`): read by the plan of its flow
//   python             a flow (FlowSpec): planned as `tracked-flows plan flow.py`, with no error diagnostics
//   json               parsed
// The counts, and every skipped block with its reason, are printed at the end.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, planFile, planFlowFile } from '../../harness/index.ts';
import { blocksOf, docPages, where, type DocBlock } from './blocks.ts';
import { checkLinks } from './links.ts';
import { scratchProject, type Scratch } from './scratch.ts';
import { isWholeTest, runTests, typeCheck } from './typescript.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pages = docPages(ROOT);
const blocks = pages.flatMap((p) => blocksOf(ROOT, p));

type Kind = 'skip' | 'real-sdk' | 'sh' | 'transcript' | 'cli-help' | 'illustration' | 'ts' | 'scenario' | 'values' | 'flow' | 'json' | 'unknown';

function kindOf(b: DocBlock): Kind {
  if (b.markers.skip !== undefined) return 'skip';
  if (b.markers.realSdk !== undefined) return 'real-sdk';
  switch (b.lang) {
    case 'sh': return 'sh';
    // `--help` transcripts are compared in-process by cli-reference.test.ts.
    case 'text': return /^\$ npx tracked-flows (\S+ )?--help\n/.test(b.text) ? 'cli-help' : b.text.startsWith('$ ') ? 'transcript' : 'illustration';
    case 'ts': return 'ts';
    case 'json': return 'json';
    case 'yaml':
      if (/^version: 1$/m.test(b.text) && /^scenario: /m.test(b.text)) return 'scenario';
      return b.markers.file?.endsWith('.values.yaml') ? 'values' : 'unknown';
    case 'python': return /\bFlowSpec\b/.test(b.text) ? 'flow' : 'unknown';
    default: return 'unknown';
  }
}

const counts = { ran: 0, transcripts: 0, cliHelp: 0, typeChecked: 0, testsRun: 0, validated: 0, planned: 0, parsed: 0, illustrations: 0 };
const notRun: string[] = [];

afterAll(() => {
  const c = counts;
  console.log([
    `doc examples: ${blocks.length} blocks in ${pages.length} pages`,
    `  ran ${c.ran} sh blocks and ${c.transcripts} transcripts (${c.cliHelp} --help transcripts: cli-reference.test.ts); type-checked ${c.typeChecked} ts blocks (${c.testsRun} run as vitest files);`,
    `  validated ${c.validated} scenarios; planned ${c.planned} flows and scenarios; parsed ${c.parsed} json; ${c.illustrations} illustrations`,
    `  not run here (${notRun.length}):`,
    ...notRun.map((s) => `    ${s}`),
  ].join('\n'));
});

/** Checks one non-TypeScript block in the page's scratch project; returns the problems. */
async function check(b: DocBlock, kind: Kind, scratch: Scratch): Promise<string[]> {
  const at = where(b);
  switch (kind) {
    case 'sh': {
      const r = scratch.sh(b.text);
      counts.ran++;
      const want = b.markers.exit ?? 0;
      return r.code === want ? [] : [`${at}: exited ${r.code}, expected ${want}\n--- stdout\n${r.stdout.slice(-1500)}\n--- stderr\n${r.stderr.slice(-1500)}`];
    }
    case 'transcript': {
      const [command, ...expected] = b.text.split('\n');
      // What a terminal shows: stdout and stderr, in order.
      const r = scratch.sh(`${command!.slice(2)} 2>&1`);
      counts.transcripts++;
      const got = r.stdout.trimEnd().split('\n').map((l) => l.trimEnd()).join('\n');
      const want = b.markers.exit ?? 0;
      if (got === expected.join('\n').trimEnd() && r.code === want) return [];
      return [`${at}: "${command}" exited ${r.code} (expected ${want}) and printed:\n${got}\n--- the page shows:\n${expected.join('\n')}`];
    }
    case 'scenario': {
      const path = scratch.write(b.markers.file ?? `doc-L${b.line}.yaml`, b.text);
      if (b.markers.invalid) {
        counts.validated++;
        try {
          loadScenario(path);
        } catch {
          return [];
        }
        return [`${at}: marked invalid, but it validates`];
      }
      try {
        loadScenario(path);
        counts.validated++;
        if (b.markers.expect.length === 0) return [];
        const codes = (await planFile(path)).diagnostics.map((d) => d.code);
        counts.planned++;
        const missing = b.markers.expect.filter((c) => !codes.includes(c));
        return missing.length ? [`${at}: the plan reports ${codes.join(', ') || 'no diagnostics'}, not ${missing.join(', ')}`] : [];
      } catch (err) {
        return [`${at}: ${(err as Error).message}`];
      }
    }
    case 'flow': {
      const path = scratch.write(b.markers.file ?? `doc_L${b.line}.py`, b.text);
      const { result, diagnostics } = await planFlowFile(path, {});
      counts.planned++;
      const bad = diagnostics.filter((d) => d.severity === 'error' || d.code === 'VALUES_FILE');
      return result && bad.length === 0 ? [] : bad.map((d) => `${b.page}:${b.line + d.line}:${d.col}: ${d.code}: ${d.message}`).concat(result ? [] : [`${at}: not planned`]);
    }
    case 'values': {
      // Read by the plan of its flow: X.values.yaml belongs to the page's X.py, else to the page's flow.
      const name = b.markers.file!;
      const flows = blocks.filter((x) => x.page === b.page && kindOf(x) === 'flow');
      const flow = flows.find((x) => x.markers.file === name.replace(/\.values\.yaml$/, '.py')) ?? (flows.length === 1 ? flows[0] : undefined);
      if (!flow?.markers.file) return [`${at}: a value file needs its flow on the page, a python block marked \`file NAME.py\``];
      const { diagnostics } = await planFlowFile(join(scratch.dir, flow.markers.file), { valuesFile: join(scratch.dir, name) });
      counts.validated++;
      return diagnostics.filter((d) => d.code === 'VALUES_FILE').map((d) => `${at}: ${d.message}`);
    }
    case 'json':
      counts.parsed++;
      try {
        JSON.parse(b.text);
        return [];
      } catch (err) {
        return [`${at}: not JSON: ${(err as Error).message}`];
      }
    default:
      return [];
  }
}

describe('the examples of README.md and docs/ run as written', () => {
  it('every fenced block is an example the test knows, or a marker says why not', () => {
    const unknown = blocks.filter((b) => kindOf(b) === 'unknown').map((b) => `${where(b)}: a \`${b.lang || '(no language)'}\` block the test cannot check: make it an example or mark it (test/docs/blocks.ts)`);
    expect(unknown).toEqual([]);
    for (const b of blocks) {
      const kind = kindOf(b);
      if (kind === 'skip') notRun.push(`${where(b)} (${b.lang}): skipped: ${b.markers.skip}`);
      if (kind === 'real-sdk') notRun.push(`${where(b)} (${b.lang}): real-SDK tier: ${b.markers.realSdk}`);
      if (kind === 'illustration') counts.illustrations++;
      if (kind === 'cli-help') counts.cliHelp++;
    }
  });

  for (const page of pages) {
    const own = blocks.filter((b) => b.page === page && !['ts', 'skip', 'real-sdk', 'illustration', 'cli-help', 'unknown'].includes(kindOf(b)));
    if (own.length === 0) continue;
    it(`${page}: ${own.length} blocks`, async () => {
      const scratch = scratchProject(ROOT);
      try {
        // Files first: a page may show a value file after the flow that reads it.
        for (const b of blocks.filter((x) => x.page === page && x.markers.file !== undefined)) scratch.write(b.markers.file!, b.text);
        const problems: string[] = [];
        for (const b of own) problems.push(...(await check(b, kindOf(b), scratch)));
        expect(problems).toEqual([]);
      } finally {
        scratch.remove();
      }
    }, 300_000);
  }

  const ts = blocks.filter((b) => kindOf(b) === 'ts');
  it(`the ${ts.length} TypeScript blocks type-check against the package's exports`, () => {
    const errors = typeCheck(ROOT, join(ROOT, 'test-output/doc-examples'), ts);
    counts.typeChecked += ts.length;
    expect(errors).toEqual([]);
  }, 300_000);

  const tests = ts.filter(isWholeTest);
  it(`the ${tests.length} TypeScript blocks that are whole test files pass under vitest`, () => {
    const scratch = scratchProject(ROOT);
    try {
      const failures = runTests(ROOT, scratch.dir, tests);
      counts.testsRun += tests.length;
      expect(failures).toEqual([]);
    } finally {
      scratch.remove();
    }
  }, 300_000);

  it('every link between the pages and to files of the repository resolves', () => {
    const { checked, broken } = checkLinks(ROOT, pages);
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});
