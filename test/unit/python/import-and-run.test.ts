import { describe, expect, it } from 'vitest';
import { main } from '../../../harness/cli/main.ts';
import { importFlowFile } from '../../../harness/python/import.ts';
import { planFlowFile } from '../../../harness/python/index.ts';
import { runScenario, toRunnable } from '../../../harness/runner/index.ts';
import { loadScenarioFile } from '../../../harness/scenario/index.ts';

const SRC = `import pandas as pd
from metaflow import FlowSpec, step, Parameter
from wandb.integration.metaflow import wandb_log


@wandb_log(datasets=True, others=True)
class BranchFlow(FlowSpec):
    alpha = Parameter("alpha", default=0.5)

    @step
    def start(self):
        self.df = pd.DataFrame({"x": [1.0, 2.5]})
        self.cfg = {"layers": [4, 8], "name": "m"}
        self.next(self.a, self.b)

    @step
    def a(self):
        self.df["y"] = self.df["x"]
        self.score = 0.9
        self.next(self.join)

    @step
    def b(self):
        self.score = 0.7
        self.rows = len(pd.read_csv("rows.csv"))
        self.next(self.join)

    @step
    def join(self, inputs):
        self.scores = [i.score for i in inputs]
        self.merge_artifacts(inputs, exclude=["score", "df"])
        self.next(self.end)

    @step
    def end(self):
        del self.scores
`;

describe('import flow.py', () => {
  it('writes a scenario that plans to the same log as the flow.py it came from', async () => {
    const { yaml, diagnostics } = await importFlowFile('branch.py', { text: SRC, runId: '7' });
    // The comprehension over a static join's inputs: Metaflow orders them by a set of step names (UNKNOWN_ORDER).
    expect(diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.variable}`)).toEqual(['OPAQUE_VALUE 25:21 rows', 'OPAQUE_VALUE 25:25 null', 'UNKNOWN_ORDER 30:41 null']);
    expect(yaml).toContain('- set: { rows: !unknown { type: int, at: "25:21", expression: "len(pd.read_csv(\\"rows.csv\\"))" } }   # branch.py:25: UNKNOWN: len(pd.read_csv("rows.csv")) reads rows.csv (read_csv), which the plan never opens: logged as unknown. Pin it in flow.values.yaml (b.rows)');
    expect(yaml).toContain('- read_inputs: score');
    expect(yaml).toContain('- merge_artifacts: { exclude: [score, df] }');
    expect(yaml).toContain('- mutate: df');
    expect(yaml).toContain('- del: scores');
    expect(yaml).toMatch(/- set: \{ cfg: \{"layers": \[4, 8\], "name": "m"\} \}   # branch\.py:13: inferred/);
    const loaded = loadScenarioFile('branch.yaml', { text: yaml! });
    expect(loaded.diagnostics).toEqual([]);
    const fromYaml = await runScenario(toRunnable(loaded.scenarios[0]!), { transport: 'direct' });
    const fromPy = (await planFlowFile('branch.py', { text: SRC, runId: '7' })).result!;
    // The mutation differs on purpose (mutate: adds its own column), so compare what does not depend on it.
    const shape = (r: typeof fromPy) => r.log.runs.map((x) => [x.job_type, x.group, x.summary, x.config, x.logged_artifacts.filter((a) => !a.startsWith('df')), x.exit_code]);
    expect(shape(fromYaml)).toEqual(shape(fromPy));
    expect(fromYaml.tasks.map((t) => t.status)).toEqual(fromPy.tasks.map((t) => t.status));
  });

  it('keeps an unknown value written over several lines on one comment line, so the YAML still loads', async () => {
    const src = SRC.replace('self.rows = len(pd.read_csv("rows.csv"))', 'self.rows = len(\n            pd.read_csv(\n                "rows.csv"))');
    const { yaml } = await importFlowFile('branch.py', { text: src, runId: '7' });
    expect(yaml).toContain('UNKNOWN: len( pd.read_csv( "rows.csv")) reads rows.csv');
    expect(loadScenarioFile('branch.yaml', { text: yaml! }).diagnostics).toEqual([]);
  });

  it('is a CLI command: import FLOW.py prints the YAML, a broken file exits 2 with file:line:col', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['import', 'test/bench/fixtures/flow-and-steps.py'], { out: (s) => out.push(s), err: (s) => err.push(s) });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('scenario: flow-and-steps');
    const bad = await main(['import', 'test/unit/python/no-such-flow.py'], { out: (s) => out.push(s), err: (s) => err.push(s) });
    expect(bad).toBe(2);
    expect(err.join('\n')).toMatch(/test\/unit\/python\/no-such-flow\.py:1:1: cannot read the file/);
  });
});

describe('run flow.py', () => {
  it('writes its snapshot at snapshots/<path>.json beside scenarios/, then passes against it in mode none', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(join(tmpdir(), 'tf-run-py-'));
    mkdirSync(join(root, 'scenarios', 'python'), { recursive: true });
    const file = join(root, 'scenarios', 'python', 'branch.py');
    writeFileSync(file, SRC);
    const io = { out: () => undefined, err: () => undefined };
    expect(await main(['run', file, '--update-mode', 'all'], io)).toBe(0);
    const snap = join(root, 'snapshots', 'python', 'branch.json');
    expect(existsSync(snap)).toBe(true);
    expect(JSON.parse(readFileSync(snap, 'utf8')).scenario).toBe('branch');
    expect(await main(['run', file, '--update-mode', 'none'], io)).toBe(0);
    // The snapshot is what `plan --json` prints, front-end diagnostics included.
    const planned: string[] = [];
    await main(['plan', file, '--json'], { out: (x) => planned.push(x), err: () => undefined });
    const fromPlan = JSON.parse(planned.join('\n'));
    const fromSnap = JSON.parse(readFileSync(snap, 'utf8'));
    expect([fromSnap.log, fromSnap.diagnostics, fromSnap.tasks]).toEqual([fromPlan.log, fromPlan.diagnostics, fromPlan.tasks]);
    writeFileSync(file, SRC.replace('self.score = 0.7', 'self.score = 0.6'));
    expect(await main(['run', file, '--update-mode', 'none'], io)).toBe(1);
  });
});
