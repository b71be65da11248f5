/**
 * Diagnostics of the Python front end: each at `file:line:col`, with a stable code. Loading and interpreting
 * never throw for a bad flow file; what cannot be read or modelled becomes one of these.
 */
import type { Pos } from './ast.ts';

export type PythonDiagnosticCode =
  | 'IO'                  // the file cannot be read
  | 'SYNTAX_ERROR'        // lezer's error nodes
  | 'NO_FLOW'             // no FlowSpec subclass, or several and none chosen
  | 'UNSUPPORTED'         // a construct outside the modelled subset (statement skipped, expression unknown)
  | 'OPAQUE_VALUE'        // a call it cannot model: the value is unknown
  | 'UNKNOWN_CONDITION'   // an `if` on an unknown value: both outcomes are possible
  | 'UNKNOWN_ITERABLE'    // a loop or a foreach over an unknown value (a foreach is planned UNKNOWN_WIDTH wide)
  | 'UNKNOWN_SETTING'     // a wandb.Settings field naming where runs go (project, entity, group, job type) is unknown
  | 'UNKNOWN_ORDER'       // a set of str/bytes iterated: CPython's order changes with every process (PYTHONHASHSEED)
  | 'IGNORED_DECORATOR'   // a decorator recorded and ignored (@resources, @kubernetes, ...)
  | 'CARD_UPDATE'         // current.card.append / extend / refresh / clear: recorded (info), no W&B log
  | 'BAD_DECORATOR'       // @wandb_log / @retry arguments that cannot be read
  | 'BAD_PARAMETER'       // a Parameter(...) that cannot be read
  | 'VALUES_FILE'         // a problem in flow.values.yaml
  | 'lint';               // Metaflow's lint, with its wording

export interface PythonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly code: PythonDiagnosticCode;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly step: string | null;
  readonly variable: string | null;
}

export const formatPythonDiagnostic = (d: PythonDiagnostic): string => `${d.file}:${d.line}:${d.col}: ${d.message}`;

/** Collects diagnostics once per place and code: a line run by ten tasks is reported once. */
export class DiagnosticSink {
  private readonly byKey = new Map<string, PythonDiagnostic>();
  constructor(readonly file: string) {}

  report(code: PythonDiagnosticCode, pos: Pick<Pos, 'line' | 'col'>, message: string, extra: { severity?: PythonDiagnostic['severity']; step?: string | null; variable?: string | null } = {}): void {
    // Value-file problems all sit at the flow's 1:1 (their own file:line:col leads the message): keep each.
    const key = `${code}:${pos.line}:${pos.col}${code === 'VALUES_FILE' ? `:${message}` : ''}`;
    const prev = this.byKey.get(key);
    if (prev !== undefined) {
      // The variable may only be known later (the value is assigned to self.x after it was made).
      if (prev.variable === null && extra.variable) this.byKey.set(key, { ...prev, variable: extra.variable, step: extra.step ?? prev.step });
      return;
    }
    this.byKey.set(key, {
      file: this.file, line: pos.line, col: pos.col, code, message,
      severity: extra.severity ?? (code === 'SYNTAX_ERROR' || code === 'NO_FLOW' || code === 'lint' ? 'error' : code === 'IGNORED_DECORATOR' ? 'info' : 'warning'),
      step: extra.step ?? null, variable: extra.variable ?? null,
    });
  }

  /** Withdraws a report: the value file pinned the value it was about. */
  retract(code: PythonDiagnosticCode, pos: Pick<Pos, 'line' | 'col'>): void {
    this.byKey.delete(`${code}:${pos.line}:${pos.col}`);
  }

  has(code: PythonDiagnosticCode, pos: Pick<Pos, 'line' | 'col'>): boolean {
    return this.byKey.has(`${code}:${pos.line}:${pos.col}`);
  }

  all(): PythonDiagnostic[] {
    return [...this.byKey.values()].sort((a, b) => a.line - b.line || a.col - b.col || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
}

/** The Python front end's error for misuse of its API (a bad flow file is diagnostics, not this). */
export class PythonFlowError extends Error {
  constructor(readonly code: 'INVALID_FLOW_FILE' | 'UNKNOWN_FLOW', message: string) {
    super(message);
    this.name = 'PythonFlowError';
  }
}
