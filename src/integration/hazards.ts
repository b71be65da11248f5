// The integration's known hazards (reference §1.4, §1.5, §2.3, §3.3, §4, §7), found from what one run did.
// Each is a small named check over plain records, like Metaflow's lint: easy to read, easy to test one by one.

import type { LineageLedger } from './lineage.ts';
import type { Hazard, IntegrationReport } from './records.ts';
import { Settings } from './settings.ts';

export interface HazardInput {
  report: Omit<IntegrationReport, 'hazards'>;
  ledger: LineageLedger;
  lineage: 'latest' | 'pinned';
  env: Record<string, string | undefined>;
  wrappedHelpers: readonly { name: string; called: boolean }[];
}

type Check = (input: HazardInput) => Hazard[];

const latestMismatch: Check = ({ report }) =>
  report.uses.flatMap((u) =>
    u.origin.kind === 'logged' && u.resolvedId !== null && u.resolvedId !== u.origin.version.id
      ? [{
          code: 'LATEST_MISMATCH' as const, severity: 'error' as const, step: u.step, variable: u.variable,
          message: `${u.pathspec} used "${u.requested}", which resolved to ${u.resolved ?? u.resolvedId} when the step ended, but the value it read was logged by ${u.origin.pathspec} (${u.origin.version.digest === null ? 'its bytes not predicted' : `digest ${u.origin.version.digest}`}); in pinned lineage it would use that version.`,
          data: { task: u.pathspec, requested: u.requested, resolved: u.resolved ?? '', producer: u.origin.pathspec, name: u.origin.version.name, digest: u.origin.version.digest ?? '' },
        }]
      : [],
  );

const untrackedProducer: Check = ({ report, lineage }) =>
  report.uses.flatMap((u) =>
    u.origin.kind === 'untracked'
      ? [{
          code: 'UNTRACKED_PRODUCER' as const, severity: 'warning' as const, step: u.step, variable: u.variable,
          message: `${u.pathspec} reads "${u.variable}", produced by ${u.origin.pathspec}, which ${u.origin.decorated ? 'did not log it as an artifact (its flags are off)' : 'has no @wandb_log'}; ` +
            (lineage === 'latest' ? `"${u.requested}" ${u.missing ? 'does not exist (only a warning)' : `links to ${u.resolved}, a stale version from elsewhere`}.` : 'pinned lineage records no use.'),
        }]
      : [],
  );

/** Two tasks that are not ancestors of each other may run at once (foreach siblings, parallel branches). */
const siblingWrite: Check = ({ report, ledger }) => {
  const ancestors = (p: string, seen = new Set<string>()): Set<string> => {
    for (const parent of ledger.get(p)?.parents ?? []) if (!seen.has(parent)) ancestors(parent, seen.add(parent));
    return seen;
  };
  const byName = new Map<string, string[]>();
  for (const t of report.tracks) if (t.artifact) byName.set(t.variable, [...(byName.get(t.variable) ?? []), t.pathspec]);
  const out: Hazard[] = [];
  for (const [name, writers] of byName) {
    const concurrent = writers.filter((a) => writers.some((b) => a !== b && !ancestors(a).has(b) && !ancestors(b).has(a)));
    if (concurrent.length < 2) continue;
    const steps = [...new Set(concurrent.map((p) => p.split('/')[2]!))];
    out.push({
      code: 'SIBLING_WRITE', severity: 'warning', step: steps.join(','), variable: name,
      message: `${concurrent.length} tasks that may run at once (${concurrent.join(', ')}) each log "${name}": versions follow commit order and "${name}:latest" names whichever committed last.`,
    });
  }
  return out;
};

