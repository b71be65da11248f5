// 5b. Replay matching with runs paired by meaning (issue 27): 16 concurrent runs of one step, identical at first
// (16 candidates each), told apart by their later requests, started in a shuffled order and interleaved, replayed
// as another session (other run ids) — the case pairing by arrival got wrong.
import { Keyer, Player, type Cassette, type Interaction } from '../../harness/cassette/index.ts';
import { mapSummary, summarize, timeRuns, type Summary } from './stats.ts';
import type { Row } from './cases.ts';

const RUNS = 16;
const PER_RUN = 1_250; // 20,000 interactions in all, as the 20,000-interaction row

const request = (run: string, k: number, i: number): Interaction['request'] => {
  const variables = i === 0
    ? { entity: 'e', project: 'p', name: run, jobType: 'train', groupName: 'Flow/1', config: JSON.stringify({ lr: { value: 0.1 } }) }
    // The first requests are the same for every sibling; from the 4th on each run logs its own files.
    : { entity: 'e', project: 'p', run, files: [i < 4 ? `shared-${i}.txt` : `f${k}-${i}.txt`] };
  return { method: 'POST', path: '/graphql', query: [], headers: {}, body: { json: { query: 'mutation X { x }', operationName: i === 0 ? 'UpsertBucket' : 'CreateRunFiles', variables }, style: 'compact' } };
};

const ids = (prefix: string) => Array.from({ length: RUNS }, (_, k) => `${prefix}${String(k).padStart(6, '0')}`);

/** Run k's requests in order, the runs started in `order` and then taken round-robin. */
function session(runIds: string[], order: number[]): Interaction['request'][] {
  const out: Interaction['request'][] = [];
  for (let i = 0; i < PER_RUN; i++) for (const k of order) out.push(request(runIds[k]!, k, i));
  return out;
}

function shuffled(n: number, seed: number): number[] {
  const xs = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

export async function replayParallel(runs: number): Promise<Row[]> {
  const recordedIds = ids('rec');
  const interactions: Interaction[] = session(recordedIds, shuffled(RUNS, 1)).map((request, n) => ({
    request, response: { status: 200, headers: { 'content-type': 'application/json' }, body: { json: { data: { n } }, style: 'compact' } },
  }));
  const cassette: Cassette = { format: 'tracked-flows/cassette@1', meta: { recorder: 'bench', upstream: 'generated' }, interactions };
  let seed = 2;
  let build: Summary | null = null;
  const match = await timeRuns(() => {
    const live = session(ids('live'), shuffled(RUNS, seed++));
    const t0 = performance.now();
    const player = new Player(cassette);
    build = summarize([performance.now() - t0]);
    const keyer = new Keyer();
    let hits = 0;
    for (const r of live) if (player.match(keyer.key(r)) !== null) hits += 1;
    if (hits !== live.length || player.unused().length !== 0) throw new Error(`Failed to benchmark paired replay: ${hits} of ${live.length} matched, ${player.unused().length} unused. Every live run should pair with its recorded twin.`);
  }, runs, 1);
  const rate = mapSummary(match, (ms) => (RUNS * PER_RUN) / (ms / 1000));
  return [{
    group: '5. replay: 20,000-interaction cassette', name: `${RUNS} concurrent runs, shuffled start, paired by meaning: index build + key + match`, unit: 'interactions/s', value: rate,
    target: '>= 20k/s', ok: rate.median >= 20_000, note: `index build alone ${(build as Summary | null)?.median.toFixed(0) ?? '?'} ms; each run told apart at its 5th request`,
  }];
}
