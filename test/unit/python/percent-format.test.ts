import { describe, expect, it } from 'vitest';
import { flow, values } from '../../../src/index.ts';
import { loadFlowFile } from '../../../harness/python/index.ts';
import { compileScenario } from '../../../harness/scenario/index.ts';

const { py } = values;

/** Plans `text` (a flow file) without W&B: the tasks' artifacts and the loader's diagnostics. */
async function run(text: string) {
  const loaded = await loadFlowFile('flow.py', { text });
  const { definition, runOptions } = compileScenario(loaded.scenario!);
  const result = await flow.runFlow(definition, { ...runOptions, clock: () => 0 });
  return { result, diagnostics: loaded.sink.all() };
}

// Expected texts are CPython 3.11's outputs for the same expressions (python3 -c 'print(repr(...))').
describe('%-formatting in a flow file', () => {
  it('formats known values as Python does, in the step and in a later step', async () => {
    const { result, diagnostics } = await run(`from metaflow import FlowSpec, step

class F(FlowSpec):
    @step
    def start(self):
        self.s = "%s-%d" % ("a", 1)
        self.f = "%(lr).3e|%(n)05d|%(name)r" % {"lr": 0.00123456, "n": -42, "name": "x"}
        self.next(self.end)

    @step
    def end(self):
        self.t = [self.s, "%s" % "b", "%-6.2f|%+g" % (2.675, 1e-5)]
`);
    expect(diagnostics).toEqual([]);
    const end = result.tasks.find((t) => t.step === 'end')!;
    const start = result.tasks.find((t) => t.step === 'start')!;
    expect((start.artifacts as Record<string, values.PyValue>)['f']).toEqual(py.str("1.235e-03|-0042|'x'"));
    expect((end.artifacts as Record<string, values.PyValue>)['t'])
      .toEqual(py.list([py.str('a-1'), py.str('b'), py.str('2.67  |+1e-05')]));
  });

  it("raises Python's TypeError in the step for a wrong argument", async () => {
    const { result } = await run(`from metaflow import FlowSpec, step

class F(FlowSpec):
    @step
    def start(self):
        self.s = "%d items" % "three"
        self.next(self.end)

    @step
    def end(self):
        pass
`);
    const start = result.tasks.find((t) => t.step === 'start')!;
    expect(JSON.stringify(start)).toContain('%d format: a real number is required, not str');
  });

  it('gives an unknown str (with a diagnostic) when an argument is unknown', async () => {
    const { diagnostics } = await run(`from metaflow import FlowSpec, step
import pandas as pd

class F(FlowSpec):
    @step
    def start(self):
        self.s = "rows: %s" % len(pd.read_csv("data.csv"))
        self.next(self.end)

    @step
    def end(self):
        pass
`);
    const d = diagnostics.find((x) => x.variable === 's');
    expect(d?.code).toBe('OPAQUE_VALUE');
    expect(d?.message).toContain('str');
  });
});
