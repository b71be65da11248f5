// `self.input` copies the item, not the whole foreach list: a child that never reads the list itself persists
// the parent's list (no copy per child), and a child that does read it still gets its own copy to mutate.
import { describe, expect, it } from 'vitest';
import { runFlow, type FlowDefinition } from '../../../src/flow/index.ts';

describe('self.input and the foreach list', () => {
  it('children share the stored list unless they read it, and self.input is each child\'s own copy', async () => {
    const def: FlowDefinition = {
      name: 'F',
      steps: [
        { name: 'start', body: (s) => s.setattr('items', [[1], [2], [3]]), next: { foreach: 'items', to: 'work' } },
        {
          name: 'work', next: 'join',
          body: (s) => {
            const item = s.input as number[];
            item.push(99); // mutating the item must not reach the stored list
            if (s.index === 1) (s.getattr('items') as number[][]).push([4]); // an explicit read gets a copy
            s.setattr('seen', [...item]);
          },
        },
        { name: 'join', join: true, next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: '1' });
    expect(r.status).toBe('ok');
    const [start, w0, w1, w2] = r.tasks;
    expect([w0, w1, w2].map((t) => t!.artifacts.seen)).toEqual([[1, 99], [2, 99], [3, 99]]);
    expect(start!.artifacts.items).toEqual([[1], [2], [3]]);
    expect(w0!.artifacts.items).toBe(start!.artifacts.items); // the same object: no copy per child
    expect(w1!.artifacts.items).toEqual([[1], [2], [3], [4]]); // it read and changed its own copy
    expect(w2!.artifacts.items).toBe(start!.artifacts.items);
  });
});
