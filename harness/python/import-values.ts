/**
 * A Python value as the scenario format's YAML (flow style, value tags of DESIGN §4.1), for `import`.
 * Returns null for a value no tag expresses (a datetime, a complex, an OrderedDict, ...): the importer then
 * writes a comment instead of a wrong value.
 */
import { values } from '../../src/index.ts';

type PyValue = values.PyValue;

const float = (x: number): string => {
  if (!Number.isFinite(x)) return `!float ${values.pyFloatRepr(x)}`;
  return values.pyFloatRepr(x);
};

const scalar = (x: number | bigint | boolean, dtype: 'float' | 'int' | 'bool'): string =>
  dtype === 'bool' ? String(Boolean(x)) : dtype === 'int' ? String(x) : float(Number(x));

const str = (s: string): string => JSON.stringify(s);

function nested(shape: readonly number[], data: readonly (number | bigint | boolean)[], dtype: 'float' | 'int' | 'bool'): string {
  if (shape.length <= 1) return `[${data.map((x) => scalar(x, dtype)).join(', ')}]`;
  const [n, ...rest] = shape;
  const width = rest.reduce((a, b) => a * b, 1);
  return `[${Array.from({ length: n! }, (_, i) => nested(rest, data.slice(i * width, (i + 1) * width), dtype)).join(', ')}]`;
}

export function yamlValue(v: PyValue): string | null {
  const u = values.unknownOrigin(v);
  if (u !== undefined) return `!unknown { type: ${u.kind}, at: ${str(u.at)}, expression: ${str(u.expression)} }`;
  const items = (xs: readonly PyValue[]): string | null => {
    const parts = xs.map(yamlValue);
    return parts.some((p) => p === null) ? null : `[${parts.join(', ')}]`;
  };
  const tagged = (tag: string, body: string | null) => (body === null ? null : `${tag} ${body}`);
  switch (v.kind) {
    case 'none': return 'null';
    case 'bool': return String(v.value);
    case 'int': return v.type.name === 'int' ? String(v.value) : null;
    case 'float': return v.type.name === 'float' ? float(v.value) : null;
    case 'str': return v.type.name === 'str' ? str(v.value) : null;
    case 'bytes': return v.type.name === 'bytes' && v.value.every((b) => b < 0x80) ? `!bytes ${str(new TextDecoder().decode(v.value))}` : null;
    case 'list': return values.isUnorderedList(v) ? tagged('!unordered', items(v.items)) : v.type === values.T.list ? items(v.items) : null;
    case 'tuple': return v.type.name === 'tuple' ? tagged('!tuple', items(v.items)) : null;
    case 'set': return tagged(v.type.name === 'set' ? '!set' : '!frozenset', items(v.items));
    case 'dict': {
      if (v.type.name !== 'dict') return null;
      const parts = v.entries.map(([k, x]) => {
        const kk = k.kind === 'str' || k.kind === 'int' || k.kind === 'bool' ? yamlValue(k) : null;
        const xx = yamlValue(x);
        return kk === null || xx === null ? null : `${kk}: ${xx}`;
      });
      return parts.some((p) => p === null) ? null : `{${parts.join(', ')}}`;
    }
    case 'numpy-scalar':
      return `!numpy.${v.dtype} ${scalar(v.value, v.dtype === 'bool_' ? 'bool' : v.dtype === 'int64' ? 'int' : 'float')}`;
    case 'ndarray':
      if (v.data.length === 0) return null; // numpy infers float64 from [] but the tag cannot say the shape
      return `!ndarray ${nested(v.shape, v.data, v.dtype === 'bool' ? 'bool' : v.dtype === 'int64' ? 'int' : 'float')}`;
    case 'dataframe': {
      const rows = v.rows.map((r) => items(r));
      if (rows.some((r) => r === null)) return null;
      return `!DataFrame { columns: [${v.columns.map(str).join(', ')}], rows: [${rows.join(', ')}] }`;
    }
    case 'series': return tagged('!Series', items(v.items));
    case 'path':
      if (v.type.name === 'PurePosixPath') return `!PurePath ${str(v.path)}`;
      return v.files !== undefined && v.files.kind(v.path) === 'missing' ? `!Path { missing: ${str(v.path)} }` : null;
    case 'function': return `!function ${str(v.qualname)}`;
    case 'object': {
      if (values.isinstance(v, values.T.Module) && v.type.module === '__main__' && v.state.length === 0) return `!nn.Module { class: ${str(v.type.name)} }`;
      if (values.isinstance(v, values.T.BaseEstimator) && v.type.module.startsWith('sklearn')) {
        const params = v.state.map(([k, x]) => {
          const xx = yamlValue(x);
          return xx === null ? null : `${k}: ${xx}`;
        });
        if (params.some((p) => p === null)) return null;
        return `!sklearn { class: ${str(v.type.name)}${params.length > 0 ? `, params: {${params.join(', ')}}` : ''} }`;
      }
      if (v.type.module === '__main__' && v.type.bases.every((b) => b.name === 'object')) {
        const state = v.state.map(([k, x]) => {
          const xx = yamlValue(x);
          return xx === null ? null : `${k}: ${xx}`;
        });
        if (state.some((p) => p === null)) return null;
        return `!object { class: ${str(v.type.name)}${state.length > 0 ? `, state: {${state.join(', ')}}` : ''} }`;
      }
      return null;
    }
    default:
      return null;
  }
}
