// wandb's system-test flow flow_foreach.py (reference §6.2), modelled statement by statement in TypeScript: the
// scenario format cannot compute a foreach child's value from `self.input`, so this model stands where a YAML
// scenario would. Every attribute read and write is the one the Python source makes, in its order; the values
// read from wine.csv and computed by sklearn are the stand-ins scenarios/python/system-foreach.values.yaml pins.
import { flow, values, wandbLog } from '../../src/index.ts';

const { py } = values;
const cell = (x: number) => (Number.isInteger(x) ? py.int(x) : py.float(x));
const frame = (columns: string[], rows: number[][]) => py.dataframe(columns, rows.map((r) => r.map(cell)));

export const WINE = {
  raw_df: () => frame(['Wine', 'Alcohol', 'Proline'], [[1, 14.23, 1065], [1, 13.2, 1050], [2, 12.37, 520], [2, 12.33, 680], [3, 12.86, 1035]]),
  X_train: () => frame(['Alcohol', 'Proline'], [[14.23, 1065], [13.2, 1050], [12.33, 680], [12.86, 1035]]),
  X_test: () => frame(['Alcohol', 'Proline'], [[12.37, 520]]),
  y_train: () => frame(['Wine'], [[1], [1], [2], [3]]),
  y_test: () => frame(['Wine'], [[2]]),
};
const preds = () => values.ndarrayFromNested([py.int(2)]);

const start: flow.StepBody = (s) => {
  s.setattr('models', py.list([py.str('RandomForestClassifier'), py.str('GradientBoostingClassifier')]));
  s.getattr('raw_data');
  s.setattr('raw_df', WINE.raw_df()); // pd.read_csv(self.raw_data)
  s.getattr('raw_df'); // X = self.raw_df.drop("Wine", axis=1)
  s.getattr('raw_df'); // y = self.raw_df[["Wine"]]
  s.getattr('test_size');
  s.getattr('seed');
  for (const name of ['X_train', 'X_test', 'y_train', 'y_test'] as const) s.setattr(name, WINE[name]());
};

const train: flow.StepBody = (s) => {
  s.setattr('model_name', s.input as values.PyValue);
  const name = s.getattr('model_name') as { value: string };
  s.getattr('seed');
  s.setattr('clf', py.sklearn(name.value, [['n_estimators', py.int(2)], ['max_depth', py.int(2)], ['random_state', py.int(1337)]]));
  s.getattr('clf'); // self.clf.fit(self.X_train, self.y_train)
  s.getattr('X_train');
  s.getattr('y_train');
  s.getattr('clf'); // self.preds = self.clf.predict(self.X_test)
  s.getattr('X_test');
  s.setattr('preds', preds());
  s.getattr('y_test'); // self.accuracy = accuracy_score(self.y_test, self.preds)
  s.getattr('preds');
  s.setattr('accuracy', py.float(1.0));
};

export const systemForeach = (): flow.FlowDefinition => ({
  name: 'WandbForeachFlow',
  decorators: [wandbLog()],
  parameters: [
    { name: 'seed', default: 1337 },
    { name: 'test_size', default: 0.2 },
    { name: 'raw_data', default: '/flows/wine.csv' },
  ],
  steps: [
    { name: 'start', decorators: [wandbLog({ datasets: true, models: true, others: true })], body: start, next: { foreach: 'models', to: 'train' } },
    { name: 'train', body: train, next: 'join_train' },
    {
      name: 'join_train', join: true, next: 'end',
      body: (s, inputs) => s.setattr('results', py.list([...inputs!].map((i) => py.dict([
        [py.str('model_name'), i.getattr('model_name') as values.PyValue],
        [py.str('preds'), i.getattr('preds') as values.PyValue],
        [py.str('accuracy'), i.getattr('accuracy') as values.PyValue],
      ])))),
    },
    { name: 'end' },
  ],
});
