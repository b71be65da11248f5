import { describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { dataFrameToParquet } from '../../../src/values/parquet.ts';
import { py } from '../../../src/values/model.ts';

const df = py.dataframe(
  ['a', 'b', 'name', 'flag', 'maybe'],
  [
    [py.int(1), py.float(2.5), py.str('x'), py.bool(true), py.float(0.5)],
    [py.int(3), py.int(4), py.str('héllo'), py.bool(false), py.None],
    [py.int(-(2 ** 40)), py.float(-0.25), py.str(''), py.bool(true), py.int(7)],
  ],
);

async function readBack(bytes: Uint8Array) {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const rows = await parquetReadObjects({ file });
  return { metadata, rows, schema: parquetSchema(metadata) };
}

describe('DataFrame -> Parquet', () => {
  it('is read back by an independent reader with the same columns, types and rows', async () => {
    const { metadata, rows, schema } = await readBack(await dataFrameToParquet(df));
    expect(schema.children.map((c) => c.element.name)).toEqual(['a', 'b', 'name', 'flag', 'maybe']);
    // pandas dtypes: int64, float64 (ints mixed with floats), object str, bool, float64 with None as null.
    expect(schema.children.map((c) => c.element.type)).toEqual(['INT64', 'DOUBLE', 'BYTE_ARRAY', 'BOOLEAN', 'DOUBLE']);
    expect(schema.children[2]!.element.converted_type).toBe('UTF8');
    expect(Number(metadata.num_rows)).toBe(3);
    expect(rows).toEqual([
      { a: 1n, b: 2.5, name: 'x', flag: true, maybe: 0.5 },
      { a: 3n, b: 4, name: 'héllo', flag: false, maybe: null },
      { a: -(2n ** 40n), b: -0.25, name: '', flag: true, maybe: 7 },
    ]);
    const pandas = metadata.key_value_metadata?.find((kv) => kv.key === 'pandas');
    expect(JSON.parse(pandas!.value!).index_columns).toEqual([{ kind: 'range', name: null, start: 0, stop: 3, step: 1 }]);
  });
  it('writes the same bytes twice', async () => {
    const one = await dataFrameToParquet(df);
    const two = await dataFrameToParquet(py.dataframe(df.columns, df.rows));
    expect(Buffer.from(one).equals(Buffer.from(two))).toBe(true);
    expect(Buffer.from(one.subarray(0, 4)).toString()).toBe('PAR1');
  });
  it('rejects cells Parquet cannot hold with a clear error', async () => {
    const bad = py.dataframe(['m'], [[py.sklearn('RandomForestClassifier')]]);
    await expect(dataFrameToParquet(bad)).rejects.toThrow(/Failed to write column "m" to Parquet/);
  });
});
