// Two log models (DESIGN §3.6), the plan's and the real run's, compared field by field. Real runs get random ids
// and, under parallel tasks, arrive in another order: runs are first paired (by position, or as a multiset keyed
// by group / job_type / config), the real log is rewritten into the plan's refs, ids and artifact versions, and
// only then walked. Every difference is named by a readable path: `runs[job_type=train].summary.accuracy`.
import { canonicalJson, type LogArtifact, type LogModel, type LogRun } from '../../../src/index.ts';
import { isIntegralFloat } from '../../../src/backend/json.ts';

/**
 * `declared`: the plan said it does not know this field (a `$unknown` value whose type the real value has, a
 * `$unordered` list the real list is a permutation of, a file whose bytes it does not predict) and says why.
 */
export interface Difference { path: string; plan: unknown; real: unknown; declared?: string }

/** `ordered`: runs pair by position (sequential tasks); `multiset`: by meaning (parallel tasks); `id`: by W&B run id. */
export type Pairing = 'ordered' | 'multiset' | 'id';

const ABSENT = '(absent)';
const versionNumber = (v: string) => Number(v.replace(/^v/, ''));
const nameOf = (nameVersion: string) => nameVersion.slice(0, nameVersion.lastIndexOf(':'));

function runKey(r: LogRun): string {
  return canonicalJson([r.group, r.job_type, r.config]);
}

/** What tells apart runs with one key (foreach siblings): their logged facts, artifact versions left out. */
function runFacts(r: LogRun): string[] {
  return [canonicalJson(r.summary), canonicalJson(r.history), r.logged_artifacts.map(nameOf).join(','), r.used_artifacts.map(nameOf).join(','), String(r.exit_code), r.state];
}

function pairRuns(plan: LogRun[], real: LogRun[], pairing: Pairing): Map<LogRun, LogRun> {
  const pairs = new Map<LogRun, LogRun>(); // real -> plan
  if (pairing === 'ordered') {
    real.forEach((r, i) => plan[i] && pairs.set(r, plan[i]!));
    return pairs;
  }
  if (pairing === 'id') {
    const byId = new Map(plan.map((p) => [p.id, p]));
    for (const r of real) if (byId.has(r.id)) pairs.set(r, byId.get(r.id)!);
    return pairs;
  }
  const free = new Set(real);
  for (const p of plan) {
    const want = runFacts(p);
    let best: LogRun | undefined;
    let bestScore = Infinity;
    for (const r of free) {
      if (runKey(r) !== runKey(p)) continue;
      const score = runFacts(r).filter((f, i) => f !== want[i]).length;
      if (score < bestScore) [best, bestScore] = [r, score];
    }
    if (best) {
      pairs.set(best, p);
      free.delete(best);
    }
  }
  return pairs;
}

/** real `name:vK` -> plan `name:vJ`: by the (paired) creating run first, then by digest, then in version order. */
function pairVersions(plan: LogArtifact[], real: LogArtifact[], refOf: (realRef: string | null) => string | null, pairing: Pairing): Map<string, string> {
  const map = new Map<string, string>();
  const key = (a: LogArtifact) => `${a.name}:${a.version}`;
  if (pairing !== 'multiset') {
    for (const a of real) map.set(key(a), key(a));
    return map;
  }
  for (const name of new Set(real.map((a) => a.name))) {
    const free = plan.filter((a) => a.name === name).sort((a, b) => versionNumber(a.version) - versionNumber(b.version));
    const mine = real.filter((a) => a.name === name).sort((a, b) => versionNumber(a.version) - versionNumber(b.version));
    const take = (r: LogArtifact, p: LogArtifact | undefined) => {
      if (!p) return;
      map.set(key(r), key(p));
      free.splice(free.indexOf(p), 1);
    };
    const rest: LogArtifact[] = [];
    for (const r of mine) {
      const p = free.find((c) => c.created_by !== null && c.created_by === refOf(r.created_by));
      if (p) take(r, p);
      else rest.push(r);
    }
    for (const r of rest.splice(0)) {
      const p = free.find((c) => c.digest === r.digest);
      if (p) take(r, p);
      else rest.push(r);
    }
    for (const r of rest) take(r, free[0]);
  }
  return map;
}

