/** The values of reference §3.2 (and §6.1), built with the value model. */
import { py, type PyValue } from '../../../src/values/model.ts';
import { T, TypeRegistry } from '../../../src/values/types.ts';
import { VirtualFiles, inlineDirPath, missingPath } from '../../../src/values/files.ts';

const reg = new TypeRegistry();
const Color = reg.define('Color', ['str', 'Enum']);

export const wineDf = py.dataframe(['fixed_acidity', 'quality'], [[py.float(7.4), py.int(5)], [py.float(7.8), py.int(6)]]);
export const fileFs = new VirtualFiles({ 'data/f.txt': 'hello\n' });

/** category: which row of the expectation table applies. */
export const TABLE_VALUES: { name: string; category: 'scalar' | 'generic' | 'df' | 'path' | 'sklearn'; value: PyValue }[] = [
  // Always "scalar" on track, None on use.
  { name: 'bool', category: 'scalar', value: py.bool(true) },
  { name: 'int', category: 'scalar', value: py.int(1) },
  { name: 'float', category: 'scalar', value: py.float(1.5) },
  { name: 'str', category: 'scalar', value: py.str('wandb') },
  { name: 'dict', category: 'scalar', value: py.record({ a: py.int(1) }) },
  { name: 'list', category: 'scalar', value: py.list([py.int(1)]) },
  { name: 'set', category: 'scalar', value: py.set([py.int(1)]) },
  { name: 'OrderedDict', category: 'scalar', value: py.ordereddict([[py.str('a'), py.int(1)]]) },
  { name: 'defaultdict', category: 'scalar', value: py.defaultdict(T.list, []) },
  { name: 'str Enum member', category: 'scalar', value: py.strEnum(Color, 'RED', 'red') },
  { name: 'np.float64', category: 'scalar', value: py.numpy('float64', 1) },
  // Generic only.
  { name: 'None', category: 'generic', value: py.None },
  { name: 'tuple', category: 'generic', value: py.tuple([py.int(1), py.int(2)]) },
  { name: 'frozenset', category: 'generic', value: py.frozenset([py.int(1)]) },
  { name: 'bytes', category: 'generic', value: py.bytes('ab') },
  { name: 'bytearray', category: 'generic', value: py.bytearray('ab') },
  { name: 'complex', category: 'generic', value: py.complex(1, 2) },
  { name: 'Decimal', category: 'generic', value: py.decimal('1.5') },
  { name: 'datetime', category: 'generic', value: py.datetime(2024, 1, 2) },
  { name: 'np.float32', category: 'generic', value: py.numpy('float32', 1) },
  { name: 'np.int64', category: 'generic', value: py.numpy('int64', 1n) },
  { name: 'np.bool_', category: 'generic', value: py.numpy('bool_', true) },
  { name: 'np.ndarray', category: 'generic', value: py.ndarray('int64', [3], [1n, 2n, 3n]) },
  { name: 'pd.Series', category: 'generic', value: py.series([py.int(1), py.int(2)]) },
  { name: 'PurePosixPath', category: 'generic', value: py.purePath('data/f.txt') },
  { name: 'function', category: 'generic', value: py.function('test.<locals>.func') },
  // Typed.
  { name: 'DataFrame', category: 'df', value: wineDf },
  { name: 'Path to a file', category: 'path', value: py.path('data/f.txt', fileFs) },
  { name: 'Path to a dir', category: 'path', value: inlineDirPath('data', { 'f.txt': 'x', 'sub/g.txt': 'y' }) },
  { name: 'missing Path', category: 'path', value: missingPath('nowhere') },
  { name: 'RandomForestClassifier', category: 'sklearn', value: py.sklearn('RandomForestClassifier') },
  { name: 'Pipeline', category: 'sklearn', value: py.sklearn('Pipeline') },
];

export const net = py.torchModule('Net');
