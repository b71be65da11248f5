import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flow, values } from '../../../src/index.ts';
import { loadFlowFile, type FlowFileOptions } from '../../../harness/python/index.ts';
import { compileScenario } from '../../../harness/scenario/index.ts';

const { py } = values;

/** Runs `body` as the start step of a one-step flow (no W&B) and returns start's artifacts and the diagnostics. */
async function runStart(body: string, module = '', options: FlowFileOptions = {}) {
  const indented = body.trim().split('\n').map((l) => `        ${l}`).join('\n');
  const text = `import os
import numpy as np
import pandas as pd
import torch
from torch import nn
from sklearn.ensemble import RandomForestClassifier as RF
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score
from metaflow import FlowSpec, step, Parameter, current
${module}

class F(FlowSpec):
    alpha = Parameter("alpha", default=0.5)

    @step
    def start(self):
${indented}
`;
  const loaded = await loadFlowFile('flow.py', { text, ...options });
  const { definition, runOptions } = compileScenario(loaded.scenario!);
  const run = await flow.runFlow(definition, { ...runOptions, clock: () => 0 });
  return { task: run.tasks[0]!, artifacts: run.tasks[0]!.artifacts as Record<string, values.PyValue>, diagnostics: loaded.sink.all() };
}

describe('the abstract interpreter', () => {
  it('follows calls into the file: setup_model(name) picks the estimator class by name', async () => {
    const { artifacts, diagnostics } = await runStart(
      'self.model = setup_model("logreg")',
      'def setup_model(name):\n    models = {"rf": RF, "logreg": LogisticRegression}\n    return models[name](C=0.5)\n',
    );
    expect(diagnostics).toEqual([]);
    expect(artifacts['model']!.type.name).toBe('LogisticRegression');
    expect(values.isinstance(artifacts['model']!, values.T.BaseEstimator)).toBe(true);
    expect((artifacts['model'] as values.PyObject).state).toEqual([['C', py.float(0.5)]]);
  });

  it('models sklearn helpers: train_test_split gives as many values as it splits, accuracy_score a float of unknown value', async () => {
    const { artifacts, diagnostics } = await runStart(`
X = pd.DataFrame({"a": [1, 2, 3, 4]})
y = [0, 1, 0, 1]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5)
clf = RF(n_estimators=3)
clf.fit(X_train, y_train)
self.clf = clf
self.acc = accuracy_score(y_test, clf.predict(X_test))
`);
    expect(artifacts['clf']!.type.name).toBe('RandomForestClassifier');
    // Never a stand-in (0.0 was one): an unknown float, made where the call is (issue 29).
    expect(values.unknownOrigin(artifacts['acc']!)).toEqual({ kind: 'float', at: '24:20', expression: 'accuracy_score(y_test, clf.predict(X_test))' });
    const acc = diagnostics.find((d) => d.variable === 'acc')!;
    expect([acc.code, acc.line, acc.col, acc.step]).toEqual(['OPAQUE_VALUE', 24, 20, 'start']);
    expect(acc.message).toContain('a float of unknown value');
  });

  it('has the environment of a CI job: no GPU, os.environ from --env', async () => {
    const { artifacts } = await runStart(`
self.device = "cuda" if torch.cuda.is_available() else "cpu"
self.project = os.environ.get("PROJECT", "none")
self.missing = os.getenv("NOPE")
`, '', { env: { PROJECT: 'p1' } });
    expect([artifacts['device'], artifacts['project'], artifacts['missing']]).toEqual([py.str('cpu'), py.str('p1'), py.None]);
  });

  it('runs try/except/finally, loops, comprehensions, f-strings and arithmetic on known values', async () => {
    const { artifacts, diagnostics } = await runStart(`
d = {"a": 1}
try:
    d["b"]
except KeyError as e:
    self.caught = f"missing {e}"
finally:
    self.cleaned = True
total = 0
for i, v in enumerate([3, 4, 5]):
    if i == 1:
        continue
    total += v * 2
self.total = total
self.sq = {k: k ** 2 for k in range(3)}
self.ratio = f"{7 / 2:.2f}"
self.arr = np.array([[1, 2], [3, 4]])
self.params = dict(lr=0.1, layers=[16, 8])
self.gen = sum(x * 2 for x in [1, 2, 3] if x > 1)
self.avg = np.mean([1, 2])
self.total_arr = self.arr.sum()
`);
    expect(diagnostics).toEqual([]);
    expect(artifacts['caught']).toEqual(py.str("missing 'b'"));
    expect(artifacts['cleaned']).toEqual(py.bool(true));
    expect(artifacts['total']).toEqual(py.int(16));
    expect(artifacts['sq']).toEqual(py.dict([[py.int(0), py.int(0)], [py.int(1), py.int(1)], [py.int(2), py.int(4)]]));
    expect(artifacts['ratio']).toEqual(py.str('3.50'));
    expect(artifacts['arr']).toEqual(py.ndarray('int64', [2, 2], [1n, 2n, 3n, 4n]));
    expect(artifacts['gen']).toEqual(py.int(10));
    expect(artifacts['avg']).toEqual(py.numpy('float64', 1.5));
    expect(artifacts['total_arr']).toEqual(py.numpy('int64', 10n));
    expect(artifacts['params']).toEqual(py.record({ lr: py.float(0.1), layers: py.list([py.int(16), py.int(8)]) }));
  });

  it('makes a user class with nn.Module among its bases a torch model, and reads parameters and current', async () => {
    const { artifacts } = await runStart(`
self.net = Net(4)
self.run = current.run_id
self.scaled = self.alpha * 2
`, 'class Net(nn.Module):\n    def __init__(self, width):\n        super().__init__()\n        self.width = width\n');
    expect(values.isinstance(artifacts['net']!, values.T.Module)).toBe(true);
    expect((artifacts['net'] as values.PyObject).state).toEqual([['width', py.int(4)]]);
    expect(artifacts['run']).toEqual(py.str('0'));
    expect(artifacts['scaled']).toEqual(py.float(1));
  });

  it('reports an unknown condition (both outcomes possible) and an unsupported construct at file:line:col, and goes on', async () => {
    const { artifacts, diagnostics, task } = await runStart(`
df = pd.read_csv("data.csv")
if len(df) > 10:
    self.big = True
match df:
    case _:
        pass
self.after = 1
`);
    expect(task.status).toBe('ok');
    expect(artifacts['after']).toEqual(py.int(1));
    expect(diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(['OPAQUE_VALUE 18:14', 'UNKNOWN_CONDITION 19:12', 'UNSUPPORTED 21:9']);
    expect(diagnostics[1]!.message).toContain('If true: sets self.big; otherwise: changes nothing on self.');
  });

  it('pins unknown values from the value file by step.variable and by line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-values-'));
    const file = join(dir, 'flow.values.yaml');
    writeFileSync(file, 'start.df: !DataFrame { columns: [a], rows: [[1], [2]] }\n"19:22": !nn.Module { class: Net }\n');
    const { artifacts, diagnostics } = await runStart(`
self.df = pd.read_csv("data.csv")
self.model = torch.load("model.pt")
self.n = len(self.df)
`, '', { valuesFile: file });
    expect(diagnostics).toEqual([]);
    expect(artifacts['df']).toEqual(py.dataframe(['a'], [[py.int(1)], [py.int(2)]], 'constructed'));
    expect(artifacts['model']!.type.name).toBe('Net');
    expect(artifacts['n']).toEqual(py.int(2));
  });

  it('pins a Path the flow does not create by step.variable, as its OPAQUE_VALUE offers (real-SDK tier: real-paths.py)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-values-'));
    const file = join(dir, 'flow.values.yaml');
    writeFileSync(file, 'start.notes: !Path { dir: data, files: { notes.txt: "x" } }\n');
    const { artifacts, diagnostics } = await runStart(`
from pathlib import Path
self.notes = Path("data/notes.txt")
self.other = Path("data/other.txt")
`, '', { valuesFile: file });
    expect(artifacts['notes']).toMatchObject({ kind: 'path', path: 'data' }); // the pinned directory, not "data/notes.txt"
    expect(artifacts['notes']!.type.name).toBe('PosixPath');
    // The one left unpinned is still reported, and offers its pin.
    expect(diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(['OPAQUE_VALUE 20:9']);
    expect(diagnostics[0]!.message).toContain('`start.other`');
  });

  it('fails the task as Python would: a missing attribute, a raise, an assert', async () => {
    const missing = await runStart('self.y = self.nope');
    expect(missing.task.status).toBe('failed');
    expect(missing.task.error).toMatchObject({ type: 'AttributeError' });
    const raised = await runStart('raise ValueError("bad input")');
    expect(raised.task.error).toMatchObject({ type: 'ValueError', message: 'bad input' });
    const asserted = await runStart('assert 1 > 2, "never"');
    expect(asserted.task.error).toMatchObject({ type: 'AssertionError', message: 'never' });
  });
});
