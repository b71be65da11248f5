/** The standard library pieces flows use, wandb.Settings, and the environment of a CI job (`--env`). */
import { flow } from '../../../src/index.ts';
import { CurrentRef, isPy, py, SettingsValue, str, type PyValue, type Value } from '../interp-values.ts';
import { unknown } from '../opaque.ts';
import { argOf, strArg } from './args.ts';
import type { LibraryAttr, LibraryCall } from './index.ts';

const environ = (it: Parameters<LibraryAttr>[0]): PyValue =>
  py.dict(Object.entries(it.ctx.env).map(([k, v]) => [py.str(k), py.str(v)]));

export const MISC_ATTRS: Record<string, LibraryAttr> = {
  'os.environ': (it) => environ(it),
  'os.sep': () => py.str('/'),
  'metaflow.current': () => new CurrentRef(),
  'math.pi': () => py.float(Math.PI),
  'numpy.pi': () => py.float(Math.PI),
  'numpy.nan': () => py.float(NaN),
};

export const MISC_CALLS: Record<string, LibraryCall> = {
  'wandb.Settings': (_it, args) => {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of args.keywords) fields[k] = isPy(v) && v.kind === 'str' ? v.value : isPy(v) && v.kind === 'none' ? null : v;
    return new SettingsValue(fields);
  },
  'pathlib.Path': (it, args, e) =>
    unknown(it, e, 'Path', `is a path (${args.positional.map((a) => str(a)).join('/') || '.'}) that the flow does not create: it may or may not exist`),
  'pathlib.PurePath': (_it, args) => py.purePath(args.positional.map((a) => str(a)).join('/')),
  'os.getenv': (it, args) => {
    const name = strArg(args, 0, 'key') ?? '';
    return name in it.ctx.env ? py.str(it.ctx.env[name]!) : (argOf(args, 1, 'default') ?? py.None);
  },
  'os.environ.get': (it, args) => {
    const name = strArg(args, 0, 'key') ?? '';
    return name in it.ctx.env ? py.str(it.ctx.env[name]!) : (argOf(args, 1, 'default') ?? py.None);
  },
  'os.path.join': (_it, args) => py.str(args.positional.map((a) => str(a)).join('/')),
  'os.path.exists': (it, _args, e) => unknown(it, e, 'bool', 'asks the filesystem, which the plan never touches'),
  'copy.deepcopy': (_it, args) => {
    const v = args.positional[0];
    return v !== undefined && isPy(v) ? flow.pyClone(v) : (v ?? py.None);
  },
  'copy.copy': (_it, args) => {
    const v = args.positional[0];
    return v !== undefined && isPy(v) ? flow.pyClone(v) : (v ?? py.None);
  },
  'pickle.dump': () => py.None,
  'pickle.load': (it, _a, e) => unknown(it, e, null, 'unpickles a file, which the plan never opens'),
  'pickle.loads': (it, _a, e) => unknown(it, e, null, 'unpickles bytes the plan does not have'),
  'pickle.dumps': (it, _a, e) => unknown(it, e, null, 'is pickled bytes'),
  'collections.OrderedDict': (_it, args) => {
    const v = args.positional[0];
    return py.ordereddict(v !== undefined && isPy(v) && v.kind === 'dict' ? [...v.entries] : []);
  },
  'metaflow.Parameter': (it, _a, e) => unknown(it, e, null, 'is a Parameter outside a flow class'),
};

export type { Value };
