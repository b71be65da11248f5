/**
 * A loaded scenario: the file's content as typed data, values already Python values, every part with the
 * place it was written. `compileScenario` turns it into a flow definition and run options.
 */
import type { flow, values } from '../../src/index.ts';
import type { SettingsSpec } from './tags.ts';

export type Location = flow.SourceLocation & { readonly col: number };

export interface WandbLogSpec {
  readonly kind: 'wandb_log';
  readonly datasets?: boolean;
  readonly models?: boolean;
  readonly others?: boolean;
  /** `!Settings` (a spec: compile makes the real object) or a plain map, which the integration ignores. */
  readonly settings: SettingsSpec | Record<string, unknown> | null;
  readonly location: Location;
}

export interface RetrySpec {
  readonly kind: 'retry';
  readonly times: number;
  readonly location: Location;
}

/** `@catch(var=...)`: after its retries the exception is stored in `var` and the task succeeds. */
export interface CatchSpec {
  readonly kind: 'catch';
  readonly var: string | null;
  readonly location: Location;
}

export type DecoratorSpec = WandbLogSpec | RetrySpec | CatchSpec;

/** One body operation (DESIGN §4.1), with where it was written. */
export type Operation = (
  | { readonly op: 'set'; readonly values: ReadonlyArray<readonly [string, values.PyValue]> }
  | { readonly op: 'read'; readonly name: string }
  | { readonly op: 'local'; readonly values: ReadonlyArray<readonly [string, values.PyValue]> }
  | { readonly op: 'mutate'; readonly name: string }
  | { readonly op: 'call'; readonly name: string }
  | { readonly op: 'merge_artifacts'; readonly include?: readonly string[]; readonly exclude?: readonly string[] }
  | { readonly op: 'read_inputs'; readonly name: string }
  | { readonly op: 'raise'; readonly type: string; readonly message: string }
  | { readonly op: 'del'; readonly name: string }
) & { readonly location: Location };

export interface StepSpec {
  readonly name: string;
  readonly body: readonly Operation[];
  readonly next?: flow.NextSpec;
  /** As written; undefined = recognised from the graph. */
  readonly join?: boolean;
  readonly decorators: readonly DecoratorSpec[];
  readonly location: Location;
  readonly nextLocation?: Location;
  /** Positional arguments as written (`def join(self, inputs)` is 2), for lint; absent = from `join`. */
  readonly numArgs?: number;
  /** `@step(start=True)` / `@step(end=True)` (a flow.py; scenarios name their steps start and end). */
  readonly start?: boolean;
  readonly end?: boolean;
  /** A body given as code instead of operations (a flow.py step run by harness/python's interpreter). */
  readonly run?: flow.StepBody;
}

export interface HelperSource {
  readonly name: string;
  readonly body: readonly Operation[];
  readonly decorators: readonly DecoratorSpec[];
  readonly location: Location;
  /** A body given as code instead of operations (see StepSpec.run). */
  readonly run?: flow.HelperMethod;
}

export interface ParameterSpec {
  readonly name: string;
  readonly default?: unknown;
  readonly type?: flow.ParameterType;
  readonly required?: boolean;
  readonly help?: string;
  /** The name on the command line (`Parameter("vals")` on attribute `my_values`), when it differs. */
  readonly cliName?: string;
  /** `separator=","`: a str value becomes a list. */
  readonly separator?: string;
  readonly location: Location;
}

export interface FlowSpec {
  readonly name: string;
  readonly decorators: readonly DecoratorSpec[];
  readonly parameters: readonly ParameterSpec[];
  readonly constants: ReadonlyArray<readonly [string, values.PyValue]>;
  readonly helpers: readonly HelperSource[];
  readonly steps: readonly StepSpec[];
  readonly location: Location;
  /** Where `steps:` is (lint problems without a step point here). */
  readonly stepsLocation: Location;
}

export type MatrixFlag = 'datasets' | 'models' | 'others';

/** `matrix:` as written: target (`flow` or a step) -> flag -> the values to try. */
export type MatrixSpec = ReadonlyArray<{
  readonly target: string;
  readonly location: Location;
  readonly flags: ReadonlyArray<readonly [MatrixFlag, readonly boolean[]]>;
}>;

export interface Scenario {
  /** The id; expanded matrix scenarios carry a suffix: `id[flow.datasets=true,flow.models=false]`. */
  readonly id: string;
  /** A file-name-safe stem for its snapshot (no directory, no extension). */
  readonly snapshotKey: string;
  /** The id as written (before matrix expansion). */
  readonly baseId: string;
  readonly file: string;
  readonly location: Location;
  readonly description?: string;
  readonly integration: 'current' | 'legacy';
  readonly lineage: 'latest' | 'pinned';
  readonly wandb: { readonly entity: string; readonly project: string; readonly mode: 'online' | 'offline' | 'disabled' };
  readonly flow: FlowSpec;
  readonly run: {
    readonly runId?: string;
    readonly parameters: Readonly<Record<string, unknown>>;
    readonly maxWorkers?: number;
    readonly seed?: number;
  };
  /** A backend fault plan (FAULT_PLAN_SCHEMA of src/backend), empty when not given. */
  readonly faults: readonly unknown[];
  /** `env:` — the process environment the flow runs in (e.g. WANDB_RUN_GROUP), empty when not given. */
  readonly env: Readonly<Record<string, string>>;
  /** The matrix as written (before expansion) — absent on expanded scenarios. */
  readonly matrix?: MatrixSpec;
  /** For an expanded scenario: the flags this combination set, `[target, flag, value]` in matrix order. */
  readonly combination?: ReadonlyArray<readonly [string, MatrixFlag, boolean]>;
}

/** Defaults of the `wandb:` key (documented in the schema). */
export const WANDB_DEFAULTS = { entity: 'tracked-flows', project: 'uncategorized', mode: 'online' } as const;
