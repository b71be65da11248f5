// tracked-flows/harness as a library: loadScenario / planFile / runScenarioFile give what the CLI's validate,
// plan and run give, as data; bad input is a HarnessError with a stable code and every problem at path:line:col.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySnapshotStore, loadScenario, planFile, runScenarioFile, snapshotText } from '../../../harness/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tracked-flows/harness', () => {
  it('loadScenario: a missing path and a broken file are HarnessErrors naming every problem', () => {
    expect(() => loadScenario(join(dir, 'nope.yaml'))).toThrow(expect.objectContaining({ code: 'NO_SUCH_PATH' }));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nscenario: bad\nflow:\n  name: F\n  stepz: {}\n  steps: { start: { next: end, nxt: 1 }, end: {} }\n');
    let err: { code?: string; message?: string } = {};
    try {
      loadScenario(bad);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.code).toBe('INVALID_SCENARIO');
    expect(err.message).toContain(`${bad}:5:3: unknown key "stepz"`);
    expect(err.message).toContain(`${bad}:6:32: unknown key "nxt" in flow.steps.start (did you mean "next"?)`);
  });

  it('loadScenario expands a matrix; planFile refuses a file of several scenarios unless filtered', async () => {
    const combos = loadScenario('scenarios/kwargs/datasets.yaml');
    expect(combos.map((s) => s.id)).toEqual(['kwargs-datasets[start.datasets=true]', 'kwargs-datasets[start.datasets=false]']);
    await expect(planFile('scenarios/kwargs/datasets.yaml')).rejects.toMatchObject({ code: 'AMBIGUOUS' });
    const one = await planFile('scenarios/kwargs/datasets.yaml', { filter: 'datasets=false' });
    expect(one.scenario).toBe('kwargs-datasets[start.datasets=false]');
  });

  it('planFile gives the committed snapshot, byte for byte, on the default (direct) and msw transports', async () => {
    const committed = readFileSync('snapshots/lineage/read-use.json', 'utf8');
    expect(snapshotText(await planFile('scenarios/lineage/read-use.yaml'))).toBe(committed);
    expect(snapshotText(await planFile('scenarios/lineage/read-use.yaml', { transport: 'msw' }))).toBe(committed);
  });

  it('runScenarioFile compares with snapshots in the update mode asked for', async () => {
    const store = new MemorySnapshotStore();
    const missing = await runScenarioFile('scenarios/lineage/read-use.yaml', { snapshots: store, update: 'none' });
    expect(missing.map((r) => [r.scenario, r.snapshot?.status, r.passed])).toEqual([['lineage-read-use', 'missing', false]]);
    const written = await runScenarioFile('scenarios/lineage/read-use.yaml', { snapshots: store, update: 'new' });
    expect(written[0]!.snapshot?.status).toBe('new');
    expect(store.files.get('lineage/read-use.json')).toBe(readFileSync('snapshots/lineage/read-use.json', 'utf8'));
    store.files.set('lineage/read-use.json', store.files.get('lineage/read-use.json')!.replace('"accuracy": 0.9', '"accuracy": 0.8'));
    const changed = await runScenarioFile('scenarios/lineage/read-use.yaml', { snapshots: store, update: 'none' });
    expect(changed[0]!.passed).toBe(false);
    expect(changed[0]!.snapshot?.diff).toMatch(/^-\s+"accuracy": 0\.8$/m);
    expect((await runScenarioFile('scenarios/lineage/read-use.yaml', { update: false }))[0]!.snapshot).toBeNull();
  });
});
