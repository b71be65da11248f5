// wandb's own system-test flows (reference §6.2: decoboth, decoclass, decostep, foreach, pytorch) with the
// expectations derived there from the integration's code. Steps compute with sklearn / torch in Python; here
// they set values of the same Python types, which is all the integration looks at.
import { describe, expect, it } from 'vitest';
import { flow as F, wandbLog } from '../../src/index.ts';
import { df, py, run, type Body } from '../helpers/flows.ts';

const PARAMS: F.ParameterDefinition[] = [
  { name: 'seed', default: 1337 },
  { name: 'test_size', default: 0.2 },
  // Path(__file__).parent / "wine.csv": Metaflow infers a str parameter, so config holds the string.
  { name: 'raw_data', default: '/flows/wine.csv' },
];
const CONFIG = { seed: 1337, test_size: 0.2, raw_data: '/flows/wine.csv' };
const DATASETS = ['raw_df', 'X_train', 'X_test', 'y_train', 'y_test'];

const start: Body = (s) => {
  s.setattr('raw_df', df([[1, 2, 0], [3, 4, 1], [5, 6, 0]], ['a', 'b', 'Wine']));
  s.getattr('raw_data');
  s.setattr('X_train', df([[1, 2], [3, 4]]));
  s.setattr('X_test', df([[5, 6]]));
  s.setattr('y_train', df([[0], [1]], ['Wine']));
  s.setattr('y_test', df([[0]], ['Wine']));
};
const train: Body = (s) => {
  s.getattr('X_train');
  s.getattr('y_train');
  s.setattr('clf', py.sklearn('RandomForestClassifier', [['n_estimators', py.int(2)], ['max_depth', py.int(2)], ['random_state', py.int(1337)]]));
};
const end: Body = (s) => {
  s.getattr('clf');
  s.getattr('X_test');
  s.getattr('y_test');
  s.setattr('preds', py.ndarray('int64', [1], [0]));
  s.setattr('accuracy', py.float(1.0));
};
const threeSteps = (name: string, deco: { flow?: unknown[]; start?: unknown[]; train?: unknown[]; end?: unknown[] }): F.FlowDefinition => ({
  name, parameters: PARAMS, decorators: deco.flow ?? [],
  steps: [
    { name: 'start', body: start, next: 'train', decorators: deco.start ?? [] },
    { name: 'train', body: train, next: 'end', decorators: deco.train ?? [] },
    { name: 'end', body: end, decorators: deco.end ?? [] },
  ],
});

