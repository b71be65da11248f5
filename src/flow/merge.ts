/**
 * `FlowSpec.merge_artifacts(inputs, exclude=None, include=None)` (flowspec.py): all-or-nothing, conflict
 * by content (Metaflow compares the sha of the pickled value; here the value protocol's `contentId`),
 * names already on `self` skipped, and only references passed down (values are not loaded).
 */
import { PythonError } from './errors.ts';
import type { FlowObject } from './flow-object.ts';
import type { Inputs } from './inputs.ts';

/** Internal artifacts never merged without `include` (flowspec.py INTERNAL_ARTIFACTS_SET). */
const INTERNAL_ARTIFACTS = new Set([
  '_foreach_values', '_unbounded_foreach', '_control_mapper_tasks', '_control_task_is_mapper_zero', '_parallel_ubf_iter',
]);

function names(list: unknown): string[] {
  if (list === undefined || list === null) return [];
  if (Array.isArray(list)) return list.map(String);
  return [String(list)];
}

export function mergeArtifacts(flow: FlowObject, inputs: Inputs, options: Readonly<Record<string, unknown>>): void {
  const include = names(options['include']);
  const exclude = names(options['exclude']);
  const step = flow.stepName;
  if (flow.graph.nodes.get(step)?.type !== 'join') {
    throw new PythonError(
      'MetaflowException',
      `merge_artifacts can only be called in a join and step *${step}* is not a join`,
      'MERGE_NOT_IN_JOIN',
    );
  }
  if (include.length > 0 && exclude.length > 0) {
    throw new PythonError(
      'MetaflowException',
      '`exclude` and `include` are mutually exclusive in merge_artifacts',
      'MERGE_INCLUDE_AND_EXCLUDE',
    );
  }
  const toMerge = new Map<string, { store: ReadonlyMap<string, unknown>; id: string }>();
  const unresolved: string[] = [];
  for (const store of inputs.artifactStores()) {
    for (const [name, value] of store) {
      const candidate = include.length > 0
        ? include.includes(name) && !flow.hasattr(name)
        : !exclude.includes(name) && !flow.hasattr(name) && !INTERNAL_ARTIFACTS.has(name);
      if (!candidate) continue;
      const id = flow.values.contentId(value);
      const previous = toMerge.get(name);
      if (previous === undefined) toMerge.set(name, { store, id });
      else if (previous.id !== id) unresolved.push(name); // once per differing input, as Metaflow does
    }
  }
  const missing = include.filter((name) => !toMerge.has(name) && !flow.hasattr(name));
  if (unresolved.length > 0) {
    throw new PythonError(
      'UnhandledInMergeArtifactsException',
      `Step *${step}* cannot merge the following artifacts due to them having conflicting values:\n` +
        `[${unresolved.join(', ')}].\nTo remedy this issue, be sure to explicitly set those artifacts ` +
        '(using self.<artifact_name> = ...) prior to calling merge_artifacts.',
      'MERGE_CONFLICT',
      { artifactNames: unresolved },
    );
  }
  if (missing.length > 0) {
    throw new PythonError(
      'MissingInMergeArtifactsException',
      `Step *${step}* specifies that [${include.join(', ')}] should be merged but [${missing.join(', ')}] are not ` +
        'present.\nTo remedy this issue, make sure that the values specified in only come from at least one branch',
      'MERGE_MISSING',
      { artifactNames: missing },
    );
  }
  // passdown_partial: record the reference in the join's datastore; a later `self.x` loads it lazily.
  for (const [name, { store }] of toMerge) flow.datastore.set(name, store.get(name));
}
