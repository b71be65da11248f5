/**
 * torch: subclasses of `nn.Module` (user classes) are models; the layers of `torch.nn` are modules too;
 * `torch.load` gives a module of unknown class; a CI job has no GPU (`torch.cuda.is_available()` is False).
 */
import { values } from '../../../src/index.ts';
import type { Expr } from '../ast.ts';
import type { Args, Host } from '../host.ts';
import { isPy, py, type Value } from '../interp-values.ts';
import { strArg } from './args.ts';
import type { LibraryCall } from './index.ts';

const layers = new Map<string, values.PyType>();

export const TORCH_CALLS: Record<string, LibraryCall> = {
  'torch.load': (host, args, e) => host.unknown(e, 'Module', `loads ${strArg(args, 0, 'f') ?? 'a file'}, which the plan never opens`),
  'torch.cuda.is_available': () => py.bool(false),
  'torch.cuda.device_count': () => py.int(0),
  'torch.backends.mps.is_available': () => py.bool(false),
  'torch.device': (_host, args) => {
    const d = args.positional[0];
    return d !== undefined && isPy(d) ? d : py.str('cpu');
  },
  'torch.no_grad': () => py.None,
};

/** `torch.nn.Linear(...)` and friends: an instance of that module class. */
export function torchCall(host: Host, path: string, _args: Args, e: Expr): Value | undefined {
  const name = path.split('.').pop()!;
  if (path.startsWith('torch.nn.') && /^[A-Z]/.test(name) && !path.startsWith('torch.nn.functional.')) {
    let t = layers.get(name);
    if (t === undefined) {
      t = values.defineClass(name, [values.T.Module], { module: 'torch.nn' });
      layers.set(name, t);
    }
    return py.object(t);
  }
  if (/^torch\.(tensor|zeros|ones|randn|rand|from_numpy|stack|cat)$/.test(path)) return host.unknown(e, null, 'is a tensor, which the value model does not hold');
  return undefined;
}
