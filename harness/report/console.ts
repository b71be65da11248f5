// The console reporter: a progress line rewritten in place on a TTY, plain lines otherwise (CI logs keep every
// line, and escape codes would be noise there), then the diffs of failures and one summary line.

import type { Reporter, RunReport, ScenarioReport } from './types.ts';

export interface ConsoleOptions {
  /** Progress is drawn only on a terminal; elsewhere the final rendering lists every scenario. */
  tty: boolean;
  color: boolean;
  /**
   * Where progress goes while scenarios run. On a TTY: frames of one rewritten line (no newline). Elsewhere: each
   * scenario's plain line as it finishes (with its newline), which `render` then does not repeat. Without it,
   * `render` alone tells everything.
   */
  progress?: (text: string) => void;
}

const CODES = { green: 32, red: 31, yellow: 33, dim: 2, bold: 1 } as const;
type Paint = (style: keyof typeof CODES, text: string) => string;

// Erase the whole line and return to its start: the next progress frame (or the final text) replaces it.
const CLEAR_LINE = '\r\x1b[2K';

export function createConsoleReporter(options: ConsoleOptions): Reporter {
  const paint: Paint = options.color ? (style, text) => `\x1b[${CODES[style]}m${text}\x1b[0m` : (_style, text) => text;
  // Scenarios whose line was already written by onScenario (off a TTY): render does not repeat them.
  const streamed = new Set<ScenarioReport>();
  return {
    onScenario(report: ScenarioReport, index: number, total: number): void {
      if (!options.progress) return;
      if (!options.tty) {
        streamed.add(report);
        options.progress(`${mark(report, paint)} ${oneLine(report.result.scenario)}\n`);
        return;
      }
      const frame = `[${index + 1}/${total}] ${mark(report, paint)} ${oneLine(report.result.scenario)}`;
      // The last frame is erased, so the final rendering starts on a clean line.
      options.progress(index + 1 >= total ? CLEAR_LINE : `${CLEAR_LINE}${frame}`);
    },
    render(report: RunReport): string {
      return renderConsole(report, options.tty, paint, streamed);
    },
  };
}

function renderConsole(report: RunReport, tty: boolean, paint: Paint, streamed: ReadonlySet<ScenarioReport>): string {
  const lines: string[] = [];
  // On a terminal the progress already showed each scenario pass by; only failures need a line of their own.
  for (const s of report.scenarios) if (tty ? !s.passed : !streamed.has(s)) lines.push(`${mark(s, paint)} ${oneLine(s.result.scenario)}`);
  const failures = report.scenarios.filter((s) => !s.passed);
  for (const s of failures) {
    lines.push('', paint('bold', `${oneLine(s.result.scenario)}: ${whyFailed(s)}`));
    if (s.snapshot?.diff) lines.push(...s.snapshot.diff.replace(/\n$/, '').split('\n').map((l) => colourDiffLine(l, paint)));
  }
  if (report.obsolete.length > 0) {
    lines.push('', paint('yellow', `obsolete snapshots (no scenario any more):`), ...report.obsolete.map((p) => `  ${p}`));
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report, paint));
  return `${lines.join('\n')}\n`;
}

/** `N passed, N failed (snapshots: N new, N updated, N obsolete)` — the counts come from the report as given. */
export function summaryLine(report: RunReport, paint: Paint = (_s, t) => t): string {
  const { passed, failed, new: added, updated, obsolete } = report.summary;
  const counts = `${paint('green', `${passed} passed`)}, ${failed > 0 ? paint('red', `${failed} failed`) : `${failed} failed`}`;
  return `${counts} (snapshots: ${added} new, ${updated} updated, ${obsolete} obsolete)`;
}

function mark(s: ScenarioReport, paint: Paint): string {
  return s.passed ? paint('green', '✓') : paint('red', '✗');
}

function whyFailed(s: ScenarioReport): string {
  if (!s.snapshot) return 'failed';
  if (s.snapshot.status === 'missing') return `no snapshot at ${s.snapshot.path} (run with -u to write it)`;
  if (s.snapshot.status === 'mismatch') return `the log differs from ${s.snapshot.path}`;
  return `failed (snapshot ${s.snapshot.status})`;
}

function colourDiffLine(text: string, paint: Paint): string {
  const line = oneLine(text);
  if (line.startsWith('+++') || line.startsWith('---')) return paint('bold', line);
  if (line.startsWith('+')) return paint('green', line);
  if (line.startsWith('-')) return paint('red', line);
  if (line.startsWith('@@')) return paint('dim', line);
  return line;
}

/**
 * A scenario id or a diff line with a newline or an escape sequence in it must neither break the layout nor drive
 * the terminal: control characters (tab aside) are shown as `\xNN`.
 */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
