// The matchers on real results: a scenario file planned, a TypeScript flow run. Each matcher passes on what was
// logged, fails on what was not, and its failure message says what was logged instead.
import { describe, expect, it } from 'vitest';
import { FlowSpec, Parameter, step, wandbLog, type flow as F } from '../../../src/index.ts';
import { planFile, runFlow } from '../../../harness/index.ts';
import '../../../harness/vitest/index.ts';
import { df, py } from '../../helpers/flows.ts';

const failure = (f: () => void): string => {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the assertion to fail');
};

describe('matchers on planFile', async () => {
  // start logs X_train, X_test (datasets) and clf_init (model), summary n_rows 3; train uses X_train and
  // clf_init and logs clf; evaluate uses clf and X_test, summary accuracy 0.9 (scenarios/lineage/read-use.yaml).
  const r = await planFile('scenarios/lineage/read-use.yaml');
  const config = await planFile('scenarios/parameters/config.yaml');
  // Three foreach children log `model`; evaluate uses model:latest, which is v2 for all three.
  const race = await planFile('scenarios/hazards/foreach-race-latest.yaml');

  it('toHaveLoggedArtifact: by name, type, version and step; a miss lists what was logged', () => {
    expect(r).toHaveLoggedArtifact('clf', { type: 'model', version: 'v0', step: 'train' });
    expect(r).toHaveLoggedArtifact('X_train');
    expect(r).not.toHaveLoggedArtifact('clf', { step: 'start' });
    expect(failure(() => expect(r).toHaveLoggedArtifact('clf', { type: 'dataset' }))).toBe(
      'expected result to have logged artifact "clf" (type "dataset"); logged: X_test:v0 (dataset, step start), X_train:v0 (dataset, step start), clf:v0 (model, step train), clf_init:v0 (model, step start)',
    );
    expect(failure(() => expect(r).not.toHaveLoggedArtifact('clf'))).toBe('expected result not to have logged artifact "clf", but it did: clf:v0 (model, step train)');
  });

  it('toHaveUsedArtifact: by version and step; a miss lists the uses', () => {
    expect(r).toHaveUsedArtifact('clf', { version: 'v0', step: 'evaluate' });
    expect(r).not.toHaveUsedArtifact('clf', { step: 'train' });
    expect(failure(() => expect(r).toHaveUsedArtifact('X_test', { step: 'train' }))).toBe(
      'expected result to have used artifact "X_test" (step "train"); used: X_train:v0 (step train), clf_init:v0 (step train), clf:v0 (step evaluate), X_test:v0 (step evaluate)',
    );
  });

  it('toHaveConfig / toHaveLoggedSummary: partial match per step, the logged values shown on a miss', () => {
    expect(config).toHaveConfig('start', { lr: 1.0, hparams: { depth: 4 } });
    expect(config).not.toHaveConfig('start', { lr: 2 });
    expect(r).toHaveLoggedSummary('evaluate', { accuracy: 0.9 });
    expect(failure(() => expect(r).toHaveLoggedSummary('evaluate', { accuracy: 0.5 }))).toBe(
      'expected result to have logged summary {"accuracy": 0.5} in step "evaluate"; step "evaluate" logged summary {"accuracy": 0.9}',
    );
    expect(failure(() => expect(r).toHaveConfig('nope', {}))).toBe('expected result to have config {} in step "nope"; step "nope" has no W&B run (runs by step: "start", "train", "evaluate", "end")');
  });

  it('toHaveHazard: by code, step and variable; a miss lists the hazards found', () => {
    expect(race).toHaveHazard('LATEST_MISMATCH', { step: 'evaluate', variable: 'model' });
    expect(race).not.toHaveHazard('LATEST_MISMATCH', { step: 'start' });
    expect(failure(() => expect(race).toHaveHazard('TYPE_CONFLICT'))).toBe(
      'expected result to have hazard TYPE_CONFLICT; found: LATEST_MISMATCH [evaluate] model, LATEST_MISMATCH [evaluate] model, SIBLING_WRITE [fit_d2,fit_d3,fit_d4] model',
    );
    expect(failure(() => expect(r).toHaveHazard('LATEST_MISMATCH'))).toBe('expected result to have hazard LATEST_MISMATCH; found: no hazards');
    expect(failure(() => expect({ log: {} }).toHaveHazard('X'))).toMatch(/^toHaveHazard: expected what planFile, runScenarioFile or runFlow return/);
  });
});

@wandbLog({ datasets: true })
class Shared extends FlowSpec {
  static alpha = Parameter({ default: 0.5 });
  @step(['a', 'b']) start(self: F.FlowSelf) { self.setattr('data', df([[1, 2]])); }
  @step('join') a(self: F.FlowSelf) { self.setattr('data', df([[3, 4]])); }
  @step('join') b(self: F.FlowSelf) { self.setattr('data', df([[5, 6]])); }
  @step('end') join(self: F.FlowSelf, inputs: F.Inputs) { self.merge_artifacts(inputs, { exclude: ['data'] }); }
  @step() end() {}
}

describe('matchers on runFlow (a TypeScript FlowSpec class)', () => {
  it('parallel branches logging one name: SIBLING_WRITE at the variable; parameters from the options', async () => {
    const r = await runFlow(Shared, { parameters: { alpha: 0.25 } });
    expect(r.flow_status).toBe('ok');
    expect(r).toHaveConfig('a', { alpha: 0.25 });
    expect(r).toHaveLoggedArtifact('data', { version: 'v2' });
    expect(r).toHaveHazard('SIBLING_WRITE', { variable: 'data' });
    expect(r).not.toHaveHazard('SIBLING_WRITE', { variable: 'other' });
  });

  it('refuses what is not a flow with a HarnessError', async () => {
    await expect(runFlow({} as never)).rejects.toMatchObject({ code: 'NOT_A_FLOW' });
  });
});

void py;
