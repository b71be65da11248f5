// DOT for the two graphs of a scenario. Node names are the names people look for — step names, run refs
// (`run-5`) and artifact versions (`model:v2`) — so the SVG's <title> elements carry them; element ids get a
// per-scenario prefix because one page holds many graphs.

import type { LogModel } from '../../src/index.ts';
import type { Diagnostic } from '../runner/index.ts';
import type { FlowGraphView } from '../runner/types.ts';
import { dotString } from './graphviz.ts';
import { slug } from './markup.ts';

const FONT = 'fontname="Helvetica,Arial,sans-serif" fontsize=11';

const COLOURS = { created: '#2b6cb0', used: '#4a5568', hazard: '#d62728', pinned: '#d62728', failed: '#d62728', ok: '#2f855a', muted: '#718096' };

/** A label of several lines, each escaped on its own (a `\n` inside a value must not become a line break silently). */
const label = (...lines: string[]): string => `"${lines.map((l) => dotString(l).slice(1, -1)).join('\\n')}"`;

const attrs = (pairs: Record<string, string>): string =>
  `[${Object.entries(pairs).map(([k, v]) => `${k}=${v}`).join(' ')}]`;

// Metaflow's step types, drawn so that fan-outs and joins stand out.
const SHAPES: Record<string, string> = { start: 'oval', end: 'oval', linear: 'box', join: 'invtrapezium', 'split-static': 'trapezium', foreach: 'trapezium', 'split-switch': 'diamond' };

/** The flow: steps and transitions; a step whose task failed is red. */
export function flowDot(graph: FlowGraphView, prefix: string, failedSteps: ReadonlySet<string>): string {
  const out = [`digraph ${dotString(graph.name)} {`, `  id=${dotString(`${prefix}-flow`)}; rankdir=TB; ${FONT}; bgcolor="transparent";`, `  node [${FONT} style="rounded,filled" fillcolor="#f7fafc"]; edge [color="${COLOURS.muted}"];`];
  const known = new Set(graph.steps.map((s) => s.name));
  for (const step of graph.steps) {
    const failed = failedSteps.has(step.name);
    out.push(`  ${dotString(step.name)} ${attrs({
      id: dotString(`${prefix}-step-${slug(step.name)}`),
      class: dotString(`step${failed ? ' failed' : ''}`),
      shape: SHAPES[step.type] ?? 'box',
      label: step.type === step.name ? label(step.name) : label(step.name, step.type),
      color: dotString(failed ? COLOURS.failed : '#2d3748'),
      ...(failed ? { penwidth: '2' } : {}),
    })};`);
  }
  for (const step of graph.steps) {
    for (const next of step.next) {
      // A transition to a step that does not exist is a lint error; it is still drawn, to a dashed placeholder.
      if (!known.has(next)) {
        out.push(`  ${dotString(next)} [style=dashed label=${label(next, 'missing')}];`);
        known.add(next);
      }
      out.push(`  ${dotString(step.name)} -> ${dotString(next)} [id=${dotString(`${prefix}-t-${slug(step.name)}-${slug(next)}`)}];`);
    }
  }
  out.push('}');
  return out.join('\n');
}

export interface LatestMismatch { run: string; used: string; pinned: string }

/** The LATEST_MISMATCH hazards whose structured data names a run, the version used and the version pinned. */
export function latestMismatches(diagnostics: readonly Diagnostic[]): LatestMismatch[] {
  return diagnostics.flatMap((d) =>
    d.code === 'LATEST_MISMATCH' && d.data?.run && d.data.used && d.data.pinned ? [{ run: d.data.run, used: d.data.used, pinned: d.data.pinned }] : [],
  );
}

/**
 * Lineage: runs and artifact versions, data flowing left to right (run -created-> version -used-> run). A use that
 * `latest` resolved to another version than the one the data came from is drawn red, with a dashed edge from the
 * version it should have used.
 */
export function lineageDot(log: LogModel, diagnostics: readonly Diagnostic[], prefix: string): string {
  const out = [`digraph lineage {`, `  id=${dotString(`${prefix}-lineage`)}; rankdir=LR; ${FONT}; bgcolor="transparent"; nodesep=0.25; ranksep=0.5;`, `  node [${FONT}]; edge [${FONT} fontsize=9];`];
  const nodes = new Set<string>();
  for (const run of log.runs) {
    nodes.add(run.ref);
    const failed = run.state === 'failed';
    out.push(`  ${dotString(run.ref)} ${attrs({
      id: dotString(`${prefix}-run-${slug(run.ref)}`),
      class: dotString(`run ${run.state}`),
      shape: 'box',
      style: '"rounded,filled"',
      fillcolor: dotString(failed ? '#fff5f5' : '#ebf8ff'),
      color: dotString(failed ? COLOURS.failed : '#2b6cb0'),
      label: label(run.ref, [run.job_type, run.state === 'finished' ? null : run.state].filter(Boolean).join(' · ')),
    })};`);
  }
  for (const art of log.artifacts) {
    const name = `${art.name}:${art.version}`;
    nodes.add(name);
    const latest = art.aliases.includes('latest');
    out.push(`  ${dotString(name)} ${attrs({
      id: dotString(`${prefix}-artifact-${slug(name)}`),
      class: dotString(`artifact${latest ? ' latest' : ''}`),
      shape: 'note',
      style: 'filled',
      fillcolor: dotString('#fffff0'),
      color: dotString('#975a16'),
      label: label(name, latest ? `${art.type} · latest` : art.type),
    })};`);
  }
  const mismatches = latestMismatches(diagnostics);
  const wrongUse = new Set(mismatches.map((m) => `${m.used}\u0000${m.run}`));
  const edge = (from: string, to: string, kind: string, extra: Record<string, string>): void => {
    if (!nodes.has(from) || !nodes.has(to)) return;
    out.push(`  ${dotString(from)} -> ${dotString(to)} ${attrs({ id: dotString(`${prefix}-${kind}-${slug(from)}-${slug(to)}`), class: dotString(kind), ...extra })};`);
  };
  for (const art of log.artifacts) {
    const name = `${art.name}:${art.version}`;
    if (art.created_by) edge(art.created_by, name, 'created_by', { color: dotString(COLOURS.created) });
    for (const user of art.used_by) {
      if (wrongUse.has(`${name}\u0000${user}`)) continue;
      edge(name, user, 'used_by', { color: dotString(COLOURS.used) });
    }
  }
  const seen = new Set<string>();
  for (const m of mismatches) {
    const key = `${m.run}\u0000${m.used}\u0000${m.pinned}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edge(m.used, m.run, 'hazard-used', { color: dotString(COLOURS.hazard), fontcolor: dotString(COLOURS.hazard), penwidth: '2.2', label: dotString('latest'), tooltip: dotString(`${m.run} used ${m.used} through :latest; its data came from ${m.pinned}`) });
    edge(m.pinned, m.run, 'hazard-pinned', { color: dotString(COLOURS.pinned), fontcolor: dotString(COLOURS.pinned), style: 'dashed', label: dotString('pinned'), constraint: 'false' });
  }
  out.push('}');
  return out.join('\n');
}
