/**
 * DataFrame -> Parquet, as `df.to_parquet(f, engine="pyarrow")` would lay out the data: one column per
 * DataFrame column, pandas' dtype inference (int64, float64 with None as null, bool, str/object), a RangeIndex
 * kept as metadata only (the `pandas` key-value entry), so `pd.read_parquet` restores the same frame.
 *
 * Written with hyparquet-writer, which is deterministic: the same frame gives the same bytes. The bytes are not
 * pyarrow's (different writer, `created_by`), which no consumer of the integration depends on.
 */
// hyparquet-writer is loaded the first time a frame is written: it is ~50 modules (~45 ms of a cold process),
// and validating a scenario, or running one that logs no DataFrame, never needs it.
type ParquetWriter = typeof import('hyparquet-writer');
let writer: Promise<ParquetWriter> | undefined;
import type { PyDataFrame, PyValue } from './model.ts';
import { ValuesError } from './errors.ts';

export type ColumnDtype = 'int64' | 'float64' | 'bool' | 'object';

type Cell = { t: 'int'; v: bigint } | { t: 'float'; v: number } | { t: 'bool'; v: boolean } | { t: 'str'; v: string } | { t: 'null' };

function cell(v: PyValue, column: string): Cell {
  switch (v.kind) {
    case 'none': return { t: 'null' };
    case 'bool': return { t: 'bool', v: v.value };
    case 'int': return { t: 'int', v: v.value };
    case 'float': return Number.isNaN(v.value) ? { t: 'null' } : { t: 'float', v: v.value };
    case 'str': return { t: 'str', v: v.value };
    case 'numpy-scalar':
      if (typeof v.value === 'boolean') return { t: 'bool', v: v.value };
      if (typeof v.value === 'bigint') return { t: 'int', v: v.value };
      return Number.isNaN(v.value) ? { t: 'null' } : { t: 'float', v: v.value };
    default:
      throw new ValuesError(
        'unsupported-value',
        `Failed to write column "${column}" to Parquet: a cell holds a ${v.type.name}. Use int, float, bool, str or None cells.`,
      );
  }
}

/** pandas' inference for a column built from Python objects. */
export function inferDtype(cells: readonly Cell[]): ColumnDtype {
  const kinds = new Set(cells.map((c) => c.t));
  const hasNull = kinds.delete('null');
  if (kinds.size === 0) return 'object';
  if ([...kinds].every((k) => k === 'int')) return hasNull ? 'float64' : 'int64';
  if ([...kinds].every((k) => k === 'int' || k === 'float')) return 'float64';
  if (kinds.size === 1 && kinds.has('bool')) return hasNull ? 'object' : 'bool';
  if (kinds.size === 1 && kinds.has('str')) return 'object';
  return 'object';
}

export interface DataFrameColumn {
  readonly name: string;
  readonly dtype: ColumnDtype;
  readonly values: readonly (bigint | number | boolean | string | null)[];
}

export function dataFrameColumns(df: PyDataFrame): DataFrameColumn[] {
  return df.columns.map((name, j) => {
    const cells = df.rows.map((r) => cell(r[j]!, name));
    const dtype = inferDtype(cells);
    const values = cells.map((c) => {
      if (c.t === 'null') return null;
      if (dtype === 'float64') return Number(c.v);
      if (dtype === 'object' && c.t !== 'str') {
        throw new ValuesError(
          'unsupported-value',
          `Failed to write column "${name}" to Parquet: it mixes ${c.t} with other kinds of values (pyarrow cannot convert a mixed object column). Give the column a single type.`,
        );
      }
      if (dtype === 'int64') {
        const n = c.v as bigint;
        if (n < -(2n ** 63n) || n >= 2n ** 63n) {
          throw new ValuesError('unsupported-value', `Failed to write column "${name}" to Parquet: ${n} does not fit in int64. Use smaller integers or floats.`);
        }
        return n;
      }
      return c.v;
    });
    return { name, dtype, values };
  });
}

const PARQUET_TYPE = { int64: 'INT64', float64: 'DOUBLE', bool: 'BOOLEAN', object: 'STRING' } as const;

/** The `pandas` metadata entry pyarrow writes, without its creator/version fields (which name pyarrow). */
function pandasMetadata(df: PyDataFrame, cols: readonly DataFrameColumn[]): string {
  return JSON.stringify({
    index_columns: [{ kind: 'range', name: null, start: 0, stop: df.rows.length, step: 1 }],
    column_indexes: [{ name: null, field_name: null, pandas_type: 'unicode', numpy_type: 'object', metadata: { encoding: 'UTF-8' } }],
    columns: cols.map((c) => ({
      name: c.name,
      field_name: c.name,
      pandas_type: c.dtype === 'object' ? 'unicode' : c.dtype,
      numpy_type: c.dtype,
      metadata: null,
    })),
  });
}

/** The bytes of `{name}.parquet` for a DataFrame. Deterministic. */
export async function dataFrameToParquet(df: PyDataFrame): Promise<Uint8Array> {
  const cols = dataFrameColumns(df);
  const { parquetWriteBuffer } = await (writer ??= import('hyparquet-writer'));
  const buffer = parquetWriteBuffer({
    columnData: cols.map((c) => ({
      name: c.name,
      // hyparquet-writer wants arrays of one JS type per column; nulls allowed in nullable columns.
      data: c.values as (bigint | number | boolean | string | null)[],
      type: PARQUET_TYPE[c.dtype],
      nullable: true,
    })),
    kvMetadata: [{ key: 'pandas', value: pandasMetadata(df, cols) }],
    createdBy: 'tracked-flows',
  });
  return new Uint8Array(buffer);
}
