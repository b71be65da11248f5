import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../harness/cli/main.ts';
import { loadFlowFile } from '../../../harness/python/index.ts';
import { scenarioFiles } from '../../../harness/scenario/index.ts';

const TWO = `from metaflow import FlowSpec, step, Parameter, JSONType
from wandb.integration.metaflow import wandb_log as wl
import wandb


class Base(FlowSpec):
    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass


@wl(datasets=True, settings=wandb.Settings(project="p2", run_group="g"))
class Other(Base):
    cfg = Parameter("cfg", type=JSONType, default='{"a": 1}', help="config")
    width = Parameter("width", default=3, required=False)
    LABELS = ["a", "b"]

    @retry(times=2)
    @catch(var="err")
    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`;

describe('loading a flow.py', () => {
  it('needs --flow when several FlowSpec subclasses and no __main__ block, and says so at file:line:col', async () => {
    const r = await loadFlowFile('two.py', { text: TWO });
    expect(r.scenario).toBeNull();
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(['NO_FLOW 1:1']);
    expect(r.diagnostics[0]!.message).toContain('2 FlowSpec subclasses (Base, Other)');
  });

  it('reads parameters, constants, aliased decorators with Settings, @retry and @catch (modelled: Metaflow stores the exception and the flow goes on)', async () => {
    const r = await loadFlowFile('two.py', { text: TWO, flow: 'Other' });
    const f = r.scenario!.flow;
    expect(f.parameters.map((p) => [p.name, p.type, p.default, p.help, p.required])).toEqual([
      ['cfg', 'json', '{"a": 1}', 'config', undefined],
      ['width', undefined, 3, undefined, false],
    ]);
    expect(f.constants.map(([k]) => k)).toEqual(['LABELS']);
    expect(f.decorators).toMatchObject([{ kind: 'wandb_log', datasets: true, settings: { kind: 'settings-spec', fields: { project: 'p2', run_group: 'g' } } }]);
    expect(f.steps[0]!.decorators).toMatchObject([{ kind: 'retry', times: 2 }, { kind: 'catch', var: 'err' }]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.line}:${d.col}`)).toEqual([]);
  });

  it('reports a broken value file with its own positions, and plan exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-loader-'));
    const flow = join(dir, 'f.py');
    writeFileSync(flow, TWO);
    writeFileSync(join(dir, 'f.values.yaml'), 'start.x: !DataFrame { columns: [a], rows: [[1, 2]] }\nnot a key: 1\n');
    const r = await loadFlowFile(flow, { flow: 'Other' });
    expect(r.diagnostics.filter((d) => d.code === 'VALUES_FILE').map((d) => d.message).sort()).toEqual([
      `${join(dir, 'f.values.yaml')}:1:44: !DataFrame row has 2 value(s) for 1 column(s) (a): give every row one value per column`,
      `${join(dir, 'f.values.yaml')}:2:1: "not a key" is neither step.variable nor line:col`,
    ]);
    const err: string[] = [];
    expect(await main(['plan', flow, '--flow', 'Other'], { out: () => undefined, err: (s) => err.push(s) })).toBe(2);
    expect(err.join('\n')).toContain('f.values.yaml:2:1');
  });

  it('a value file beside its flow is not a scenario when a directory is walked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-walk-'));
    writeFileSync(join(dir, 'a.yaml'), 'version: 1\n');
    writeFileSync(join(dir, 'flow.values.yaml'), 'start.x: 1\n');
    expect(scenarioFiles([dir]).files).toEqual([join(dir, 'a.yaml')]);
  });
});

describe('the library API', () => {
  it('planFile takes a flow.py too, and throws a HarnessError listing file:line:col problems', async () => {
    const { planFile, HarnessError } = await import('../../../harness/index.ts');
    const r = await planFile('test/bench/fixtures/flow-and-steps.py', { runId: '1' });
    expect(r.flow_status).toBe('ok');
    expect(r.log.runs.map((x) => x.job_type)).toEqual(['start', 'mid', 'end']);
    const dir = mkdtempSync(join(tmpdir(), 'tf-api-'));
    const bad = join(dir, 'bad.py');
    writeFileSync(bad, 'from metaflow import FlowSpec, step\nclass F(FlowSpec):\n    @step\n    def start(self):\n        pass\n\n    @step\n    def end(self):\n        pass\n');
    await expect(planFile(bad)).rejects.toThrow(HarnessError);
    await expect(planFile(bad)).rejects.toThrow(/bad\.py:4:9: Step start is missing a self\.next\(\) transition/);
  });
});
