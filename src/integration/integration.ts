// `@wandb_log` as a flow-runtime hook (reference §1.4): per decorated task one W&B run through our client,
// parameters to config before the body, the body against an ArtifactProxy, then inputs used (first-read
// order), then outputs tracked (first-write order); exit code 1 and nothing used or tracked when the body
// raises. The runtime knows nothing of W&B; this module knows nothing of scenarios.

import type { FlowDefinition, FlowSelf, HelperMethod, Inputs, TaskContext, TaskHook } from '../flow/index.ts';
import { classifyTrack, describeTrack, type Flags, type Profile, type PyValue } from '../values/index.ts';
import type { Run, WandbClient } from '../wandb/index.ts';
import { effectiveDecoration, type WandbLogDecorator } from './decorator.ts';
import { asPython, configValue, track, use } from './dispatch.ts';
import { findHazards } from './hazards.ts';
import { LineageLedger, type LoggedVersion } from './lineage.ts';
import { ArtifactProxy, ObservedSelf } from './proxy.ts';
import type { IntegrationReport, TaskRecord, TrackRecord, UseRecord } from './records.ts';
import { Settings } from './settings.ts';

export interface IntegrationOptions {
  /** A W&B client for a run's effective settings (project, entity and mode may come from `Settings`). */
  clientFor(settings: Settings): WandbClient;
  profile?: Profile;
  lineage?: 'latest' | 'pinned';
  /** The process environment the flow runs in (WANDB_RUN_GROUP / WANDB_JOB_TYPE are noted, and ignored). */
  env?: Record<string, string | undefined>;
  /** Decorations written on helper methods themselves (outermost first). */
  helperDecorators?: Readonly<Record<string, readonly unknown[]>>;
}

export interface WandbIntegration {
  hook: TaskHook;
  /** The flow as the class decorator leaves it: helper methods wrapped too (reference §1.5). */
  instrument(definition: FlowDefinition): FlowDefinition;
  report(): IntegrationReport;
}

const flagsOf = (d: WandbLogDecorator): Flags => ({ datasets: d.datasets, models: d.models, others: d.others });
const isPy = (v: unknown): v is PyValue => typeof v === 'object' && v !== null && 'kind' in v && 'type' in v;

