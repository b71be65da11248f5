/**
 * scikit-learn: any class of `sklearn.*` is an estimator (a model to the integration); `fit` returns it,
 * `predict` an array; `train_test_split` as many frames/arrays as it splits; `metrics.*_score` a float.
 */
import type { Expr } from '../ast.ts';
import type { Args, Host } from '../host.ts';
import { isPy, Opaque, py, type OpaqueType, type PyValue, type Value } from '../interp-values.ts';
import type { LibraryCall } from './index.ts';

function splitKind(v: Value): OpaqueType {
  if (v instanceof Opaque) return v.type === 'DataFrame' || v.type === 'Series' ? v.type : 'ndarray';
  if (isPy(v)) return v.kind === 'dataframe' ? 'DataFrame' : v.kind === 'series' ? 'Series' : v.kind === 'list' ? 'list' : 'ndarray';
  return null;
}

export const SKLEARN_CALLS: Record<string, LibraryCall> = {
  'sklearn.model_selection.train_test_split': (host, args, e) => {
    const parts = args.positional.flatMap((a) => {
      const k = splitKind(a);
      return [new Opaque(`${e.text} (train)`, e.pos, k, 'is a random split'), new Opaque(`${e.text} (test)`, e.pos, k, 'is a random split')];
    });
    const pinned = host.unknown(e, null, `splits ${args.positional.length} value(s) at random into ${parts.length}: their contents are unknown (${parts.map((p) => p.type).join(', ')})`);
    if (!(pinned instanceof Opaque)) return pinned;
    return new Opaque(e.text, e.pos, null, 'is a random split', parts);
  },
  'sklearn.metrics.confusion_matrix': (host, _a, e) => host.unknown(e, 'ndarray', 'depends on the predictions'),
  'sklearn.metrics.classification_report': (host, _a, e) => host.unknown(e, 'str', 'depends on the predictions'),
};

export function sklearnCall(host: Host, path: string, args: Args, e: Expr): Value | undefined {
  const name = path.split('.').pop()!;
  if (path.startsWith('sklearn.metrics.') && /(_score|_error|_loss)$/.test(name)) {
    return host.unknown(e, 'float', `is ${name}, a float computed from the predictions`);
  }
  // Classes of sklearn that are not estimators (ParameterGrid, KFold, ...) are not modelled: unknown below.
  const notEstimator = path.startsWith('sklearn.model_selection.') && !/SearchCV$/.test(name);
  if (/^[A-Z]/.test(name) && !path.startsWith('sklearn.datasets.') && !notEstimator) {
    const params: [string, PyValue][] = [...args.keywords].filter(([, v]) => isPy(v)).map(([k, v]) => [k, v as PyValue]);
    return py.sklearn(name, params);
  }
  if (path === 'sklearn.pipeline.make_pipeline') return py.sklearn('Pipeline');
  return undefined;
}
