// One small flow per class of failure that real flows hit (issue 25), planned through the CLI as a user runs it:
// each plan reaches `end` with no failed task, names what it could not know, and is exact where it can be. The
// expected values were checked against real Metaflow 2.19.38 (../shared/realsdk): the Config flow's
// `current.parameter_names`, cfg, depth and ver were printed by a real run; @catch's semantics are
// catch_decorator.py's (task_exception / task_post_step) and were run for real on the features flow without its
// platform decorators (failed [True, False], modes ['fast'], numbers [4.0, 0.5, 0.001, 31, 1000], str(failure) a traceback).
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cli, planJson } from '../helpers/plans.ts';

const DIR = new URL('../fixtures/python/wild-classes/', import.meta.url).pathname;
const at = (f: string) => join(DIR, f);

interface Run { job_type: string; config: Record<string, unknown>; summary: Record<string, unknown>; state: string; project: string; group: string }
interface Planned {
  unknowns: { values: number; unordered: number; files: number };
  tasks: { step: string; status: string; run: string | null }[];
  log: { runs: Run[]; artifacts: { name: string; version: string; digest: string | null; files: { md5: string | null; unknown?: string }[] }[] };
  diagnostics: { code: string; message: string; step: string | null; variable: string | null }[];
}
const plan = async (file: string, ...args: string[]) => (await planJson(at(file), '--run-id', '1', ...args)) as unknown as Planned;
const codes = (p: Planned) => p.diagnostics.map((d) => `${d.code}${d.variable ? ` ${d.variable}` : ''}`);
const reachesEnd = (p: Planned) => {
  expect(p.tasks.filter((t) => t.status !== 'ok'), 'failed tasks').toEqual([]);
  expect(p.tasks.at(-1)!.step).toBe('end');
};

