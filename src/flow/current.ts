/** `metaflow.current` for one task (a plain object per task: tasks may run concurrently here). */
export interface Current {
  readonly flow_name: string;
  /** A string, as in Metaflow. */
  readonly run_id: string;
  readonly step_name: string;
  /** A string, as in Metaflow. */
  readonly task_id: string;
  /** 0 on the first attempt. */
  readonly retry_count: number;
  readonly origin_run_id: null;
  /** `{flow}/{run_id}/{step}/{task_id}`. */
  readonly pathspec: string;
  /** Parameter attribute names, sorted (`dir()` order); constants are not listed. */
  readonly parameter_names: readonly string[];
  readonly username: string;
  /** `user:<username>`. */
  readonly namespace: string;
  readonly is_running_flow: true;
}

export function makeCurrent(fields: {
  flowName: string;
  runId: string;
  stepName: string;
  taskId: number;
  retryCount: number;
  parameterNames: readonly string[];
  username: string;
}): Current {
  const taskId = String(fields.taskId);
  return Object.freeze({
    flow_name: fields.flowName,
    run_id: fields.runId,
    step_name: fields.stepName,
    task_id: taskId,
    retry_count: fields.retryCount,
    origin_run_id: null,
    pathspec: `${fields.flowName}/${fields.runId}/${fields.stepName}/${taskId}`,
    parameter_names: Object.freeze([...fields.parameterNames].sort()),
    username: fields.username,
    namespace: `user:${fields.username}`,
    is_running_flow: true,
  });
}
