// The flows the real-SDK tier runs: every scenarios/python/*.py the kit can run, and test/real/flows/*.py for
// what those do not cover. Each gets a fresh folder holding the flow and the files it reads, written from what
// its values file pins, so the real run reads exactly what the plan was told.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { values } from '../../src/index.ts';
import { DiagnosticSink } from '../../harness/python/diagnostics.ts';
import { loadValuesFile } from '../../harness/python/values-file.ts';
import { kitEnv, ROOT, runCommand } from './helpers/kit.ts';

type PyValue = values.PyValue;

export interface RealFlow {
  /** Repo-relative path of the flow.py. */
  file: string;
  /** Parameters, given to `run` as `--name value` and to `plan` as `--param name=value`. */
  params?: Record<string, string>;
  /** Writes the files the flow reads into its folder. */
  prepare?: (dir: string, flow: RealFlow) => Promise<void>;
}

export const flowName = (f: RealFlow) => basename(f.file, '.py');
/** The flow's values file (FLOW.values.yaml beside it), if it has one. */
export const valuesFileOf = (f: RealFlow): string | undefined => {
  const file = join(ROOT, f.file.replace(/\.py$/, '.values.yaml'));
  return existsSync(file) ? file : undefined;
};

function pin(f: RealFlow, name: string): PyValue {
  const sink = new DiagnosticSink(f.file);
  const v = loadValuesFile(valuesFileOf(f) ?? `${f.file} has no values file`, join(ROOT, f.file), sink).named(...(name.split('.') as [string, string]));
  if (v === undefined || sink.all().length > 0) throw new Error(`${valuesFileOf(f)} pins no ${name}: ${JSON.stringify(sink.all())}`);
  return v;
}

/** A pinned DataFrame as the CSV pandas' read_csv reads back into it (ints stay ints, floats keep Python's repr). */
function csvOf(v: PyValue): string {
  if (v.kind !== 'dataframe') throw new Error(`not a DataFrame: ${v.kind}`);
  const cell = (c: PyValue) => (c.kind === 'int' ? String(c.value) : c.kind === 'float' ? values.pyFloatRepr(c.value) : c.kind === 'str' ? c.value : JSON.stringify(c));
  return [v.columns.join(','), ...v.rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

/** wine.csv for wandb's system-test flows: the rows their values file pins as start.raw_df. */
async function wineCsv(dir: string, f: RealFlow): Promise<void> {
  writeFileSync(join(dir, 'wine.csv'), csvOf(pin(f, 'start.raw_df')));
}

/** W&B docs' flows: data/raw.csv (start.raw_df) and models/net.pt, a saved `Net` module (start.model_file). */
async function docsFiles(dir: string, f: RealFlow): Promise<void> {
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'models'));
  writeFileSync(join(dir, 'data/raw.csv'), csvOf(pin(f, 'start.raw_df')));
  const net = pin(f, 'start.model_file');
  // torch.load unpickles the module by its class: the class lives in a module beside the flow, as a user's would.
  writeFileSync(join(dir, 'netdef.py'), `import torch\n\n\nclass ${net.type.name}(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = torch.nn.Linear(2, 1)\n`);
  const save = await runCommand(['python3', '-c', `import torch, netdef; torch.manual_seed(0); torch.save(netdef.${net.type.name}(), "models/net.pt")`], { cwd: dir, env: kitEnv() });
  if (save.code !== 0) throw new Error(`saving models/net.pt failed: ${save.output}`);
}

/** Files the values file pins by path (`!Path data/...`, relative to it): copied beside the flow. */
async function pinnedData(dir: string, f: RealFlow): Promise<void> {
  cpSync(join(ROOT, dirname(f.file), 'data'), join(dir, 'data'), { recursive: true });
}

/** The user's own module beside the flow (naming.py): the real run imports it, the plan cannot see it. */
async function ownModule(dir: string): Promise<void> {
  copyFileSync(join(ROOT, 'test/real/flows/naming.py'), join(dir, 'naming.py'));
}

const WINE = { params: { raw_data: 'wine.csv' }, prepare: wineCsv };

export const FLOWS: RealFlow[] = [
  { file: 'scenarios/python/docs-step.py', prepare: docsFiles },
  { file: 'scenarios/python/docs-flow.py', prepare: docsFiles },
  { file: 'scenarios/python/docs-flow-and-steps.py', prepare: docsFiles },
  { file: 'scenarios/python/graphs-foreach.py' },
  { file: 'scenarios/python/system-decoboth.py', ...WINE },
  { file: 'scenarios/python/system-decoclass.py', ...WINE },
  { file: 'scenarios/python/system-decostep.py', ...WINE },
  { file: 'scenarios/python/system-foreach.py', ...WINE },
  { file: 'scenarios/python/system-pytorch.py' },
  { file: 'test/real/flows/real-others.py' },
  { file: 'test/real/flows/real-paths.py', prepare: pinnedData },
  { file: 'test/real/flows/real-models.py' },
  { file: 'test/real/flows/real-branch.py' },
  { file: 'test/real/flows/real-switch.py' },
  { file: 'test/real/flows/real-nested-foreach.py' },
  { file: 'test/real/flows/real-values.py', prepare: ownModule },
];

/** A fresh folder with the flow (as flow.py's own name) and its data; `REAL_FLOWS=a,b` picks flows by name. */
export async function workspace(f: RealFlow, label: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `real-${flowName(f)}-${label}-`));
  copyFileSync(join(ROOT, f.file), join(dir, basename(f.file)));
  await f.prepare?.(dir, f);
  return dir;
}

export function selectedFlows(): RealFlow[] {
  const only = process.env['REAL_FLOWS']?.split(',').filter(Boolean);
  return only ? FLOWS.filter((f) => only.includes(flowName(f))) : FLOWS;
}

