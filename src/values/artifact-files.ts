/**
 * The files `wandb_track` puts in an artifact for a classified value (reference §3.1, §3.2):
 * DataFrame -> `{name}.parquet`; nn.Module -> `{name}.pkl` (torch format, see torch.ts); estimator and
 * `others` -> `{name}.pkl` (pickle); Path -> the file / the directory's files / nothing.
 */
import type { TrackLabel } from './classify.ts';
import type { PyValue } from './model.ts';
import { ValuesError } from './errors.ts';
import { pathEntries, type PathEntry } from './files.ts';
import { dataFrameToParquet } from './parquet.ts';
import { pickleDumps } from './pickle/pickler.ts';
import { torchSave } from './torch.ts';

export async function artifactFiles(label: TrackLabel, name: string, value: PyValue): Promise<PathEntry[]> {
  switch (label) {
    case 'pd.DataFrame':
      if (value.kind !== 'dataframe') break;
      return [{ name: `${name}.parquet`, data: await dataFrameToParquet(value) }];
    case 'nn.Module': return [{ name: `${name}.pkl`, data: torchSave(value) }];
    case 'BaseEstimator': case 'generic': return [{ name: `${name}.pkl`, data: pickleDumps(value) }];
    case 'Path': return pathEntries(value);
    case 'scalar': case null: return [];
  }
  throw new ValuesError('invalid-value', `Failed to serialize "${name}": label ${String(label)} does not fit a ${value.type.name}. Classify the value with classifyTrack first.`);
}
