import { describe, expect, it } from 'vitest';
import {
  FlowSelfBase, runFlow, type FlowDefinition, type FlowSelf, type TaskHook, type Inputs,
} from '../../../src/flow/index.ts';

const byStep = (r: Awaited<ReturnType<typeof runFlow>>, step: string) => r.tasks.filter((t) => t.step === step);

const branchFlow = (joinBody: (self: FlowSelf, inputs: Inputs | null) => unknown): FlowDefinition => ({
  name: 'BranchFlow',
  parameters: [{ name: 'lr', default: 0.1 }],
  constants: { K: 3 },
  steps: [
    { name: 'start', body: (s) => { s.setattr('x', 0); s.setattr('same', 'v'); }, next: ['a', 'b'] },
    { name: 'a', body: (s) => { s.setattr('x', 1); s.setattr('only_a', 'A'); }, next: 'join' },
    { name: 'b', body: (s) => { s.setattr('x', 2); }, next: 'join' },
    { name: 'join', join: true, body: joinBody, next: 'end' },
    { name: 'end' },
  ],
});

describe('artifact propagation (reference §3, §6)', () => {
  it('a linear chain sees its parents; parameters, constants and name are artifacts of every task', async () => {
    const seen: Record<string, unknown> = {};
    const def: FlowDefinition = {
      name: 'LinearFlow',
      parameters: [{ name: 'alpha', default: 0.5 }, { name: 'epochs', default: 3 }, { name: 'name_p', cliName: 'name-p', default: 'n' }],
      constants: { CONST: 42 },
      steps: [
        { name: 'start', body: (s) => s.setattr('x', 1), next: 'middle' },
        { name: 'middle', body: (s) => { seen['middle'] = s.getattr('x'); }, next: 'end' },
        { name: 'end', body: (s) => { seen['end'] = s.getattr('x'); } },
      ],
    };
    const r = await runFlow(def, { runId: '1' });
    expect(seen).toEqual({ middle: 1, end: 1 });
    for (const t of r.tasks) expect(Object.keys(t.artifacts).sort()).toEqual(['CONST', 'alpha', 'epochs', 'name', 'name_p', 'x']);
  });

  it('foreach children see everything their split parent had', async () => {
    const seen: unknown[] = [];
    const def: FlowDefinition = {
      name: 'ForeachFlow',
      steps: [
        { name: 'start', body: (s) => { s.setattr('up', 'u'); }, next: 'split' },
        { name: 'split', body: (s) => { s.setattr('items', [10, 20]); s.setattr('base_val', 7); }, next: { foreach: 'items', to: 'work' } },
        { name: 'work', body: (s) => { seen.push([s.getattr('up'), s.getattr('base_val'), s.input, s.index]); s.setattr('out', s.index); }, next: 'join' },
        { name: 'join', join: true, body: () => undefined, next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: '1' });
    expect(seen).toEqual([['u', 7, 10, 0], ['u', 7, 20, 1]]);
    expect(byStep(r, 'work').map((t) => Object.keys(t.artifacts).sort())).toEqual([
      ['base_val', 'items', 'name', 'out', 'up'], ['base_val', 'items', 'name', 'out', 'up'],
    ]);
  });

  it('a join sees only parameters and constants, even for values identical on every branch', async () => {
    const seen: Record<string, unknown> = {};
    const r = await runFlow(branchFlow((s) => {
      seen['lr'] = s.getattr('lr');
      seen['K'] = s.getattr('K');
      for (const name of ['same', 'x']) {
        try {
          s.getattr(name);
        } catch (err) {
          seen[name] = `${(err as Error).name}: ${(err as Error).message}`;
        }
      }
      s.setattr('total', 3);
    }), { runId: '1' });
    expect(seen).toEqual({
      lr: 0.1, K: 3,
      same: "AttributeError: Flow BranchFlow has no attribute 'same'",
      x: "AttributeError: Flow BranchFlow has no attribute 'x'",
    });
    // ProbeFlow's join stored only K, lr, name, total; nothing is carried forward.
    expect(Object.keys(byStep(r, 'join')[0]!.artifacts).sort()).toEqual(['K', 'lr', 'name', 'total']);
    expect(Object.keys(byStep(r, 'end')[0]!.artifacts).sort()).toEqual(['K', 'lr', 'name', 'total']);
  });

  it('merge_artifacts merges what does not conflict, skips names already set, and passes down', async () => {
    const r = await runFlow(branchFlow((s, inputs) => {
      s.setattr('x', 'mine');
      s.merge_artifacts(inputs!);
    }), { runId: '1' });
    expect(r.status).toBe('ok');
    expect(byStep(r, 'end')[0]!.artifacts).toMatchObject({ x: 'mine', same: 'v', only_a: 'A' });
  });

  it('merge_artifacts with exclude and with include', async () => {
    const excl = await runFlow(branchFlow((s, inputs) => s.merge_artifacts(inputs!, { exclude: ['x'] })), { runId: '1' });
    expect(Object.keys(byStep(excl, 'join')[0]!.artifacts).sort()).toEqual(['K', 'lr', 'name', 'only_a', 'same']);
    const incl = await runFlow(branchFlow((s, inputs) => s.merge_artifacts(inputs!, { include: ['only_a'] })), { runId: '1' });
    expect(Object.keys(byStep(incl, 'join')[0]!.artifacts).sort()).toEqual(['K', 'lr', 'name', 'only_a']);
  });

  it('a conflict is detected by content: nothing is merged and the task fails', async () => {
    const r = await runFlow(branchFlow((s, inputs) => s.merge_artifacts(inputs!)), { runId: '1' });
    expect(r.status).toBe('failed');
    const join = byStep(r, 'join')[0]!;
    expect(join.error).toEqual({
      type: 'UnhandledInMergeArtifactsException',
      message:
        'Step *join* cannot merge the following artifacts due to them having conflicting values:\n[x].\n' +
        'To remedy this issue, be sure to explicitly set those artifacts (using self.<artifact_name> = ...) prior to calling merge_artifacts.',
    });
    expect(Object.keys(join.artifacts).sort()).toEqual(['K', 'lr', 'name']);
    expect(byStep(r, 'end')).toEqual([]);
  });

  it('equal content on every branch is no conflict, whatever the object identity', async () => {
    const def: FlowDefinition = {
      name: 'SameFlow',
      steps: [
        { name: 'start', next: ['a', 'b'] },
        { name: 'a', body: (s) => s.setattr('cfg', { k: [1, 2] }), next: 'join' },
        { name: 'b', body: (s) => s.setattr('cfg', { k: [1, 2] }), next: 'join' },
        { name: 'join', join: true, body: (s, inputs) => s.merge_artifacts(inputs!), next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: '1' });
    expect(byStep(r, 'end')[0]!.artifacts['cfg']).toEqual({ k: [1, 2] });
  });

  it('merge_artifacts: include of a name no branch has, and an injected content identity', async () => {
    const missing = await runFlow(branchFlow((s, inputs) => s.merge_artifacts(inputs!, { include: ['only_a', 'ghost'] })), { runId: '1' });
    expect(byStep(missing, 'join')[0]!.error).toEqual({
      type: 'MissingInMergeArtifactsException',
      message:
        'Step *join* specifies that [only_a, ghost] should be merged but [ghost] are not present.\n' +
        'To remedy this issue, make sure that the values specified in only come from at least one branch',
    });
    // A content identity that ignores the value makes the branches agree (the integration passes a pickle one).
    const lenient = await runFlow(branchFlow((s, inputs) => s.merge_artifacts(inputs!)), { runId: '1', values: { contentId: () => 'same' } });
    expect(lenient.status).toBe('ok');
    expect(byStep(lenient, 'end')[0]!.artifacts['x']).toBe(1);
  });

  it('upstream artifacts are loaded lazily: not in dir() until read; each task gets its own copy', async () => {
    const dirs: Record<string, boolean[]> = {};
    const def: FlowDefinition = {
      name: 'LazyFlow',
      steps: [
        { name: 'start', body: (s) => s.setattr('lst', [1]), next: 'mid' },
        {
          name: 'mid',
          body: (s) => {
            const before = s.dir().includes('lst');
            (s.getattr('lst') as number[]).push(2); // in-place mutation of the loaded copy
            dirs['mid'] = [before, s.dir().includes('lst')];
          },
          next: 'end',
        },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: '1' });
    expect(dirs['mid']).toEqual([false, true]);
    expect(byStep(r, 'start')[0]!.artifacts['lst']).toEqual([1]);
    expect(byStep(r, 'mid')[0]!.artifacts['lst']).toEqual([1, 2]);
  });
});

/** The W&B ArtifactProxy's rules (reference §6 probe): base = dir() at entry; reads of other names are inputs. */
class ProbeProxy extends FlowSelfBase {
  readonly base: Set<string>;
  readonly inputs: string[] = [];
  readonly outputs: string[] = [];
  constructor(private readonly flow: FlowSelf) {
    super();
    this.base = new Set(flow.dir());
  }
  get current() { return this.flow.current; }
  get values() { return this.flow.values; }
  getattr(name: string): unknown {
    if (!this.base.has(name) && !this.outputs.includes(name) && !this.inputs.includes(name)) {
      const value = this.flow.getattr(name);
      this.inputs.push(name);
      return value;
    }
    return this.flow.getattr(name);
  }
  setattr(name: string, value: unknown): void {
    if (!this.outputs.includes(name)) this.outputs.push(name);
    this.flow.setattr(name, value);
  }
  delattr(name: string): void { this.flow.delattr(name); }
  override hasattr(name: string): boolean { return this.flow.hasattr(name); }
  dir(): string[] { return this.flow.dir(); }
}

describe('a hook can wrap self (the reference §6 probe table)', () => {
  it('reproduces inputs and outputs per step', async () => {
    const seen: Record<string, { inputs: string[]; outputs: string[] }> = {};
    const probe: TaskHook = {
      async around(ctx, self, invoke) {
        const proxy = new ProbeProxy(self);
        await invoke(proxy);
        seen[ctx.current.step_name] = { inputs: proxy.inputs, outputs: proxy.outputs };
      },
    };
    const def: FlowDefinition = {
      name: 'ProbeFlow',
      parameters: [{ name: 'lr', default: 0.1 }],
      constants: { K: 3 },
      steps: [
        { name: 'start', body: (s) => { s.setattr('base_val', 1); s.setattr('items', [1, 2]); s.getattr('lr'); }, next: { foreach: 'items', to: 'work' } },
        { name: 'work', body: (s) => { s.setattr('out', (s.input as number) + (s.getattr('base_val') as number) + (s.getattr('K') as number)); s.getattr('index'); }, next: 'join' },
        { name: 'join', join: true, body: (s, inputs) => { s.setattr('total', [...inputs!].reduce((a, i) => a + (i.getattr('out') as number), 0)); }, next: 'end' },
        { name: 'end', body: (s) => { s.getattr('total'); } },
      ],
    };
    const r = await runFlow(def, { runId: '1', hooks: [probe] });
    expect(r.status).toBe('ok');
    expect(seen).toEqual({
      start: { inputs: [], outputs: ['base_val', 'items'] },
      work: { inputs: ['base_val'], outputs: ['out'] },
      join: { inputs: [], outputs: ['total'] },
      end: { inputs: ['total'], outputs: [] },
    });
    expect(byStep(r, 'join')[0]!.artifacts['total']).toBe(1 + 1 + 3 + 2 + 1 + 3);
  });
});
