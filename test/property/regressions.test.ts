// Counterexamples the properties found, kept as plain regression tests.
import { describe, expect, it } from 'vitest';
import { values } from '../../src/index.ts';

describe('found by the classification property', () => {
  // classification-legacy-111 (seed 20250101): `!object {class: User0, bases: [defaultdict]}` failed the task with
  // "TypeError: Object of type User0 is not JSON serializable"; Python's json encodes a dict subclass as a dict.
  it('an instance of a user subclass of a JSON builtin logs as that builtin\'s empty value', () => {
    const reg = new values.TypeRegistry();
    const json = (bases: string[]) => values.wandbJsonText(values.py.object(reg.define(`C${bases.join('')}`, bases)));
    expect(json(['defaultdict'])).toBe('{}');
    expect(json(['OrderedDict'])).toBe('{}');
    expect(json(['list'])).toBe('[]');
    expect(json(['str', 'Enum'])).toBe('""');
    expect(json(['int'])).toBe('0');
    expect(json(['float'])).toBe('0.0');
    expect(() => json([])).toThrow('Object of type C is not JSON serializable');
  });
});
