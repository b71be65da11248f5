import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFlowFile, planFlowFile } from '../../../harness/python/index.ts';

const HEAD = 'import pandas as pd\nfrom metaflow import FlowSpec, step, Parameter\nfrom wandb.integration.metaflow import wandb_log\n';
const plan = (body: string, options = {}) => planFlowFile('flow.py', { text: HEAD + body, runId: '1', ...options });

describe('flow.py plan', () => {
  it('plans the 3-step bench flow exactly as its YAML twin is snapshotted (artifacts, digests, lineage)', async () => {
    const { result } = await planFlowFile('test/bench/fixtures/flow-and-steps.py', { runId: '1', env: { WANDB_ENTITY: 'e', WANDB_PROJECT: 'p' } });
    const snap = JSON.parse(readFileSync('snapshots/docs/flow-and-steps.json', 'utf8')) as { log: { runs: { id: string }[]; artifacts: unknown[] } };
    const strip = (log: { runs: { id: string }[]; artifacts: unknown[] }) => ({ runs: log.runs.map((r) => ({ ...r, id: '' })), artifacts: log.artifacts });
    expect(strip(result!.log as never)).toEqual(strip(snap.log));
  });

  it('runs control flow, helpers, foreach and joins through the runtime', async () => {
    const { result, diagnostics } = await plan(`
class F(FlowSpec):
    alpha = Parameter("alpha", default=0.5)

    def double(self, x):
        return x * 2

    @wandb_log
    @step
    def start(self):
        self.items = [n for n in range(3) if n != 1]
        total = 0
        for i in self.items:
            total += i
        self.total = self.double(total) if self.alpha > 0.1 else -1
        self.next(self.work, foreach="items")

    @wandb_log
    @step
    def work(self):
        self.out = f"item-{self.input}"
        self.next(self.join)

    @step
    def join(self, inputs):
        self.outs = sorted(i.out for i in inputs) if False else [i.out for i in inputs]
        self.next(self.end)

    @step
    def end(self):
        pass
`);
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(result!.tasks.map((t) => `${t.step}:${t.status}`)).toEqual(['start:ok', 'work:ok', 'work:ok', 'join:ok', 'end:ok']);
    const summaries = result!.log.runs.map((r) => r.summary);
    expect(summaries[0]).toMatchObject({ total: 4 });
    expect(summaries.slice(1, 3).map((s) => s['out'])).toEqual(['item-0', 'item-2']);
    expect(result!.log.runs[0]!.config).toEqual({ alpha: 0.5 });
  });

  it('gives an unknown value an OPAQUE_VALUE diagnostic at file:line:col, and the value file pins it', async () => {
    const flow = `
@wandb_log(datasets=True)
class F(FlowSpec):
    @step
    def start(self):
        self.df = pd.read_csv("data.csv")
        self.next(self.end)

    @step
    def end(self):
        pass
`;
    const open = await plan(flow);
    const d = open.diagnostics.find((x) => x.code === 'OPAQUE_VALUE')!;
    expect([d.line, d.col, d.variable, d.step]).toEqual([9, 19, 'df', 'start']);
    expect(d.message).toContain('pd.read_csv("data.csv")');
    expect(open.result!.log.artifacts.map((a) => a.name)).toEqual(['df']);
  });

  it('reports a syntax error and Metaflow lint at their positions, never a crash', async () => {
    const r = await loadFlowFile('flow.py', { text: `${HEAD}class F(FlowSpec):\n    @step\n    def start(self):\n        x = (1,\n    @step\n    def end(self):\n        pass\n` });
    expect(r.diagnostics.some((d) => d.code === 'SYNTAX_ERROR')).toBe(true);
    const lint = await loadFlowFile('flow.py', { text: `${HEAD}class F(FlowSpec):\n    @step\n    def start(self):\n        self.x = 1\n\n    @step\n    def end(self):\n        pass\n` });
    expect(lint.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toContain(
      '6:9 Step start is missing a self.next() transition to the next step. Add a self.next() as the last line in the function.',
    );
  });
});
