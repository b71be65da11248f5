/**
 * The files `wandb_track` puts in an artifact for a classified value (reference §3.1, §3.2):
 * DataFrame -> `{name}.parquet`; nn.Module -> `{name}.pkl` (torch format, see torch.ts); estimator and
 * `others` -> `{name}.pkl` (pickle); Path -> the file / the directory's files / nothing.
 * A `.pkl` whose bytes are not the real run's (see `pickleValue`) carries `notPredicted`.
 */
import type { TrackLabel } from './classify.ts';
import type { PyValue } from './model.ts';
import { ValuesError } from './errors.ts';
import { pathEntries, type PathEntry } from './files.ts';
import { dataFrameToParquet } from './parquet.ts';
import { pickleValue } from './pickle/pickler.ts';
import { torchSave } from './torch.ts';

export async function artifactFiles(label: TrackLabel, name: string, value: PyValue): Promise<PathEntry[]> {
  switch (label) {
    case 'pd.DataFrame':
      if (value.kind !== 'dataframe') break;
      return [{ name: `${name}.parquet`, data: await dataFrameToParquet(value) }];
    case 'nn.Module': return [{ name: `${name}.pkl`, data: torchSave(value) }];
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
