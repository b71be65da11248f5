// `tracked-flows plan FLOW.py --json` for the flow a real run ran: same run id, same parameters, the same
// WANDB_ENTITY / WANDB_PROJECT, the values file beside the flow, and the profile its import names.
import { readFileSync } from 'node:fs';
import { parseLenientJson, type LogModel } from '../../../src/index.ts';
import { cli } from '../../helpers/plans.ts';

export type Profile = 'legacy' | 'current';

/** `from wandb.integration.metaflow import wandb_log` is wandb 0.18.7's own integration (legacy); `mf_head` is current. */
export function profileOf(file: string): Profile {
  const text = readFileSync(file, 'utf8');
  if (/^from mf_head import wandb_log/m.test(text)) return 'current';
  if (/^from wandb\.integration\.metaflow import wandb_log/m.test(text)) return 'legacy';
  throw new Error(`${file}: imports wandb_log from neither wandb.integration.metaflow nor mf_head`);
}

export interface PlanOptions { runId: string; env: Record<string, string>; params?: Record<string, string> | undefined; values?: string | undefined }

export interface PlanObject { tasks: { step: string; status: string; error: unknown }[]; log: LogModel; diagnostics: { code: string; severity: string; message: string }[] }

export async function planFlow(file: string, o: PlanOptions): Promise<PlanObject> {
  const argv = ['plan', file, '--json', '--run-id', o.runId, '--integration', profileOf(file)];
  for (const [k, v] of Object.entries(o.env)) argv.push('--env', `${k}=${v}`);
  for (const [k, v] of Object.entries(o.params ?? {})) argv.push('--param', `${k}=${v}`);
  if (o.values) argv.push('--values', o.values);
  const r = await cli(...argv);
  if (r.code !== 0 && r.code !== 1) throw new Error(`plan ${argv.join(' ')} exited ${r.code}: ${r.err}`);
  return parseLenientJson(r.out) as PlanObject;
}