export function createWandbIntegration(options: IntegrationOptions): WandbIntegration {
  const profile = options.profile ?? 'current';
  const lineage = options.lineage ?? 'latest';
  const ledger = new LineageLedger();
  const tasks = new Map<string, TaskRecord>();
  const pending = new Map<string, { writes: () => Iterable<string>; logged: Map<string, LoggedVersion>; decorated: boolean; parents: readonly string[]; step: string }>();
  const uses: UseRecord[] = [];
  const tracks: TrackRecord[] = [];
  const warnings: IntegrationReport['warnings'] = [];
  const activeRuns = new Map<string, Run>();
  const wrappedHelpers = new Map<string, { name: string; called: boolean }>();

  /** Settings handling of the wrapper: non-Settings replaced by a fresh one; the given one mutated. */
  function settingsFor(d: WandbLogDecorator, current: TaskContext['current']): Settings {
    const settings = d.settings instanceof Settings ? d.settings : new Settings();
    settings.updateFromDict({
      run_group: settings.run_group ?? `${current.flow_name}/${current.run_id}`,
      run_job_type: settings.run_job_type ?? current.step_name,
    });
    return settings;
  }

  async function startRun(settings: Settings): Promise<Run> {
    return options.clientFor(settings).init({
      group: settings.run_group ?? undefined,
      jobType: settings.run_job_type ?? undefined,
      ...(settings.project ? { project: settings.project } : {}),
      ...(settings.entity ? { entity: settings.entity } : {}),
    });
  }

  /** After the body: use every input, then track every output (the `with` block of the wrapper). */
  async function useAndTrack(run: Run, proxy: ArtifactProxy, d: WandbLogDecorator, where: { pathspec: string; step: string; parents: readonly string[] }, logged: Map<string, LoggedVersion>, yieldPoint: () => Promise<void>): Promise<void> {
    const flags = flagsOf(d);
    for (const [name, value] of proxy.inputs) {
      const origin = ledger.originFromParents(where.parents, name);
      const outcome = await use(run, name, value, flags, profile, origin.kind === 'logged' ? origin.version : null, lineage);
      if (outcome.kind !== 'none') {
        uses.push({
          pathspec: where.pathspec, step: where.step, variable: name, requested: outcome.requested,
          resolved: outcome.kind === 'used' ? outcome.resolved : null, resolvedId: outcome.kind === 'used' ? outcome.resolvedId : null,
          sent: outcome.kind === 'used',
          origin, missing: outcome.kind === 'missing',
        });
        if (outcome.kind === 'missing') warnings.push({ pathspec: where.pathspec, message: outcome.warning });
      }
      await yieldPoint();
    }
    for (const [name, value] of proxy.outputs) {
      const label = isPy(value) ? classifyTrack(value, flags, { profile }) : null;
      const record: TrackRecord = { pathspec: where.pathspec, step: where.step, variable: name, label, artifactType: label && label !== 'scalar' ? describeTrack(label).artifactType : null, artifact: null };
      tracks.push(record);
      const outcome = await track(run, name, value, flags, profile);
      if (outcome.artifact) {
        record.artifact = outcome.artifact;
        logged.set(name, outcome.artifact);
      }
      await yieldPoint();
    }
  }

  async function finishFailed(run: Run): Promise<void> {
    if (!run.finished) await run.finish(1);
  }

  const hook: TaskHook = {
    async around(ctx, self, invoke) {
      const { pathspec } = ctx.current;
      const eff = effectiveDecoration(ctx.step.decorators, ctx.flow.decorators);
      const isJoin = ctx.inputs !== null;
      if (!eff) {
        const observed = new ObservedSelf(self);
        tasks.set(pathspec, { pathspec, step: ctx.current.step_name, source: null, options: null, group: null, jobType: null, runId: null, settings: null, mergedArtifacts: false, isJoin, inputReads: [] });
        pending.set(pathspec, { writes: () => observed.writes, logged: new Map(), decorated: false, parents: ctx.inputPaths, step: ctx.current.step_name });
        await invoke(observed);
        return;
      }
      const d = eff.decorator;
      const settings = settingsFor(d, ctx.current);
      const record: TaskRecord = {
        pathspec, step: ctx.current.step_name, source: eff.source, options: { datasets: d.datasets, models: d.models, others: d.others },
        group: settings.run_group, jobType: settings.run_job_type, runId: null, settings: d.settings, mergedArtifacts: false, isJoin, inputReads: [],
      };
      if (ctx.inputs) watchInputReads(ctx.inputs, (name) => record.inputReads.includes(name) || record.inputReads.push(name));
      tasks.set(pathspec, record);
      const run = await startRun(settings);
      record.runId = run.id;
      activeRuns.set(pathspec, run);
      const proxy = new MergeNotingProxy(self, () => (record.mergedArtifacts = true));
      const logged = new Map<string, LoggedVersion>();
      pending.set(pathspec, { writes: () => proxy.outputs.keys(), logged, decorated: true, parents: ctx.inputPaths, step: ctx.current.step_name });
      try {
        run.config.update(Object.fromEntries([...proxy.params].map(([k, v]) => [k, configValue(v)])));
        await invoke(proxy);
      } catch (err) {
        await finishFailed(run);
        throw err;
      }
      try {
        await useAndTrack(run, proxy, d, { pathspec, step: ctx.current.step_name, parents: ctx.inputPaths }, logged, ctx.yieldPoint);
        if (!run.finished) await run.finish(0);
      } catch (err) {
        await finishFailed(run);
        throw asPython(err);
      } finally {
        activeRuns.delete(pathspec);
      }
    },
    after(ctx, outcome) {
      const p = pending.get(ctx.current.pathspec);
      if (!p) return;
      ledger.record(ctx.current.pathspec, {
        step: p.step, parents: p.parents, writes: new Set(p.writes()), logged: p.logged,
        holds: new Set(outcome.artifacts.keys()), decorated: p.decorated,
      });
    },
  };

  function instrument(definition: FlowDefinition): FlowDefinition {
    if (!definition.helpers) return definition;
    const helpers: Record<string, HelperMethod> = {};
    for (const [name, original] of Object.entries(definition.helpers)) {
      const eff = effectiveDecoration(options.helperDecorators?.[name] ?? [], definition.decorators);
      if (!eff) {
        helpers[name] = original;
        continue;
      }
      const info = { name, called: false };
      wrappedHelpers.set(name, info);
      helpers[name] = async (flowSelf: FlowSelf, ...args: unknown[]) => {
        info.called = true;
        const { current } = flowSelf;
        const settings = settingsFor(eff.decorator, current);
        // wandb.init with a run active in the process returns that run (reinit="default"), and the inner
        // `with` then finishes it: the step's own later logging raises UsageError (reference §1.5).
        const run = activeRuns.get(current.pathspec) ?? (await startRun(settings));
        const proxy = new ArtifactProxy(flowSelf);
        try {
          run.config.update(Object.fromEntries([...proxy.params].map(([k, v]) => [k, configValue(v)])));
          await original(proxy, ...args);
        } catch (err) {
          await finishFailed(run);
          throw err;
        }
        try {
          await useAndTrack(run, proxy, eff.decorator, { pathspec: current.pathspec, step: current.step_name, parents: [] }, new Map(), async () => {});
          if (!run.finished) await run.finish(0);
        } catch (err) {
          await finishFailed(run);
          throw asPython(err);
        }
        return null; // the wrapper returns None, whatever the helper returned
      };
    }
    return { ...definition, helpers };
  }

  function report(): IntegrationReport {
    const base = { tasks: [...tasks.values()], uses: [...uses], tracks: [...tracks], warnings: [...warnings] };
    return { ...base, hazards: findHazards({ report: base, ledger, lineage, env: options.env ?? {}, wrappedHelpers: [...wrappedHelpers.values()] }) };
  }

  return { hook, instrument, report };
}