describe("wandb's system-test flows", () => {
  it('decoboth: class (F,F,F), start (datasets, models) — the 5 datasets, accuracy by run.log, clf and preds not logged', async () => {
    const r = await run({ definition: threeSteps('WandbExampleFlowDecoBoth', { flow: [wandbLog({})], start: [wandbLog({ datasets: true, models: true })] }) });
    expect(r.log.runs).toHaveLength(3);
    for (const x of r.log.runs) expect(x).toMatchObject({ config: CONFIG, exit_code: 0, group: 'WandbExampleFlowDecoBoth/1' });
    expect(r.log.runs.map((x) => [x.job_type, x.logged_artifacts, x.used_artifacts, x.history])).toEqual([
      ['start', DATASETS.map((d) => `${d}:v0`), [], []],
      ['train', [], [], []],
      ['end', [], [], [{ accuracy: 1 }]],
    ]);
    expect(new Set(r.log.artifacts.map((a) => a.type))).toEqual(new Set(['dataset']));
  });

  it('decoclass: class (T,T,T) — plus clf (model) and preds (other); train and end use their inputs at :latest', async () => {
    const r = await run({ definition: threeSteps('WandbExampleFlowDecoClass', { flow: [wandbLog({ datasets: true, models: true, others: true })] }) });
    expect(r.log.runs.map((x) => [x.job_type, x.logged_artifacts, x.used_artifacts])).toEqual([
      ['start', DATASETS.map((d) => `${d}:v0`), []],
      ['train', ['clf:v0'], ['X_train:v0', 'y_train:v0']],
      ['end', ['preds:v0'], ['clf:v0', 'X_test:v0', 'y_test:v0']],
    ]);
    expect(r.log.artifacts.find((a) => a.name === 'clf')).toMatchObject({ type: 'model', files: [{ path: 'clf.pkl' }] });
    expect(r.log.artifacts.find((a) => a.name === 'preds')).toMatchObject({ type: 'other', files: [{ path: 'preds.pkl' }] });
    expect(r.log.runs[2]!.summary).toEqual({ accuracy: 1 });
  });

  it('decostep: start (T,T), train bare @wandb_log, end @wandb_log() — the 5 datasets only', async () => {
    const r = await run({ definition: threeSteps('WandbExampleFlowDecoStep', { start: [wandbLog({ datasets: true, models: true })], train: [wandbLog()], end: [wandbLog({})] }) });
    expect(r.log.runs.map((x) => [x.job_type, x.logged_artifacts, x.used_artifacts])).toEqual([
      ['start', DATASETS.map((d) => `${d}:v0`), []],
      ['train', [], []],
      ['end', [], []],
    ]);
    expect(r.log.artifacts).toHaveLength(5);
  });

  it('foreach: 5 runs; start logs models (run.log) and the datasets; each train logs model_name and accuracy; the join logs results', async () => {
    const r = await run({
      definition: {
        name: 'WandbForeachFlow', parameters: PARAMS, decorators: [wandbLog()],
        steps: [
          { name: 'start', decorators: [wandbLog({ datasets: true, models: true, others: true })], body: (s) => { s.setattr('models', py.list([py.str('RandomForestClassifier'), py.str('GradientBoostingClassifier')])); start(s, null); }, next: { foreach: 'models', to: 'train' } },
          { name: 'train', body: (s) => { s.setattr('model_name', s.input); s.getattr('X_train'); s.setattr('clf', py.sklearn(String((s.input as { value: string }).value), [])); s.setattr('preds', py.ndarray('int64', [2], [1, 0])); s.setattr('accuracy', py.float(0.5)); }, next: 'join_train' },
          {
            name: 'join_train', join: true, next: 'end',
            body: (s, inputs) => s.setattr('results', py.list([...inputs!].map((i) => py.dict([[py.str('model_name'), i.getattr('model_name') as never], [py.str('preds'), i.getattr('preds') as never], [py.str('accuracy'), i.getattr('accuracy') as never]])))),
          },
          { name: 'end' },
        ],
      },
    });
    expect(r.flow_status).toBe('ok');
    expect(r.log.runs.map((x) => x.job_type)).toEqual(['start', 'train', 'train', 'join_train', 'end']);
    expect(r.log.runs[0]!.history).toEqual([{ models: ['RandomForestClassifier', 'GradientBoostingClassifier'] }]);
    expect(r.log.runs[0]!.logged_artifacts).toEqual(DATASETS.map((d) => `${d}:v0`));
    expect(r.log.runs[1]!.history).toEqual([{ model_name: 'RandomForestClassifier' }, { accuracy: 0.5 }]);
    expect(r.log.runs[2]!.history).toEqual([{ model_name: 'GradientBoostingClassifier' }, { accuracy: 0.5 }]);
    // The two train runs cannot be told apart but for their values: same group, same job type.
    expect(r.log.runs[1]!.group).toBe(r.log.runs[2]!.group);
    // A list of dicts holding numpy arrays goes through run.log fine (arrays become lists).
    expect(r.log.runs[3]!.summary).toEqual({ results: [
      { model_name: 'RandomForestClassifier', preds: [1, 0], accuracy: 0.5 },
      { model_name: 'GradientBoostingClassifier', preds: [1, 0], accuracy: 0.5 },
    ] });
    expect(r.log.artifacts).toHaveLength(5);
  });

  it('pytorch: config of the 9 parameters; start summary {use_cuda, train_kwargs, test_kwargs}; no artifacts', async () => {
    const r = await run({
      definition: {
        name: 'WandbPyTorchFlow', decorators: [wandbLog()],
        parameters: [
          { name: 'batch_size', default: 64 }, { name: 'test_batch_size', default: 1000 }, { name: 'epochs', default: 1 },
          { name: 'lr', default: 1.5 }, { name: 'gamma', default: 0.7 }, { name: 'no_cuda', default: false }, { name: 'seed', default: 1 },
          { name: 'log_interval', default: 10 }, { name: 'save_model', default: false },
        ],
        steps: [
          {
            name: 'start', decorators: [wandbLog({ datasets: true, models: true, others: true })], next: 'train',
            body: (s) => {
              s.setattr('use_cuda', py.bool(false));
              s.setattr('train_kwargs', py.dict([[py.str('batch_size'), py.int(64)]]));
              s.setattr('test_kwargs', py.dict([[py.str('batch_size'), py.int(1000)]]));
            },
          },
          { name: 'train', body: (s) => s.setattr('model', py.torchModule('Net')), next: 'end' },
          { name: 'end' },
        ],
      },
    });
    expect(r.log.runs).toHaveLength(3);
    expect(r.log.runs[0]!.config).toEqual({ batch_size: 64, test_batch_size: 1000, epochs: 1, lr: 1.5, gamma: 0.7, no_cuda: false, seed: 1, log_interval: 10, save_model: false });
    expect(r.log.runs[0]!.summary).toEqual({ use_cuda: false, train_kwargs: { batch_size: 64 }, test_kwargs: { batch_size: 1000 } });
    expect(r.log.artifacts).toEqual([]);
  });
});