const joinUntracked: Check = ({ report }) =>
  report.tasks.flatMap((t) => {
    if (!t.isJoin || t.source === null) return [];
    const hazards: Hazard[] = t.inputReads.map((name) => ({
      code: 'JOIN_INPUTS_UNTRACKED' as const, severity: 'warning' as const, step: t.step, variable: name,
      message: `${t.pathspec} reads "${name}" through its inputs (inputs[i].${name} / for i in inputs): those reads never go through the proxy, so no lineage links the branches' "${name}" to this run.`,
    }));
    if (t.mergedArtifacts) {
      hazards.push({
        code: 'MERGE_UNTRACKED', severity: 'warning', step: t.step, variable: null,
        message: `${t.pathspec} calls merge_artifacts: merged artifacts are never outputs, and a later read of one uses "<name>:latest", an arbitrary branch's version.`,
      });
    }
    return hazards;
  });

const dictSettings: Check = ({ report }) => {
  const steps = [...new Set(report.tasks.filter((t) => t.settings !== null && !(t.settings instanceof Settings)).map((t) => t.step))];
  return steps.map((step) => ({
    code: 'DICT_SETTINGS' as const, severity: 'warning' as const, step, variable: null,
    message: `settings for step "${step}" is a plain dict, not wandb.Settings: the integration silently replaces it with wandb.Settings(), so its values are ignored.`,
  }));
};

const sharedSettings: Check = ({ report }) => {
  const users = new Map<Settings, string[]>();
  for (const t of report.tasks) if (t.settings instanceof Settings) users.set(t.settings, [...(users.get(t.settings) ?? []), t.pathspec]);
  return [...users.entries()]
    .filter(([, tasks]) => tasks.length > 1)
    .map(([s, tasks]) => ({
      code: 'SHARED_SETTINGS' as const, severity: 'warning' as const, step: [...new Set(tasks.map((p) => p.split('/')[2]!))].join(','), variable: null,
      message: `one wandb.Settings object is used by ${tasks.length} tasks and mutated by each: after the first, every run gets group "${s.run_group}" and job type "${s.run_job_type}".`,
    }));
};

const envOverridden: Check = ({ report, env }) => {
  const set = ['WANDB_RUN_GROUP', 'WANDB_JOB_TYPE'].filter((k) => env[k] !== undefined);
  if (set.length === 0 || !report.tasks.some((t) => t.source !== null)) return [];
  return [{
    code: 'ENV_OVERRIDDEN', severity: 'warning', step: null, variable: null,
    message: `${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set but ignored: the integration always passes run_group and run_job_type to wandb.init.`,
  }];
};

const helperWrapped: Check = ({ wrappedHelpers }) =>
  wrappedHelpers.map(({ name, called }) => ({
    code: 'HELPER_WRAPPED' as const, severity: called ? ('error' as const) : ('warning' as const), step: null, variable: name,
    message: `flow-level @wandb_log wraps helper "${name}" too: it returns None, and calling it from a step finishes that step's run, so the step's later logging fails.`,
  }));

const typeConflict: Check = ({ report }) => {
  const types = new Map<string, Map<string, string>>();
  for (const t of report.tracks) if (t.artifactType) (types.get(t.variable) ?? types.set(t.variable, new Map()).get(t.variable)!).set(t.artifactType, t.pathspec);
  return [...types.entries()]
    .filter(([, m]) => m.size > 1)
    .map(([name, m]) => ({
      code: 'TYPE_CONFLICT' as const, severity: 'error' as const, step: [...new Set([...m.values()].map((p) => p.split('/')[2]!))].join(','), variable: name,
      message: `"${name}" is logged as ${[...m.entries()].map(([type, p]) => `${type} (${p})`).join(' and ')}: W&B refuses a second type for one artifact name.`,
    }));
};

export const HAZARD_CHECKS: readonly Check[] = [
  latestMismatch, untrackedProducer, siblingWrite, joinUntracked, dictSettings, sharedSettings, envOverridden, helperWrapped, typeConflict,
];

export function findHazards(input: HazardInput): Hazard[] {
  return HAZARD_CHECKS.flatMap((check) => check(input));
}