/**
 * A join's `inputs` never go through the proxy (reference §2.3), so the Python integration records nothing of
 * them. To report what lineage that loses, the Inputs object the body receives is watched: every attribute read
 * on one of its flows is noted. Nothing else changes — reads return what they returned before.
 */
function watchInputReads(inputs: Inputs, onRead: (name: string) => void): void {
  const watch = (f: FlowSelf): FlowSelf =>
    new Proxy(f, {
      get(target, prop, receiver) {
        if (prop === 'getattr' || prop === 'hasattr') {
          return (name: string) => {
            onRead(name);
            return prop === 'getattr' ? target.getattr(name) : target.hasattr(name);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
  const at = inputs.at.bind(inputs);
  const getattr = inputs.getattr.bind(inputs);
  const iterate = inputs[Symbol.iterator].bind(inputs);
  Object.defineProperties(inputs, {
    at: { value: (i: number) => watch(at(i)), configurable: true },
    getattr: { value: (step: string) => watch(getattr(step)), configurable: true },
    [Symbol.iterator]: { value: function* () { const it = iterate(); for (let n = it.next(); !n.done; n = it.next()) yield watch(n.value); }, configurable: true },
  });
}

/** The proxy, noting when the body calls merge_artifacts (a bound method from `base`, as in Python). */
class MergeNotingProxy extends ArtifactProxy {
  constructor(flow: FlowSelf, private readonly onMerge: () => void) {
    super(flow);
  }
  override getattr(name: string): unknown {
    if (name === 'merge_artifacts') this.onMerge();
    return super.getattr(name);
  }
}
