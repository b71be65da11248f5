/**
 * Reads one schema-checked YAML document into a `Scenario`. Tolerant on purpose: a part the schema already
 * reported as wrong is skipped (never thrown on), so one run of the loader finds every problem of a file,
 * lint included.
 */
import { isMap, isPair, isScalar, type SourceDocument } from './yaml-source.ts';
import { joinPointer } from './yaml-source.ts';
import type { ValueBuilder } from './tags.ts';
import {
  WANDB_DEFAULTS, type DecoratorSpec, type FlowSpec, type HelperSource, type Location, type MatrixFlag, type MatrixSpec,
  type Operation, type ParameterSpec, type Scenario, type StepSpec,
} from './model.ts';
import type { flow, values } from '../../src/index.ts';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const strings = (x: unknown): string[] | undefined => (Array.isArray(x) && x.every((s) => typeof s === 'string') ? (x as string[]) : undefined);

export function readScenario(src: SourceDocument, build: ValueBuilder): Scenario | null {
  const d = src.data;
  if (!isObj(d)) return null;
  const loc = (pointer: string): Location => ({ file: src.file, ...src.valueAt(pointer) });
  const keyLoc = (pointer: string): Location => ({ file: src.file, ...src.keyAt(pointer) });

  const pairs = (pointer: string, data: unknown): Array<readonly [string, values.PyValue]> =>
    isObj(data) ? Object.keys(data).map((k) => [k, build.value(src.node(joinPointer(pointer, k)))] as const) : [];

  const decorators = (pointer: string, data: unknown): DecoratorSpec[] => {
    if (!Array.isArray(data)) return [];
    const out: DecoratorSpec[] = [];
    data.forEach((dec, i) => {
      const p = joinPointer(pointer, i);
      if (!isObj(dec)) return;
      if ('wandb_log' in dec) {
        const o = isObj(dec['wandb_log']) ? dec['wandb_log'] : {};
        const flag = (k: string) => (typeof o[k] === 'boolean' ? { [k]: o[k] as boolean } : {});
        out.push({
          kind: 'wandb_log', ...flag('datasets'), ...flag('models'), ...flag('others'),
          settings: 'settings' in o ? build.settings(src.node(`${p}/wandb_log/settings`)) : null,
          location: keyLoc(`${p}/wandb_log`),
        });
      } else if ('retry' in dec) {
        const o = isObj(dec['retry']) ? dec['retry'] : {};
        out.push({ kind: 'retry', times: typeof o['times'] === 'number' ? o['times'] : 3, location: keyLoc(`${p}/retry`) });
      } else if ('catch' in dec) {
        const o = isObj(dec['catch']) ? dec['catch'] : {};
        out.push({ kind: 'catch', var: typeof o['var'] === 'string' ? o['var'] : null, location: keyLoc(`${p}/catch`) });
      }
    });
    return out;
  };

  const body = (pointer: string, data: unknown): Operation[] => {
    if (!Array.isArray(data)) return [];
    const out: Operation[] = [];
    data.forEach((op, i) => {
      const p = joinPointer(pointer, i);
      if (!isObj(op) || Object.keys(op).length !== 1) return;
      const kind = Object.keys(op)[0]!;
      const arg = op[kind];
      const location = keyLoc(joinPointer(p, kind));
      const named = (k: 'read' | 'mutate' | 'call' | 'read_inputs' | 'del') => {
        if (typeof arg === 'string') out.push({ op: k, name: arg, location });
      };
      switch (kind) {
        case 'set': case 'local':
          if (isObj(arg)) out.push({ op: kind, values: pairs(joinPointer(p, kind), arg), location });
          break;
        case 'read': case 'mutate': case 'call': case 'read_inputs': case 'del':
          named(kind);
          break;
        case 'merge_artifacts': {
          const o = isObj(arg) ? arg : {};
          const include = strings(o['include']);
          const exclude = strings(o['exclude']);
          out.push({ op: 'merge_artifacts', ...(include ? { include } : {}), ...(exclude ? { exclude } : {}), location });
          break;
        }
        case 'raise':
          if (typeof arg === 'string') out.push({ op: 'raise', type: arg, message: '', location });
          else if (isObj(arg) && typeof arg['type'] === 'string') out.push({ op: 'raise', type: arg['type'], message: str(arg['message']) ?? '', location });
          break;
      }
    });
    return out;
  };

  const next = (pointer: string, data: unknown): flow.NextSpec | undefined => {
    if (typeof data === 'string') return data;
    if (Array.isArray(data)) return strings(data);
    if (!isObj(data)) return undefined;
    if ('foreach' in data) {
      const to = typeof data['to'] === 'string' ? data['to'] : strings(data['to']);
      return typeof data['foreach'] === 'string' && to !== undefined ? { foreach: data['foreach'], to } : undefined;
    }
    // Case keys keep their YAML type (`1:` is an int key, `true:` a bool) so switch values compare as Python's.
    const casesNode = src.node(`${pointer}/cases`);
    const cases: flow.SwitchCase[] = [];
    if (isMap(casesNode)) {
      for (const item of casesNode.items) {
        if (!isPair(item) || !isScalar(item.key) || !isScalar(item.value)) continue;
        const k = item.key.value;
        const key = typeof k === 'bigint' ? Number(k) : typeof k === 'number' || typeof k === 'boolean' ? k : String(k);
        cases.push({ key, to: String(item.value.value) });
      }
    }
    return { switch: str(data['switch']) ?? null, cases };
  };

  const f = isObj(d['flow']) ? d['flow'] : {};
  const stepsData = isObj(f['steps']) ? f['steps'] : {};
  const steps: StepSpec[] = Object.keys(stepsData).map((name) => {
    const p = joinPointer('/flow/steps', name);
    const s = isObj(stepsData[name]) ? (stepsData[name] as Obj) : {};
    const n = next(`${p}/next`, s['next']);
    return {
      name,
      body: body(`${p}/body`, s['body']),
      // The tail `self.next(...)` is the value: unknown targets and loops point at what was written there.
      ...(n !== undefined ? { next: n, nextLocation: loc(`${p}/next`) } : {}),
      ...(typeof s['join'] === 'boolean' ? { join: s['join'] } : {}),
      decorators: decorators(`${p}/decorators`, s['decorators']),
      location: keyLoc(p),
    };
  });

  const helpersData = f['helpers'];
  const helpers: HelperSource[] = Array.isArray(helpersData)
    ? helpersData.flatMap((h, i) => (typeof h === 'string' ? [{ name: h, body: [], decorators: [], location: loc(`/flow/helpers/${i}`) }] : []))
    : isObj(helpersData)
      ? Object.keys(helpersData).map((name) => {
          const p = joinPointer('/flow/helpers', name);
          const h = isObj(helpersData[name]) ? (helpersData[name] as Obj) : {};
          return { name, body: body(`${p}/body`, h['body']), decorators: decorators(`${p}/decorators`, h['decorators']), location: keyLoc(p) };
        })
      : [];

  const paramsData = isObj(f['parameters']) ? f['parameters'] : {};
  const parameters: ParameterSpec[] = Object.keys(paramsData).map((name) => {
    const p = joinPointer('/flow/parameters', name);
    const o = isObj(paramsData[name]) ? (paramsData[name] as Obj) : {};
    let type = str(o['type']) as flow.ParameterType | undefined;
    // `default: 1.0` is a Python float although JS sees the integer 1: keep the type Python would infer.
    const defNode = src.node(`${p}/default`);
    if (type === undefined && isScalar(defNode) && typeof defNode.value === 'number') type = 'float';
    return {
      name,
      ...('default' in o ? { default: build.plain(defNode) } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(typeof o['required'] === 'boolean' ? { required: o['required'] } : {}),
      ...(typeof o['help'] === 'string' ? { help: o['help'] } : {}),
      location: keyLoc(p),
    };
  });

  const flowSpec: FlowSpec = {
    name: str(f['name']) ?? 'Flow',
    decorators: decorators('/flow/decorators', f['decorators']),
    parameters,
    constants: pairs('/flow/constants', f['constants']),
    helpers,
    steps,
    location: keyLoc('/flow'),
    stepsLocation: keyLoc('/flow/steps'),
  };

  const run = isObj(d['run']) ? d['run'] : {};
  const runIdNode = src.node('/run/run_id');
  const runId = isScalar(runIdNode) && (typeof runIdNode.value === 'string' || typeof runIdNode.value === 'bigint') ? String(runIdNode.value) : undefined;
  const runParams = isObj(run['parameters']) ? (build.plain(src.node('/run/parameters')) as Obj) : {};
  const wandb = isObj(d['wandb']) ? d['wandb'] : {};
  const id = str(d['scenario']) ?? '';

  return {
    id,
    baseId: id,
    snapshotKey: id,
    file: src.file,
    location: keyLoc('/scenario'),
    ...(typeof d['description'] === 'string' ? { description: d['description'] } : {}),
    integration: d['integration'] === 'legacy' ? 'legacy' : 'current',
    lineage: d['lineage'] === 'pinned' ? 'pinned' : 'latest',
    wandb: {
      entity: str(wandb['entity']) ?? WANDB_DEFAULTS.entity,
      project: str(wandb['project']) ?? WANDB_DEFAULTS.project,
      mode: wandb['mode'] === 'offline' || wandb['mode'] === 'disabled' ? wandb['mode'] : WANDB_DEFAULTS.mode,
    },
    flow: flowSpec,
    run: {
      ...(runId !== undefined ? { runId } : {}),
      parameters: runParams,
      ...(typeof run['max_workers'] === 'number' ? { maxWorkers: run['max_workers'] } : {}),
      ...(typeof run['seed'] === 'number' ? { seed: run['seed'] } : {}),
    },
    faults: Array.isArray(d['faults']) ? d['faults'] : [],
    env: isObj(d['env']) ? Object.fromEntries(Object.entries(d['env']).filter((e): e is [string, string] => typeof e[1] === 'string')) : {},
    ...(isObj(d['matrix']) ? { matrix: readMatrix(d['matrix'], keyLoc) } : {}),
  };
}

function readMatrix(data: Obj, keyLoc: (p: string) => Location): MatrixSpec {
  return Object.keys(data).map((target) => {
    const o = isObj(data[target]) ? (data[target] as Obj) : {};
    const flags = (['datasets', 'models', 'others'] as const satisfies readonly MatrixFlag[])
      .filter((k) => Array.isArray(o[k]) && (o[k] as unknown[]).every((b) => typeof b === 'boolean'))
      .map((k) => [k, o[k] as boolean[]] as const);
    // Keep the file's key order: combinations enumerate in the order the author wrote the flags.
    const order = Object.keys(o);
    flags.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
    return { target, location: keyLoc(joinPointer('/matrix', target)), flags };
  });
}
