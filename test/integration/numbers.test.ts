// Scalars as W&B receives them: NaN and infinities arrive as bare tokens and stay in history; a whole float
// stays a float in the snapshot (W&B's JSON writes `1.0`).
import { describe, expect, it } from 'vitest';
import { wandbLog } from '../../src/index.ts';
import { snapshotText } from '../../harness/snapshot/index.ts';
import { py, run } from '../helpers/flows.ts';

describe('numbers through the whole pipeline', () => {
  it('NaN, Infinity and 1.0 logged by a step reach the log as the SDK sent them', async () => {
    const r = await run({
      definition: {
        name: 'NumbersFlow', decorators: [wandbLog()],
        steps: [{ name: 'start', body: (s) => { s.setattr('loss', py.float(NaN)); s.setattr('peak', py.float(Infinity)); s.setattr('acc', py.float(1.0)); s.setattr('n', py.int(1)); } }],
      },
    });
    expect(r.flow_status).toBe('ok');
    expect(r.log.runs[0]!.history).toEqual([{ loss: NaN }, { peak: Infinity }, { acc: 1 }, { n: 1 }]);
    const text = snapshotText(r);
    expect(text).toMatch(/"loss": "NaN"/);
    expect(text).toMatch(/"peak": "Infinity"/);
    expect(text).toMatch(/"acc": 1\.0\b/);
    expect(text).toMatch(/"n": 1\n/);
  });
});
