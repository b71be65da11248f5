// The JUnit XML reporter: one testsuite, one testcase per scenario. CI systems read failures and properties from
// it, so a failing snapshot carries its diff in <failure>, and hazards (the integration's predicted problems,
// which do not fail a scenario) travel as properties the CI can show or count.

import type { Diagnostic } from '../runner/index.ts';
import { escapeAttr, escapeText } from './markup.ts';
import type { Reporter, RunReport, ScenarioReport } from './types.ts';

/** Diagnostics the runner itself adds (DESIGN §3.6): facts about the run, not hazards of the integration. */
const RUN_FACTS = new Set(['TASK_FAILED', 'WANDB_WARNING', 'UNSUPPORTED_OPERATION']);

const seconds = (ms: number): string => (Number.isFinite(ms) ? Math.max(0, ms) / 1000 : 0).toFixed(3);

export function renderJunitReport(report: RunReport, suiteName = 'tracked-flows'): string {
  const failures = report.scenarios.filter((s) => !s.passed).length;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeAttr(suiteName)}" tests="${report.scenarios.length}" failures="${failures}" errors="0" time="${seconds(report.duration_ms)}">`,
    `  <testsuite name="${escapeAttr(suiteName)}" tests="${report.scenarios.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(report.duration_ms)}">`,
    ...report.scenarios.flatMap(testcase),
    '  </testsuite>',
    '</testsuites>',
  ];
  return `${out.join('\n')}\n`;
}

function testcase(s: ScenarioReport): string[] {
  const r = s.result;
  const open = `    <testcase name="${escapeAttr(r.scenario)}" classname="${escapeAttr(s.file ?? r.graph.name)}" time="${seconds(r.timings.total_ms)}">`;
  const props = [
    property('flow.status', r.flow_status),
    ...(s.snapshot ? [property('snapshot.status', s.snapshot.status), property('snapshot.path', s.snapshot.path)] : []),
    ...r.diagnostics.map((d) => property(`${RUN_FACTS.has(d.code) ? 'diagnostic' : 'hazard'}.${d.code}`, describe(d))),
  ];
  const lines = [open, '      <properties>', ...props.map((p) => `        ${p}`), '      </properties>'];
  if (!s.passed) {
    const message = s.snapshot?.status === 'missing' ? `no snapshot at ${s.snapshot.path}` : `the log differs from the snapshot${s.snapshot ? ` ${s.snapshot.path}` : ''}`;
    lines.push(`      <failure message="${escapeAttr(message)}" type="${s.snapshot?.status === 'missing' ? 'SNAPSHOT_MISSING' : 'SNAPSHOT_MISMATCH'}">${escapeText(s.snapshot?.diff ?? message)}</failure>`);
  }
  lines.push('    </testcase>');
  return lines;
}

/** `step variable: message`, leaving out what the diagnostic does not name. */
function describe(d: Diagnostic): string {
  const where = [d.step, d.variable].filter((x): x is string => !!x).join(' ');
  return where ? `${where}: ${d.message}` : d.message;
}

const property = (name: string, value: string): string => `<property name="${escapeAttr(name)}" value="${escapeAttr(value)}"/>`;

export function createJunitReporter(): Reporter {
  return { render: (report) => renderJunitReport(report) };
}
