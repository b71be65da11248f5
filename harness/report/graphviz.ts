// Graph layout with Graphviz compiled to WebAssembly (@viz-js/viz): DOT in, SVG out, at report time, so the
// report needs no script and no network to show its graphs. One instance is loaded per process and reused.

import type { Viz } from '@viz-js/viz';
import { escapeText, raw, type Markup } from './markup.ts';

let loading: Promise<Viz> | undefined;

/**
 * The shared Graphviz instance (loading the WASM module takes a few tens of milliseconds, once). The package
 * itself is imported here too, not at the top: importing it costs ~80 ms, which only an HTML report should pay.
 */
export function loadGraphviz(): Promise<Viz> {
  loading ??= import('@viz-js/viz').then((viz) => viz.instance());
  return loading;
}

/**
 * DOT -> inline SVG. The XML prologue, doctype and comments are dropped (they are not allowed or not useful inside
 * HTML); Graphviz escapes the text it writes, and the DOT we give it is quoted by `dotString`. A graph Graphviz
 * refuses becomes a visible notice instead of a broken page.
 */
export function renderSvg(viz: Viz, dot: string): Markup {
  try {
    const svg = viz.renderString(dot, { format: 'svg', engine: 'dot' });
    const start = svg.indexOf('<svg');
    return raw(svg.slice(start).replace(/<!--[\s\S]*?-->\n?/g, '').trimEnd());
  } catch (err) {
    return raw(`<p class="graph-error">Failed to lay out the graph: ${escapeText((err as Error).message)}</p>`);
  }
}

/**
 * A DOT double-quoted string. Only `"` needs escaping for DOT itself; backslashes are doubled because Graphviz
 * gives `\n`, `\N`, `\G`... a meaning in labels, and `&` is written as a character reference because Graphviz
 * passes entity-looking text (`&lt;`) through to the SVG unescaped, which would show another text than the one given.
 */
export function dotString(value: string): string {
  const body = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/&/g, '&#38;')
    .replace(/\r\n|\r|\n/g, '\\n');
  return `"${body}"`;
}
