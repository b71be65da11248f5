// Issue 27, "other orders, the same verdicts": a parallel session recorded with our own client (a static split, a
// foreach, a nested foreach; 18 runs, every sibling logging the dataset "part") is replayed under random
// interleavings of its runs' request streams, each run's own order kept, as another honest session (fresh run
// and client ids, the server's tokens taken from the answers). Every interleaving matches fully, and each run gets
// its own recorded artifact answers (versions included); the twin, one history value changed in one run, misses
// under every interleaving, naming that run and the field.
//   TF_PROPERTY_SEED / TF_PROPERTY_RUNS / TF_PROPERTY_PATH as for every property (harness.ts).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Keyer } from '../../harness/cassette/index.ts';
import { SEED, runs, timeoutFor } from './harness.ts';
import { interleaving, play, recordSession, type Session } from './replay-session.ts';

const RUNS = 60;
let session: Session;
beforeAll(async () => {
  session = await recordSession();
}, 60_000);

/** Merges: one pick per request (which run with requests left goes next); shrinks towards run order. */
const merges = () => fc.array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: session.cassette.interactions.length });

async function check(name: string, property: (picks: number[]) => Promise<void>): Promise<void> {
  const path = process.env.TF_PROPERTY_PATH;
  const out = await fc.check(fc.asyncProperty(merges(), property), { seed: SEED, numRuns: runs(RUNS), ...(path ? { path } : {}) });
  if (!out.failed) return;
  const reason = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
  throw new Error(`Property "${name}" failed after ${out.numRuns} run(s), ${out.numShrinks} shrink(s); seed ${out.seed}, path "${out.counterexamplePath}" ` +
    `(TF_PROPERTY_SEED=${out.seed} TF_PROPERTY_PATH=${out.counterexamplePath}).\nPicks: ${JSON.stringify(out.counterexample?.[0])}\n${reason}`);
}

describe('property: replay under any interleaving of parallel runs', () => {
  it('records a session of concurrent runs: a split, a foreach, a nested foreach, one artifact name', () => {
    const jobs = session.runs.map((r) => session.cassette.interactions[r.indices.find((i) => JSON.stringify(session.cassette.interactions[i]!.request.body).includes('"jobType"'))!]!);
    const jobTypes = jobs.map((x) => (x.request.body as { json: { variables: { jobType: string } } }).json.variables.jobType).sort();
    expect(jobTypes).toEqual(['end', 'fan', 'fold', 'fold', 'fold', 'fold', 'fold', 'fold', 'join', 'join_folds', 'join_folds', 'join_folds', 'join_models', 'side', 'start', 'train', 'train', 'train']);
    // Concurrent: some run's request comes between two requests of another run.
    const owner = new Map(session.runs.flatMap((r, k) => r.indices.map((i) => [i, k] as const)));
    const switches = [...owner.keys()].sort((a, b) => a - b).filter((i, n, xs) => n > 0 && owner.get(i) !== owner.get(xs[n - 1]!)).length;
    expect(switches).toBeGreaterThan(session.runs.length);
    const names = session.cassette.interactions.filter((x) => JSON.stringify(x.request.body).includes('"CreateArtifact"')).map((x) => JSON.stringify(x.request.body).match(/"artifactCollectionName":"(\w+)"/)?.[1]);
    expect(new Set(names)).toEqual(new Set(['X', 'part']));
    expect(names.filter((n) => n === 'part').length).toBeGreaterThanOrEqual(10);
  });

  it('every interleaving matches fully: 0 misses, every answer usable, each run its own artifact answers', async () => {
    await check('replay-interleavings', async (picks) => {
      const played = await play(session, interleaving(session, picks));
      // Joined, so a failure prints every miss in full.
      expect(played.player.misses.map((m) => m.message).join('\n')).toBe('');
      expect(played.problems.join('\n')).toBe('');
      expect(played.foreignAnswers.join('\n')).toBe('');
      expect(played.player.matched).toBe(session.cassette.interactions.length);
      expect(played.player.unused()).toEqual([]);
    });
  }, timeoutFor(RUNS));

  it('twin: one history value changed in one run misses under every interleaving, naming that run and the field', async () => {
    const from = '\\"score\\":1.2,';
    const run = session.runs.findIndex((r) => r.indices.some((i) => JSON.stringify(session.cassette.interactions[i]!.request.body).includes(from)));
    expect(run).toBeGreaterThanOrEqual(0);
    const keyer = new Keyer();
    for (const x of session.cassette.interactions) keyer.key(x.request);
    const label = `<run-${keyer.runNumber(session.runs[run]!.id)}>`;
    await check('replay-interleavings-twin', async (picks) => {
      const played = await play(session, interleaving(session, picks), { run, from, to: '\\"score\\":7.5,' });
      expect(played.player.misses.length).toBeGreaterThan(0);
      const first = played.player.misses[0]!.message;
      expect(first).toContain(`/files/e/p/${label}/file_stream (wandb-history.jsonl[0].score: got 7.5, recorded 1.2`);
      expect(first).toMatch(/^replay: no recorded interaction matches POST \/files\/e\/p\/\w+\/file_stream .*; nearest: #\d+ /);
    });
  }, timeoutFor(RUNS));
});
