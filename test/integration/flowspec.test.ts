// The typed TypeScript API: FlowSpec classes with @step and @wandbLog give the same runs as the same flow
// written as data, with the integration's precedence (innermost step decoration, else the flow's).
import { describe, expect, it } from 'vitest';
import { FlowSpec, Parameter, Settings, step, toFlowDefinition, wandbLog, type flow as F } from '../../src/index.ts';
import { df, py, run } from '../helpers/flows.ts';

@wandbLog({ datasets: true, models: true })
class WandbExampleFlow extends FlowSpec {
  static alpha = Parameter({ default: 0.5 });
  static CONST = py.int(42);

  @step('mid')
  start(self: F.FlowSelf) {
    self.setattr('raw_df', df([[1, 2], [3, 4]]));
    self.setattr('model_file', py.torchModule('Net'));
  }

  @step('end')
  mid(self: F.FlowSelf) {
    self.getattr('raw_df');
    self.setattr('accuracy', py.float(0.91));
  }

  @wandbLog({ datasets: false, models: false })
  @step()
  end(self: F.FlowSelf) {
    self.setattr('raw_df', df([[5, 6]]));
  }
}

class StackedFlow extends FlowSpec {
  // Stacked step decorators: the inner one (nearest @step) wins — reference §1.3, observed when run.
  @wandbLog({ models: true })
  @wandbLog({ datasets: true })
  @step()
  start(self: F.FlowSelf) {
    self.setattr('df', df([[1, 2]]));
    self.setattr('clf', py.sklearn('RandomForestClassifier', []));
  }
}

describe('FlowSpec classes', () => {
  it('read into the same definition shape: steps, transitions, parameters, constants, decorations in source order', () => {
    const def = toFlowDefinition(WandbExampleFlow);
    expect(def.name).toBe('WandbExampleFlow');
    expect(def.steps.map((s) => [s.name, s.next ?? null, s.decorators?.length])).toEqual([['start', 'mid', 0], ['mid', 'end', 0], ['end', null, 1]]);
    expect(def.parameters).toEqual([{ name: 'alpha', default: 0.5 }]);
    expect(Object.keys(def.constants ?? {})).toEqual(['CONST']);
    expect(def.decorators).toHaveLength(1);
  });

  it('run through the integration: config, history, artifacts and lineage as the docs describe', async () => {
    const r = await run({ definition: toFlowDefinition(WandbExampleFlow) });
    expect(r.log.runs.map((x) => [x.job_type, x.config, x.history, x.logged_artifacts, x.used_artifacts])).toEqual([
      ['start', { alpha: 0.5 }, [], ['raw_df:v0', 'model_file:v0'], []],
      ['mid', { alpha: 0.5 }, [{ accuracy: 0.91 }], [], ['raw_df:v0']],
      ['end', { alpha: 0.5 }, [], [], []],
    ]);
  });

  it('stacked step decorators: the innermost wins', async () => {
    const r = await run({ definition: toFlowDefinition(StackedFlow) });
    expect(r.log.runs[0]!.logged_artifacts).toEqual(['df:v0']);
  });

  it('a Settings object passed to the class decoration is shared by every step', async () => {
    const shared = new Settings({ run_job_type: 'training' });
    @wandbLog({ settings: shared })
    class Shared extends FlowSpec {
      @step('end') start() {}
      @step() end() {}
    }
    const r = await run({ definition: toFlowDefinition(Shared) });
    expect(r.log.runs.map((x) => x.job_type)).toEqual(['training', 'training']);
  });
});