/** The real log in the plan's terms: refs, ids and versions of the paired runs and artifacts, in the plan's order. */
export function align(plan: LogModel, real: LogModel, pairing: Pairing): LogModel {
  const pairs = pairRuns(plan.runs, real.runs, pairing);
  let unpaired = 0;
  const refs = new Map<string, string>();
  for (const r of real.runs) refs.set(r.ref, pairs.get(r)?.ref ?? `unpaired-${++unpaired}`);
  const refOf = (ref: string | null) => (ref === null ? null : refs.get(ref) ?? ref);
  const versions = pairVersions(plan.artifacts, real.artifacts, refOf, pairing);
  const versionOf = (nv: string) => versions.get(nv) ?? nv;
  const runs = real.runs.map((r) => ({
    ...r,
    ref: refOf(r.ref)!,
    id: pairs.get(r)?.id ?? r.id,
    logged_artifacts: r.logged_artifacts.map(versionOf),
    used_artifacts: r.used_artifacts.map(versionOf),
  }));
  const order = new Map(plan.runs.map((p, i) => [p.ref, i]));
  runs.sort((a, b) => (order.get(a.ref) ?? Infinity) - (order.get(b.ref) ?? Infinity));
  const artifacts = real.artifacts.map((a) => {
    const version = versionOf(`${a.name}:${a.version}`).slice(a.name.length + 1);
    return {
      ...a,
      version,
      aliases: a.aliases.map((al) => (al === a.version ? version : al)).sort(),
      created_by: refOf(a.created_by),
      used_by: a.used_by.map((u) => refOf(u)!).sort(),
    };
  });
  artifacts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : versionNumber(a.version) - versionNumber(b.version)));
  return { ...real, runs, artifacts };
}

/** How an element of a list is named in a path: runs by job type, artifacts by name:version, files by path. */
function labels(list: unknown[], path: string): string[] {
  if (path === 'runs') {
    const jobs = list.map((r) => `job_type=${(r as LogRun).job_type}`);
    const seen = new Map<string, number>();
    return jobs.map((j) => {
      const n = (seen.get(j) ?? 0) + 1;
      seen.set(j, n);
      return jobs.filter((x) => x === j).length > 1 ? `${j}#${n}` : j;
    });
  }
  if (path === 'artifacts') return list.map((a) => `${(a as LogArtifact).name}:${(a as LogArtifact).version}`);
  if (path.endsWith('.files')) return list.map((f) => (f as { path: string }).path);
  return list.map((_, i) => String(i));
}

/** Where a value sits (its holder and key): a float with an integral value (`1.0`) is noted there by parseLenientJson. */
type At = [holder: object, key: string] | undefined;

/** A leaf as text, `1.0` for a float the wire sent as one (W&B keeps int and float apart; JS numbers do not). */
function leaf(v: unknown, at: At): string {
  if (v === ABSENT) return ABSENT;
  return typeof v === 'number' && at && isIntegralFloat(at[0], at[1]) ? `${v}.0` : canonicalJson(v);
}

/** The JSON a real value of the Python type a plan's `$unknown` names can be (src/values/unknown.ts). */
function fitsType(type: string, real: unknown, rAt: At): boolean {
  const integral = typeof real === 'number' && Number.isInteger(real) && !(rAt && isIntegralFloat(rAt[0], rAt[1]));
  switch (type) {
    case 'str': return typeof real === 'string';
    case 'int': return integral || typeof real === 'bigint';
    case 'float': return typeof real === 'number' && !integral;
    case 'bool': return typeof real === 'boolean';
    case 'list': case 'tuple': case 'set': case 'frozenset': return Array.isArray(real);
    case 'dict': return isObject(real);
    case 'NoneType': return real === null;
    default: return real !== ABSENT; // a value of a type with no JSON form of its own, or of a type not known
  }
}

