import { describe, expect, it } from 'vitest';
import {
  inferParameterType, lintFlow, resolveParameters, runFlow, type FlowDefinition, type ParameterDefinition,
} from '../../../src/flow/index.ts';

const withParams = (parameters: ParameterDefinition[], body?: FlowDefinition['steps'][number]['body']): FlowDefinition => ({
  name: 'ParamFlow',
  parameters,
  constants: { CONST: 42 },
  steps: [{ name: 'start', ...(body ? { body } : {}), next: 'end' }, { name: 'end' }],
});

describe('parameters (reference §4)', () => {
  it('infers the type from the default as Metaflow does', () => {
    expect(inferParameterType({ name: 'a', default: 0.5 })).toBe('float');
    expect(inferParameterType({ name: 'a', default: 3 })).toBe('int');
    expect(inferParameterType({ name: 'a', default: 'x' })).toBe('str');
    expect(inferParameterType({ name: 'a', default: true })).toBe('bool');
    expect(inferParameterType({ name: 'a' })).toBe('str');
    expect(inferParameterType({ name: 'a', default: 1, type: 'float' })).toBe('float');
  });

  it('converts values as the CLI does: bool needs a value, JSON is parsed, a separator gives a list, none gives None', () => {
    const def = withParams([
      { name: 'flag', type: 'bool' },
      { name: 'cfg', type: 'json' },
      { name: 'tags_csv', default: 'x', separator: ',' },
      { name: 'nothing' },
      { name: 'req', type: 'int', required: true },
    ]);
    const resolved = resolveParameters(def, { flag: 'true', cfg: '{"a": 1}', tags_csv: 'a,b', req: '5' });
    expect(Object.fromEntries(resolved.map((p) => [p.name, [p.type, p.value]]))).toEqual({
      cfg: ['json', { a: 1 }], flag: ['bool', true], nothing: ['str', null], req: ['int', 5], tags_csv: ['str', ['a', 'b']],
    });
  });

  it("reports click's errors: missing required, invalid value, unknown option", () => {
    const def = withParams([{ name: 'req', type: 'int', required: true }]);
    expect(() => resolveParameters(def, {})).toThrow("Error: Missing option '--req'.");
    expect(() => resolveParameters(def, { req: 'abc' })).toThrow("Error: Invalid value for '--req': abc is not a valid integer");
    expect(() => resolveParameters(def, { req: 1, bogus: 2 })).toThrow('Error: no such option: --bogus');
  });

  it('current.parameter_names lists attribute names, sorted, in every step; constants are not listed', async () => {
    const names: string[][] = [];
    const def: FlowDefinition = {
      name: 'ParamFlow',
      parameters: [{ name: 'name_p', cliName: 'name-p', default: 'n' }, { name: 'epochs', default: 3 }, { name: 'alpha', default: 0.5 }],
      constants: { CONST: 42 },
      steps: [
        { name: 'start', body: (s) => { names.push([...s.current.parameter_names]); }, next: 'end' },
        { name: 'end', body: (s) => { names.push([...s.current.parameter_names]); } },
      ],
    };
    await runFlow(def, { runId: '1', parameters: { 'name-p': 'given' } });
    expect(names).toEqual([['alpha', 'epochs', 'name_p'], ['alpha', 'epochs', 'name_p']]);
  });

  it('parameters and constants are read-only: assigning raises Metaflow\'s AttributeError', async () => {
    for (const target of ['req', 'CONST']) {
      const def = withParams([{ name: 'req', default: 1 }], (s) => s.setattr(target, 5));
      const r = await runFlow(def, { runId: '1' });
      expect(r.status).toBe('failed');
      expect(r.tasks[0]!.error).toEqual({ type: 'AttributeError', message: 'Flow level attributes and Parameters are not modifiable' });
    }
  });

  it('step bodies read the typed values', async () => {
    const seen: unknown[] = [];
    const def = withParams([{ name: 'alpha', default: 0.5 }, { name: 'n', default: 3 }], (s) => {
      seen.push(s.getattr('alpha'), s.getattr('n'), s.getattr('CONST'));
    });
    await runFlow(def, { runId: '1', parameters: { alpha: '0.7' } });
    expect(seen).toEqual([0.7, 3, 42]);
  });

  it('duplicate (case-insensitive) and reserved parameter names are definition errors', () => {
    const def = withParams([{ name: 'alpha', default: 1 }, { name: 'Alpha', default: 2 }, { name: 'tags', default: 'x' }]);
    expect(lintFlow(def).problems.map((p) => p.message)).toEqual([
      'Parameter *Alpha* is specified twice. Note that parameter names are case-insensitive.',
      "Parameter name 'tags' is a reserved word. Please use a different name for your parameter.",
    ]);
  });
});