describe('flows as users write them: the plan reaches end and names what it cannot know', () => {
  it('class-level declarations: Config (attribute and item access, config_expr), IncludeFile, an annotated Parameter', async () => {
    const p = await plan('config.py');
    reachesEnd(p);
    // As the real run: Config, IncludeFile and Parameter are all in current.parameter_names, so all go to config.
    expect(p.log.runs[0]!.config).toEqual({
      cfg: { lr: 0.01, model: { depth: 3 }, tags: ['a', 'b'] }, data: { $unknown: 'str', at: '9:12' }, depth: 3, ver: 'a',
    });
    expect(p.log.runs[0]!.summary).toMatchObject({ lr: 0.01, depth2: 6, tag: 'a', version: 'a', n_chars: { $unknown: 'int', at: '19:24' } });
    expect(p.log.runs[1]!.summary).toMatchObject({ d: 3 });
    expect(codes(p)).toEqual(['OPAQUE_VALUE data', 'OPAQUE_VALUE n_chars']);
  });

  it('--config NAME FILE and --config-value NAME JSON give a Config its value, as on Metaflow\'s command line', async () => {
    const p = await plan('config.py', '--config-value', 'cfg', '{"lr": 0.5, "model": {"depth": 7}, "tags": ["z"]}');
    expect(p.log.runs[0]!.config).toMatchObject({ cfg: { lr: 0.5, model: { depth: 7 } }, depth: 7 });
    expect(p.log.runs[0]!.summary).toMatchObject({ lr: 0.5, depth2: 14, tag: 'z' });
  });

  it('unknowns propagate and never become a failure: imports it cannot see, unpacking, list(), .index(), assert, a foreach, Settings', async () => {
    const p = await plan('unknown-imports.py');
    reachesEnd(p);
    // A foreach over an unknown iterable: a representative fan-out of 2, so siblings and the join stay true.
    expect(p.tasks.map((t) => t.step)).toEqual(['start', 'train', 'train', 'join', 'end']);
    expect(codes(p)).toEqual(expect.arrayContaining(['UNKNOWN_ITERABLE shards', 'UNKNOWN_SETTING', 'UNKNOWN_CONDITION', 'SIBLING_WRITE shard']));
    const start = p.log.runs[0]!;
    expect(start.project).toBe('<unknown project 10:85>');
    // Typed where the type is certain (len -> int, list.index -> int), unknown values inside containers marked.
    expect(start.summary).toMatchObject({ n: { $unknown: 'int', at: '16:18' }, first: { $unknown: 'int', at: '19:22' }, metrics: { loss: { $unknown: 'object' } } });
    // An unknown of unknown type under others=True is an artifact whose bytes are not predicted: never a stand-in's md5.
    const lr = p.log.artifacts.find((a) => a.name === 'lr')!;
    expect(lr.digest).toBeNull();
    expect(lr.files[0]).toMatchObject({ md5: null, size: null });
    expect(lr.files[0]!.unknown).toContain('made at 14:19');
    // Two siblings' unknown values are never planned as one deduplicated version.
    expect(p.log.artifacts.filter((a) => a.name === 'score').map((a) => a.version)).toEqual(['v0', 'v1']);
    // The plan says how much it does not know: config and summary values (n, first, metrics.loss, shards)
    // and the files of the artifacts logged from unknown values (lr, model, shard x2, score x2, best).
    expect(p.unknowns).toEqual({ values: 4, unordered: 0, files: 7 });
    expect((await cli('plan', at('unknown-imports.py'), '--run-id', '1')).out).toContain('Unknown in the log: 4 values logged as unknown, 7 artifact files whose bytes are not predicted');
  });

  it('Metaflow features: @card and current.card, an extension\'s current.*, @catch after @retry, @environment, map, a bare raise, hasattr over inputs', async () => {
    const p = await plan('metaflow-features.py');
    reachesEnd(p);
    const a = p.log.runs.filter((r) => r.job_type === 'a');
    // @retry(times=1): two attempts, each its own W&B run that fails; then @catch stores the exception and the task is ok.
    expect(a.map((r) => r.state)).toEqual(['failed', 'failed']);
    expect(p.tasks.find((t) => t.step === 'a')!.status).toBe('ok');
    expect(p.log.runs.find((r) => r.job_type === 'b')!.summary).toEqual({ mode: 'fast' });
    const join = p.log.runs.find((r) => r.job_type === 'join')!.summary;
    // Lists built over a static join's inputs are in the real run's random order (Metaflow 2.19.38 queues the join's
    // parents from set(in_funcs), runtime.py _queue_task_join): the real run printed [True, False] that time.
    expect(join).toMatchObject({ failed: { $unordered: [false, true] }, modes: { $unordered: ['fast'] }, numbers: [4, 0.5, 0.001, 31, 1000] });
    // str() of the caught exception is its stack trace: unknown, never a made-up text.
    expect(join['caught']).toEqual({ $unknown: 'str', at: '48:27' });
    expect(codes(p)).toEqual(expect.arrayContaining(['OPAQUE_VALUE ckpt']));
    expect(codes(p)).not.toContain('TASK_FAILED');
  });

  it('a required Parameter left out is the usage error Metaflow gives (exit 2), naming --param NAME=VALUE', async () => {
    const r = await cli('plan', at('required-parameter.py'));
    expect(r.code).toBe(2);
    expect(r.err).toContain("Error: Missing option '--alpha'.");
    expect(r.err).toContain('--param alpha=VALUE');
    const ok = await cli('plan', at('required-parameter.py'), '--param', 'alpha=0.1', '--json');
    expect(ok.code).toBe(0);
  });

  it('import writes valid YAML for steps the plan never reached', async () => {
    const r = await cli('import', at('unreached.py'));
    expect(r.code).toBe(0);
    const doc = parse(r.out, { customTags: [] , strict: false, logLevel: 'silent' }) as { flow: { steps: Record<string, unknown> } };
    expect(doc.flow.steps['end']).toEqual({});
    expect(doc.flow.steps['middle']).toEqual({ next: 'end' });
  });

  it('values exact where known: %-formatting as CPython, containers of known values; a set of str has unknown order', async () => {
    const p = await plan('values-exact.py');
    reachesEnd(p);
    // python3: "%s-%d" % ("a", 1) == "a-1"; [s, "%s" % "b"] == ["a-1", "b"]; list({3, 1, 2}) == [1, 2, 3] (int
    // hashes are themselves); list({"b", "a", "c"}) depends on PYTHONHASHSEED.
    expect(p.log.runs[0]!.summary).toEqual({
      s: 'a-1', t: ['a-1', 'b'], ints: [1, 2, 3], sorted_names: ['a', 'b'],
      names: { $unordered: ['a', 'b', 'c'] }, tags: { $unordered: ['x', 'y'] },
    });
    expect(p.unknowns).toEqual({ values: 0, unordered: 2, files: 0 });
    expect(codes(p)).toEqual(['UNKNOWN_ORDER']);
  });

  it('numpy arrays with dtype= and order=: the pickles are numpy\'s, byte for byte; an unmodelled dtype or keyword is unknown', async () => {
    const p = await plan('numpy-arrays.py');
    reachesEnd(p);
    const files = Object.fromEntries(p.log.artifacts.map((a) => [a.name, a.files.map((f) => f.md5 ?? f.unknown)[0]]));
    // md5s of pickle.dumps(value, protocol=4) from the kit's python3 + numpy 1.24.2 (../shared/realsdk), one per
    // line of numpy-arrays.py: float32 F-order, int32 zeros, an int16 cast (truncation), float16 arange, float32
    // F-order from floats (rounded), bool ones, np.array of an F-ordered array (order='K' keeps it), complex64 zeros.
    expect(files).toEqual({
      a: 'RuULKDjqbmzcq15Xv9gGcg==', b: 'khoGIn7jcdYBXsUBkWoD+A==', c: 'od+4aRnEUP4n5r7qEMeS6w==', d: 'QGgq4MrTw+tPKZFFeRNfOg==',
      e: 'j5TMjwsLHtUZJ7HQMqE1aA==', f: 'eFfuRxlJ8PC/RzhZ2tBJ8g==', g: 'RuULKDjqbmzcq15Xv9gGcg==',
      h: '9JTbWL9mjaA6VQT5voswCQ==', i: 'an ndarray made at 19:18 (`np.ones(2, like=self.a)`)',
    });
    expect(codes(p)).toEqual(['OPAQUE_VALUE i']);
  });

  it('a list in hash order crosses a join (merge_artifacts pickles it); logged as others, its bytes are not predicted', async () => {
    const p = await plan('join-unordered.py');
    reachesEnd(p);
    expect(p.log.runs[0]!.summary).toEqual({ names: { $unordered: ['a', 'b'] } });
    const box = p.log.artifacts.find((a) => a.name === 'box')!;
    expect([box.digest, box.files[0]!.md5, box.files[0]!.unknown]).toEqual([null, null, 'bytes not predicted: list: its order is the hash order of a set of str or bytes, random per process']);
  });

  it('a try around an unknown outcome: both paths are possible; the plan goes on along the body and names the handler\'s effect', async () => {
    const p = await plan('try-unknown.py');
    reachesEnd(p);
    expect(p.log.runs[0]!.summary).toEqual({ n: { $unknown: 'int', at: '13:22' } });
    const d = p.diagnostics.find((x) => x.code === 'UNKNOWN_CONDITION')!;
    expect(d.message).toContain('try-unknown.py:12:9:');
    expect(d.message).toContain('if it raises, the handler sets self.n, self.fallback');
  });
});
