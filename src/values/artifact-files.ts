/**
 * The files `wandb_track` puts in an artifact for a classified value (reference §3.1, §3.2):
 * DataFrame -> `{name}.parquet`; nn.Module -> `{name}.pkl` (torch format, see torch.ts); estimator and
 * `others` -> `{name}.pkl` (pickle); Path -> the file / the directory's files / nothing.
 * A file whose bytes are not the real run's carries `notPredicted`: a `.pkl` that `pickleValue` cannot make exact, a
 * DataFrame's parquet (pyarrow's bytes are not modelled) and a torch module's file (a documented stand-in).
 */
import type { TrackLabel } from './classify.ts';
import type { PyValue } from './model.ts';
import { ValuesError } from './errors.ts';
import { pathEntries, type PathEntry } from './files.ts';
import { dataFrameToParquet } from './parquet.ts';
import { pickleValue } from './pickle/pickler.ts';
import { torchSave } from './torch.ts';
import { containsUnknown, isUnknown, type UnknownOrigin } from './unknown.ts';

/** pandas' `to_parquet` is pyarrow's writer: its version string, encodings and pandas metadata are not modelled. */
const PARQUET_NOT_PREDICTED = "pandas.DataFrame.to_parquet: pyarrow's bytes (writer version, encodings, pandas metadata) are not modelled; the file is hyparquet-writer's";
/** torch.save writes a zip of the module's pickled state and tensors; the plan writes a documented JSON stand-in. */
const TORCH_NOT_PREDICTED = `torch.save's zip (the module's state and tensor storage) is not modelled; the file is the ${'`'}tracked-flows/torch-module@1${'`'} stand-in`;

/**
 * `owner` names who logs the value (a run id): unknown bytes are planned as unlike any other run's, so a plan never
 * claims that two unknown values deduplicate into one version.
 */
export async function artifactFiles(label: TrackLabel, name: string, value: PyValue, owner = ''): Promise<PathEntry[]> {
  const unknown = label === null || label === 'scalar' ? undefined : containsUnknown(value);
  if (unknown !== undefined) return placeholder(label, name, value, unknown, owner);
  switch (label) {
    case 'pd.DataFrame':
      if (value.kind !== 'dataframe') break;
      return [{ name: `${name}.parquet`, data: await dataFrameToParquet(value), notPredicted: [PARQUET_NOT_PREDICTED] }];
    case 'nn.Module': return [{ name: `${name}.pkl`, data: torchSave(value), notPredicted: [`${value.type.module}.${value.type.name}: ${TORCH_NOT_PREDICTED}`] }];
    case 'BaseEstimator': case 'generic': {
      const pickled = pickleValue(value);
      const entry = { name: `${name}.pkl`, data: pickled.bytes };
      return [pickled.exact ? entry : { ...entry, notPredicted: pickled.notPredicted }];
    }
    case 'Path': return pathEntries(value);
    case 'scalar': case null: return [];
  }
  throw new ValuesError('invalid-value', `Failed to serialize "${name}": label ${String(label)} does not fit a ${value.type.name}. Classify the value with classifyTrack first.`);
}

/**
 * The file an artifact would hold for a value that is, or holds, an unknown: its name is certain (it depends on the
 * label alone), its bytes are not. The entry says so, and the bytes say it too for anyone who downloads them.
 * An unknown Path is planned as one file named after the path's last part.
 */
function placeholder(label: TrackLabel, name: string, value: PyValue, u: UnknownOrigin, owner: string): PathEntry[] {
  const article = ['int', 'ndarray', 'estimator'].includes(u.kind) ? 'an' : 'a';
  const made = `${u.kind === 'object' ? 'a value' : `${article} ${u.kind}`} made at ${u.at} (\`${u.expression}\`)`;
  const unknown = isUnknown(value) ? made : `a ${value.type.name} holding ${made}`;
  const file = label === 'pd.DataFrame' ? `${name}.parquet` : label === 'Path' ? (u.expression.split('/').pop() || name) : `${name}.pkl`;
  return [{ name: file, data: new TextEncoder().encode(`tracked-flows: bytes not predicted: ${unknown}\nlogged by: ${owner}\n`), unknown }];
}
