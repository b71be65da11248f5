/** pandas: `DataFrame(...)` with literal data is exact; reading a file gives a DataFrame of unknown contents. */
import { flow } from '../../../src/index.ts';
import type { Args, Host } from '../host.ts';
import { isPy, iterate, Opaque, py, str, type PyValue, type Value } from '../interp-values.ts';
import { argOf, strArg } from './args.ts';
import type { LibraryCall } from './index.ts';
import type { Expr } from '../ast.ts';

/** pandas upcasts a column of ints and floats to float64. */
function upcast(columns: PyValue[][]): PyValue[][] {
  return columns.map((col) => {
    const kinds = new Set(col.map((v) => v.kind));
    if (kinds.has('float') && [...kinds].every((k) => k === 'float' || k === 'int')) {
      return col.map((v) => (v.kind === 'int' ? py.float(Number(v.value)) : v));
    }
    return col;
  });
}

function frame(names: string[], columns: PyValue[][]): PyValue {
  const cols = upcast(columns);
  const n = cols[0]?.length ?? 0;
  if (cols.some((c) => c.length !== n)) flow.pyRaise('ValueError', 'All arrays must be of the same length');
  // Every constructor path above lays the frame out as `pd.DataFrame({column: list})` does (checked with the kit's
  // pandas 1.5.3: dict, records, rows with columns and a copied frame pickle to the same bytes).
  return py.dataframe(names, Array.from({ length: n }, (_, i) => cols.map((c) => c[i]!)), 'constructed');
}

function dataFrame(host: Host, args: Args, e: Expr): Value {
  const data = argOf(args, 0, 'data');
  const columnsArg = args.keywords.get('columns');
  const columnNames = columnsArg === undefined ? undefined : iterate(columnsArg)?.map((c) => str(c));
  if (data === undefined || (isPy(data) && data.kind === 'none')) return py.dataframe(columnNames ?? [], []);
  if (data instanceof Opaque) return host.unknown(e, 'DataFrame', 'is built from unknown data');
  if (!isPy(data)) return host.unknown(e, 'DataFrame', 'is built from data the value model does not hold');
  if (data.kind === 'dict') {
    const names = data.entries.map(([k]) => str(k));
    const cols: PyValue[][] = [];
    for (const [, v] of data.entries) {
      const items = isPy(v) && (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'series' || v.kind === 'ndarray') ? iterate(v) : undefined;
      if (items === undefined) return host.unknown(e, 'DataFrame', 'is built from columns the value model does not hold (scalars need an index)');
      cols.push(items as PyValue[]);
    }
    return frame(names, cols);
  }
  if (data.kind === 'dataframe') return py.dataframe([...data.columns], data.rows.map((r) => [...r]), 'constructed');
  if (data.kind === 'list' || data.kind === 'tuple') {
    const rows = data.items;
    if (rows.every((r) => r.kind === 'dict')) {
      const names: string[] = [];
      for (const r of rows as import('../../../src/index.ts').values.PyDict[]) for (const [k] of r.entries) if (!names.includes(str(k))) names.push(str(k));
      const cols = names.map((n) => rows.map((r) => (r as import('../../../src/index.ts').values.PyDict).entries.find(([k]) => str(k) === n)?.[1] ?? py.float(NaN)));
      return frame(names, cols);
    }
    if (rows.every((r) => r.kind === 'list' || r.kind === 'tuple')) {
      const width = (rows[0] as { items: PyValue[] } | undefined)?.items.length ?? 0;
      const names = columnNames ?? Array.from({ length: width }, (_, i) => String(i));
      if (columnNames === undefined) return host.unknown(e, 'DataFrame', 'has integer column labels, which the value model does not hold');
      const cols = names.map((_, i) => rows.map((r) => (r as { items: PyValue[] }).items[i] ?? py.None));
      return frame(names, cols);
    }
    return frame([columnNames?.[0] ?? '0'], [rows as PyValue[]]);
  }
  return host.unknown(e, 'DataFrame', `is built from a ${data.type.name}, which the value model does not convert`);
}

const readFile: LibraryCall = (host, args, e, path) =>
  host.unknown(e, 'DataFrame', `reads ${strArg(args, 0, 'filepath_or_buffer') ?? strArg(args, 0, 'path') ?? 'a file'} (${path.split('.').pop()}), which the plan never opens`);

export const PANDAS_CALLS: Record<string, LibraryCall> = {
  'pandas.DataFrame': dataFrame,
  'pandas.Series': (host, args, e) => {
    const items = iterate(argOf(args, 0, 'data') ?? py.list([]));
    const name = strArg(args, -1, 'name');
    if (items === undefined || !items.every(isPy)) return host.unknown(e, 'Series', 'is built from unknown data');
    return py.series(items as PyValue[], name, 'constructed');
  },
  'pandas.read_csv': readFile, 'pandas.read_parquet': readFile, 'pandas.read_json': readFile, 'pandas.read_excel': readFile,
  'pandas.read_table': readFile, 'pandas.read_sql': readFile, 'pandas.read_feather': readFile, 'pandas.read_pickle': readFile,
  'pandas.concat': (host, _args, e) => host.unknown(e, 'DataFrame', 'concatenates frames, which the value model does not compute'),
};