/** A plan's marker for what it does not know, and whether the real value is one it allows. */
function declaredUnknown(plan: unknown, real: unknown, rAt: At): string | undefined {
  if (!isObject(plan)) return undefined;
  if (typeof plan['$unknown'] === 'string') {
    return fitsType(plan['$unknown'], real, rAt) ? `an unknown ${plan['$unknown']} made at ${String(plan['at'])}` : undefined;
  }
  if (Array.isArray(plan['$unordered']) && Array.isArray(real)) {
    return samePermutation(plan['$unordered'], real) ? 'a list in hash order (random per process), the same items' : undefined;
  }
  return undefined;
}

/**
 * Whether `real` is a permutation of the plan's items, an item the plan marks `$unknown` standing for any real item
 * of its type: known items are matched first (by canonical JSON), then each unknown takes a left real item it fits.
 */
function samePermutation(plan: unknown[], real: unknown[]): boolean {
  if (plan.length !== real.length) return false;
  const left = real.map((x) => ({ x, key: canonicalJson(x), used: false }));
  const unknowns: Record<string, unknown>[] = [];
  for (const p of plan) {
    if (isObject(p) && typeof p['$unknown'] === 'string') {
      unknowns.push(p);
      continue;
    }
    const hit = left.find((r) => !r.used && r.key === canonicalJson(p));
    if (!hit) return false;
    hit.used = true;
  }
  for (const u of unknowns) {
    const hit = left.find((r) => !r.used && fitsType(u['$unknown'] as string, r.x, undefined));
    if (!hit) return false;
    hit.used = true;
  }
  return true;
}

function walk(plan: unknown, real: unknown, path: string, out: Difference[], pAt?: At, rAt?: At): void {
  if (isObject(plan) && ('$unknown' in plan || '$unordered' in plan)) {
    const declared = declaredUnknown(plan, real, rAt);
    if (declared !== undefined) out.push({ path, plan: canonicalJson(plan), real: leaf(real, rAt), declared });
    else out.push({ path, plan: canonicalJson(plan), real: leaf(real, rAt) });
    return;
  }
  if (Array.isArray(plan) && Array.isArray(real)) {
    const named = path === 'runs' || path === 'artifacts' || path.endsWith('.files');
    if (!named) {
      if (plan.length !== real.length && plan.every((x) => typeof x !== 'object') && real.every((x) => typeof x !== 'object')) {
        out.push({ path, plan, real });
        return;
      }
      for (let i = 0; i < Math.max(plan.length, real.length); i++) walk(i < plan.length ? plan[i] : ABSENT, i < real.length ? real[i] : ABSENT, `${path}[${i}]`, out, [plan, String(i)], [real, String(i)]);
      return;
    }
    const [pl, rl] = [labels(plan, path), labels(real, path)];
    for (const l of new Set([...pl, ...rl])) {
      const [pi, ri] = [pl.indexOf(l), rl.indexOf(l)];
      walk(pi >= 0 ? plan[pi] : ABSENT, ri >= 0 ? real[ri] : ABSENT, `${path}[${l}]`, out, [plan, String(pi)], [real, String(ri)]);
    }
    return;
  }
  if (isObject(plan) && isObject(real)) {
    for (const k of [...new Set([...Object.keys(plan), ...Object.keys(real)])].sort()) {
      walk(k in plan ? plan[k] : ABSENT, k in real ? real[k] : ABSENT, path ? `${path}.${k}` : k, out, [plan, k], [real, k]);
    }
    return;
  }
  const [p, r] = [leaf(plan, pAt), leaf(real, rAt)];
  if (p !== r) out.push({ path, plan: p, real: r });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every difference between two JSON values (two log models, after `align`), named by path. */
export function structuralDiff(plan: unknown, real: unknown, at = ''): Difference[] {
  const out: Difference[] = [];
  walk(plan, real, at, out);
  return out;
}

const short = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};

/** `runs[job_type=train].summary.accuracy: plan 0.9, real 0.91` */
export function formatDifference(d: Difference, [expected, actual]: [string, string] = ['plan', 'real']): string {
  return `${d.path}: ${expected} ${short(d.plan)}, ${actual} ${short(d.real)}`;
}
