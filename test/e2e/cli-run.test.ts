// `tracked-flows run` and `plan` on real files: the shipped library passes, a changed value fails with a diff,
// `-u` accepts it, snapshots are byte-identical across runs and transports, bad input writes nothing.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
let work: string;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function snapshotFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p);
      else files[p.slice(dir.length)] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tf-cli-'));
  cpSync(join(ROOT, 'scenarios'), join(work, 'scenarios'), { recursive: true });
  cpSync(join(ROOT, 'snapshots'), join(work, 'snapshots'), { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tracked-flows run', () => {
  it('passes on the shipped library with the committed snapshots (CI mode: nothing may be written)', async () => {
    const before = snapshotFiles(join(work, 'snapshots'));
    const r = await cli('run', join(work, 'scenarios'), '--update-mode', 'none');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/(\d+) passed, 0 failed/);
    expect(snapshotFiles(join(work, 'snapshots'))).toEqual(before);
  });

  it('gives the same snapshots through a real HTTP server, through msw, and on 2 worker threads, as direct (the default)', { timeout: 90_000 }, async () => {
    for (const options of [['--transport', 'http'], ['--transport', 'msw'], ['--workers', '2']]) {
      const r = await cli('run', join(work, 'scenarios'), '--update-mode', 'none', ...options);
      const transport = options.join(' ');
      expect(r.code, transport).toBe(0);
    }
  });

  it('fails with a readable diff and exit 1 when one value changes; -u accepts it; two runs are byte-identical', async () => {
    const file = join(work, 'scenarios/docs/flow-and-steps.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('run: { run_id: "1" }', 'run: { run_id: "2" }'));
    try {
      const failed = await cli('run', join(work, 'scenarios'), '--update-mode', 'none');
      expect(failed.code).toBe(1);
      expect(failed.out).toContain('✗ docs-flow-and-steps');
      expect(failed.out).toMatch(/^-\s+"group": "WandbExampleFlow\/1",$/m);
      expect(failed.out).toMatch(/^\+\s+"group": "WandbExampleFlow\/2",$/m);
      expect(failed.out).toMatch(/0 passed|passed, 1 failed/);

      const accepted = await cli('run', join(work, 'scenarios'), '-u');
      expect(accepted.code).toBe(0);
      const once = snapshotFiles(join(work, 'snapshots'));
      expect(once['/docs/flow-and-steps.json']).toContain('"group": "WandbExampleFlow/2"');
      await cli('run', join(work, 'scenarios'), '-u');
      expect(snapshotFiles(join(work, 'snapshots'))).toEqual(once);
    } finally {
      writeFileSync(file, original);
      await cli('run', join(work, 'scenarios'), '-u');
    }
  });

  it('reports a missing snapshot in none mode, writes it in new mode, and lists obsolete ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-cli-new-'));
    try {
      cpSync(join(work, 'scenarios/docs/flow-and-steps.yaml'), join(dir, 'scenarios/one.yaml'));
      const none = await cli('run', join(dir, 'scenarios'), '--update-mode', 'none');
      expect(none.code).toBe(1);
      expect(existsSync(join(dir, 'snapshots'))).toBe(false);
      const fresh = await cli('run', join(dir, 'scenarios'), '--update-mode', 'new');
      expect(fresh.code).toBe(0);
      expect(Object.keys(snapshotFiles(join(dir, 'snapshots')))).toEqual(['/one.json']);
      writeFileSync(join(dir, 'snapshots/gone.json'), '{}\n');
      const obsolete = await cli('run', join(dir, 'scenarios'), '--update-mode', 'none');
      expect(obsolete.out).toMatch(/obsolete snapshots \(no scenario any more\):\n  .*snapshots\/gone.json/);
      expect(obsolete.out).toContain('1 obsolete');
      // Running one file covers only its own snapshot: the others are not called obsolete.
      const one = await cli('run', join(dir, 'scenarios/one.yaml'), '--update-mode', 'none');
      expect(one.out).toContain('0 obsolete');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a JUnit report (one testcase per scenario) and a self-contained HTML report with --output', async () => {
    const junit = join(work, 'report.xml');
    const r = await cli('run', join(work, 'scenarios'), '--update-mode', 'none', '--reporter', 'junit', '--output', junit);
    expect(r.code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    const ids = (await cli('validate', join(work, 'scenarios'))).out.match(/(\d+) scenarios valid/)![1];
    expect(xml.match(/<testcase /g)!.length).toBe(Number(ids));
    const html = join(work, 'report.html');
    expect((await cli('run', join(work, 'scenarios/docs'), '--update-mode', 'none', '--reporter', 'html', '--output', html)).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('data-scenario');
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  it('refuses broken scenario files with file:line:col, exit 2, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-cli-bad-'));
    try {
      writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nscenario: bad\nflow:\n  name: F\n  stepz: {}\n');
      const r = await cli('run', dir, '--update-mode', 'new');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`${join(dir, 'bad.yaml')}:5:3: .*stepz`));
      expect(readdirSync(dir)).toEqual(['bad.yaml']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tracked-flows plan', () => {
  it('prints what each step of the docs\' "Flow and Steps" example logs, and --json is the contract object', async () => {
    const text = await cli('plan', join(work, 'scenarios/docs/flow-and-steps.yaml'));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^start\/1\s+run-1\s+WandbExampleFlow\/1 \/ start\s+-\s+-\s+raw_df:v0, model_file:v0\s+-\s+ok$/m);
    expect(text.out).toMatch(/^end\/3\s+run-3\s+WandbExampleFlow\/1 \/ end\s+-\s+-\s+-\s+-\s+ok$/m);
    const json = await cli('plan', join(work, 'scenarios/docs/flow-and-steps.yaml'), '--json');
    const plan = JSON.parse(json.out);
    // DESIGN §4.4's object, plus `unknowns` (issue 29): how much of the log the plan does not know.
    expect(Object.keys(plan).sort()).toEqual(['diagnostics', 'log', 'scenario', 'tasks', 'unknowns']);
    // Every value is known; two files' bytes are the libraries' own (a torch module's file, a dataset's parquet).
    expect(plan.unknowns).toEqual({ values: 0, unordered: 0, files: 2 });
    expect(plan.tasks).toEqual([
      { step: 'start', task_id: '1', run: 'run-1', status: 'ok', error: null },
      { step: 'mid', task_id: '2', run: 'run-2', status: 'ok', error: null },
      { step: 'end', task_id: '3', run: 'run-3', status: 'ok', error: null },
    ]);
    expect(plan.log.format).toBe('tracked-flows/log@1');
  });
});
