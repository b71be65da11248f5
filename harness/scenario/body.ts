/**
 * Body operations -> a step body (or helper method) acting only through the `self` it is given, so a hook
 * (the W&B integration's proxy) that wraps `self` sees every read and write exactly as Python's attribute
 * protocol would show them.
 *
 * `mutate: name` changes the object in place, as Python code would (the value stays the same object):
 * - list: `x.append(None)`; set: `x.add(n)` with the smallest non-negative int not yet in it;
 * - dict: `x["mutated"] = True`; DataFrame: a column `mutated` of True; Series: the label `mutated` = True;
 * - anything else: `x["mutated"] = True` fails as Python's does — `TypeError: 'tuple' object does not support
 *   item assignment` (str, int, tuple, frozenset, None, user objects, ...), numpy's IndexError for an ndarray.
 *
 * An error raised by an operation gets a non-enumerable `scenarioLocation` (file, line, col of the operation),
 * so a report can point at the line of the scenario that raised it; the Python message itself is untouched.
 */
import { flow, values } from '../../src/index.ts';
import type { Location, Operation } from './model.ts';

type PyValue = values.PyValue;
const { py } = values;

const NDARRAY_INDEX_ERROR =
  'only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices';

/** In-place change of a value, as described above. */
export function mutateInPlace(v: unknown): void {
  if (!values.isPyValue(v)) throw new flow.PythonError('TypeError', `'${flow.pyTypeName(v)}' object does not support item assignment`);
  const key = py.str('mutated');
  switch (v.kind) {
    case 'list':
      v.items.push(py.None);
      return;
    case 'set':
      if (v.type.name === 'set') {
        let n = 0;
        while (v.items.some((x) => values.pyEquals(x, py.int(n)))) n++;
        (v.items as PyValue[]).push(py.int(n));
        return;
      }
      break;
    case 'dict': {
      const at = v.entries.findIndex(([k]) => values.pyEquals(k, key));
      if (at >= 0) v.entries[at] = [v.entries[at]![0], py.bool(true)];
      else v.entries.push([key, py.bool(true)]);
      return;
    }
    case 'dataframe': {
      const cols = v.columns as string[];
      const rows = v.rows as PyValue[][];
      const at = cols.indexOf('mutated');
      if (at >= 0) for (const r of rows) r[at] = py.bool(true);
      else {
        cols.push('mutated');
        for (const r of rows) r.push(py.bool(true));
      }
      return;
    }
    case 'series':
      (v.items as PyValue[]).push(py.bool(true));
      return;
    case 'ndarray':
      throw new flow.PythonError('IndexError', NDARRAY_INDEX_ERROR);
  }
  throw new flow.PythonError('TypeError', `'${v.type.name}' object does not support item assignment`);
}

function located(err: unknown, location: Location): unknown {
  if (typeof err === 'object' && err !== null && !Object.hasOwn(err, 'scenarioLocation')) {
    Object.defineProperty(err, 'scenarioLocation', { value: location, enumerable: false });
  }
  return err;
}

const noInputs = (): never => {
  throw new flow.PythonError('NameError', "name 'inputs' is not defined");
};

async function run(op: Operation, self: flow.FlowSelf, inputs: flow.Inputs | null): Promise<void> {
  switch (op.op) {
    case 'set': {
      // A fresh copy per execution (Python builds the value anew each time the line runs); values aliased
      // inside one operation stay one object.
      const seen = new Map<PyValue, PyValue>();
      for (const [name, value] of op.values) self.setattr(name, flow.pyClone(value, seen));
      return;
    }
    case 'read':
      if (op.name === 'input') void self.input;
      else if (op.name === 'index') void self.index;
      else self.getattr(op.name);
      return;
    case 'local':
      return; // a local variable: nothing on self, never logged
    case 'mutate':
      mutateInPlace(self.getattr(op.name));
      return;
    case 'call':
      await self.call(op.name);
      return;
    case 'merge_artifacts':
      if (inputs === null) noInputs();
      self.merge_artifacts(inputs!, {
        ...(op.include !== undefined ? { include: op.include } : {}),
        ...(op.exclude !== undefined ? { exclude: op.exclude } : {}),
      });
      return;
    case 'read_inputs':
      if (inputs === null) noInputs();
      for (const input of inputs!) input.getattr(op.name);
      return;
    case 'raise':
      flow.pyRaise(op.type, op.message);
      return;
    case 'del':
      self.delattr(op.name);
      return;
  }
}

/** The body of a step: its operations in order. */
export function compileBody(ops: readonly Operation[]): flow.StepBody {
  return async (self, inputs) => {
    for (const op of ops) {
      try {
        await run(op, self, inputs);
      } catch (err) {
        throw located(err, op.location);
      }
    }
  };
}

/** A helper method: the same operations, without `inputs`. */
export function compileHelper(ops: readonly Operation[]): flow.HelperMethod {
  const body = compileBody(ops);
  return (self) => body(self, null);
}
