/** The standard library pieces flows use, wandb.Settings, and the environment of a CI job (`--env`). */
import { flow, values } from '../../../src/index.ts';
import { CurrentRef, isPy, py, SettingsValue, str, type PyValue, type Value } from '../interp-values.ts';
import { unknownPath } from '../opaque.ts';
import { argOf, strArg } from './args.ts';
import type { LibraryAttr, LibraryCall } from './index.ts';
import type { Expr } from '../ast.ts';
import type { Host } from '../host.ts';

const environ = (host: Host): PyValue =>
  py.dict(Object.entries(host.env).map(([k, v]) => [py.str(k), py.str(v)]));

/** `Path(a, b)` / `a / b`: an absolute part restarts the path, as pathlib does. */
export function joinPath(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) out = p.startsWith('/') || out === '' || out === '.' ? p : `${out.replace(/\/+$/, '')}/${p}`;
  return out || '.';
}

/** Settings fields that name where a run goes: an unknown one is said, and named unknown in the plan. */
const NAMING_FIELDS = new Set(['project', 'entity', 'run_group', 'run_job_type']);

function unknownSetting(host: Host, field: string, call: Expr): string {
  const arg = call.k === 'call' ? call.args.find((a) => a.name === field)?.value : undefined;
  const at = arg ?? call;
  const name = `<unknown ${field} ${at.pos.line}:${at.pos.col}>`;
  host.report('UNKNOWN_SETTING', at.pos, `wandb.Settings(${field}=${at.text}) is a value the plan cannot know: the runs this Settings names are planned with ${field} "${name}". Pin it in flow.values.yaml as "${at.pos.line}:${at.pos.col}".`, { step: host.step });
  return name;
}

export const MISC_ATTRS: Record<string, LibraryAttr> = {
  'os.environ': (host) => environ(host),
  'os.sep': () => py.str('/'),
  'metaflow.current': () => new CurrentRef(),
  'math.pi': () => py.float(Math.PI),
  'string.ascii_lowercase': () => py.str('abcdefghijklmnopqrstuvwxyz'),
  'string.ascii_uppercase': () => py.str('ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
  'string.ascii_letters': () => py.str('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'),
  'string.digits': () => py.str('0123456789'),
  'numpy.pi': () => py.float(Math.PI),
  'numpy.nan': () => py.float(NaN),
};

export const MISC_CALLS: Record<string, LibraryCall> = {
  'wandb.Settings': (host, args, e) => {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of args.keywords) {
      if (isPy(v) && v.kind === 'str' && !values.isUnknown(v)) fields[k] = v.value;
      else if (isPy(v) && v.kind === 'none') fields[k] = null;
      else if (NAMING_FIELDS.has(k)) fields[k] = unknownSetting(host, k, e);
      else fields[k] = v;
    }
    return new SettingsValue(fields);
  },
  'pathlib.Path': (_host, args, e) => unknownPath(joinPath(args.positional.map((a) => str(a))), e.pos),
  'pathlib.PurePath': (_host, args) => py.purePath(args.positional.map((a) => str(a)).join('/')),
  'os.getenv': (host, args) => {
    const name = strArg(args, 0, 'key') ?? '';
    return name in host.env ? py.str(host.env[name]!) : (argOf(args, 1, 'default') ?? py.None);
  },
  'os.environ.get': (host, args) => {
    const name = strArg(args, 0, 'key') ?? '';
    return name in host.env ? py.str(host.env[name]!) : (argOf(args, 1, 'default') ?? py.None);
  },
  'os.path.join': (_host, args) => py.str(args.positional.map((a) => str(a)).join('/')),
  'os.path.exists': (host, _args, e) => host.unknown(e, 'bool', 'asks the filesystem, which the plan never touches'),
  'copy.deepcopy': (_host, args) => {
    const v = args.positional[0];
    return v !== undefined && isPy(v) ? flow.pyClone(v) : (v ?? py.None);
  },
  'copy.copy': (_host, args) => {
    const v = args.positional[0];
    return v !== undefined && isPy(v) ? flow.pyClone(v) : (v ?? py.None);
  },
  'wandb.log': (host, _a, e) => {
    host.report('UNSUPPORTED', e.pos, `\`${e.text.split('\n')[0]}\`: rows a step logs itself with wandb.log are not in the plan (only what @wandb_log logs is).`, { step: host.step });
    return py.None;
  },
  'wandb.setup': () => py.None,
  'pickle.dump': () => py.None,
  'pickle.load': (host, _a, e) => host.unknown(e, null, 'unpickles a file, which the plan never opens'),
  'pickle.loads': (host, _a, e) => host.unknown(e, null, 'unpickles bytes the plan does not have'),
  'pickle.dumps': (host, _a, e) => host.unknown(e, null, 'is pickled bytes'),
  'collections.OrderedDict': (_host, args) => {
    const v = args.positional[0];
    return py.ordereddict(v !== undefined && isPy(v) && v.kind === 'dict' ? [...v.entries] : []);
  },
  'metaflow.Parameter': (host, _a, e) => host.unknown(e, null, 'is a Parameter outside a flow class'),
};

export type { Value };
