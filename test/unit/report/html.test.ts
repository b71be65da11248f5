// The HTML report and its graphs, read as text and as XML (Graphviz's SVG) — the browser test renders them.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeLog, wandbLog } from '../../../src/index.ts';
import { lineageDot, logHash, renderHtmlReport, renderLivePage, scenarioAnchors, type RunReport } from '../../../harness/report/index.ts';
import { loadGraphviz, renderSvg } from '../../../harness/report/graphviz.ts';
import { linearFlow, pinTimings, runReport, sampleReport, scenarioReport } from '../../fixtures/report/results.ts';
import { py, run } from '../../helpers/flows.ts';
import { findAll, parseXml, type XmlElement } from './strict-xml.ts';

let report: RunReport;
let page: string;
beforeAll(async () => {
  report = await sampleReport();
  page = await renderHtmlReport(report);
});

/** Single quotes as the page escapes them in attributes. */
const q = (s: string): string => s.replace(/'/g, '&#39;');
/** The inline <svg> elements of a page, parsed strictly. */
const svgs = (html: string): XmlElement[] => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => parseXml(m[0]));
const titles = (svg: XmlElement, cls: string): string[] => findAll(svg, 'g').filter((g) => g.attrs.class?.split(' ').includes(cls)).map((g) => findAll(g, 'title')[0]!.text);

describe('the strict XML reader used here', () => {
  it('refuses what is not well-formed', () => {
    for (const bad of ['<a>&</a>', '<a><b></a>', '<a>\u0001</a>', '<a x="1" x="2"/>', '<a/><b/>', '<a x="<"/>', '<a>&nope;</a>']) expect(() => parseXml(bad), bad).toThrow();
    expect(parseXml('<a x="&#45;&lt;">t&amp;<b/></a>')).toMatchObject({ attrs: { x: '-<' }, text: 't&' });
  });
});

describe('renderHtmlReport', () => {
  it('is one self-contained document: no script, nothing fetched, a CSP forbidding fetches, same bytes twice', async () => {
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${q("default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none';")}`);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    // The only links are anchors within the page (and SVG namespaces, which are never fetched).
    const links = [...page.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
    expect(links.every((l) => l.startsWith('#'))).toBe(true);
    expect(await renderHtmlReport(report)).toBe(page);
  });

  it('sums up the run and gives every scenario a section with a stable id and its status', () => {
    expect(page).toContain('<div class="count passed" data-count="passed"><strong>3</strong>passed</div>');
    expect(page).toContain('<div class="count failed" data-count="failed"><strong>1</strong>failed</div>');
    for (const [id, status] of [['linear', 'passed'], ['foreach-latest', 'passed'], ['foreach-pinned', 'failed'], ['crashing', 'passed']]) {
      expect(page).toContain(`<section class="scenario ${status}" id="s-${id}" data-scenario="${id}" data-status="${status}">`);
    }
    expect(page).toContain('<code>snapshots/gone.json</code>');
  });

  it('draws the flow and the lineage with Graphviz: nodes named after steps, runs and versions', () => {
    const all = svgs(page);
    expect(all).toHaveLength(8);
    const [flow, lineage] = [all[2]!, all[3]!]; // foreach-latest
    expect(titles(flow, 'node').sort()).toEqual(['end', 'evaluate', 'join', 'start', 'train']);
    expect(titles(flow, 'edge').sort()).toEqual(['evaluate->join', 'join->end', 'start->train', 'train->evaluate']);
    expect(titles(lineage, 'node').sort()).toEqual([...Array.from({ length: 9 }, (_, i) => `run-${i + 1}`), 'model:v0', 'model:v1', 'model:v2'].sort());
    const edges = (cls: string) => titles(lineage, cls).map((t) => t.replace('->', ' -> '));
    expect(edges('created_by')).toEqual(['run-2 -> model:v0', 'run-3 -> model:v1', 'run-4 -> model:v2']);
    // run-5 and run-6 got model:v2 through :latest, but their data came from v0 and v1: red, and dashed to the pinned ones.
    expect(edges('hazard-used').sort()).toEqual(['model:v2 -> run-5', 'model:v2 -> run-6']);
    expect(edges('hazard-pinned').sort()).toEqual(['model:v0 -> run-5', 'model:v1 -> run-6']);
    expect(edges('used_by')).toEqual(['model:v2 -> run-7']);
    const stroke = (cls: string) => findAll(lineage, 'g').filter((g) => g.attrs.class?.split(' ').includes(cls)).map((g) => findAll(g, 'path')[0]!.attrs);
    expect(stroke('hazard-used').every((p) => p.stroke === '#d62728' && p['stroke-width'] === '2.2')).toBe(true);
    expect(stroke('hazard-pinned').every((p) => p.stroke === '#d62728' && p['stroke-dasharray'] === '5,2')).toBe(true);
    // A failed task marks its step in the flow graph.
    const crashFlow = all[6]!;
    expect(findAll(crashFlow, 'g').filter((g) => g.attrs.class === 'node step failed').map((g) => findAll(g, 'title')[0]!.text)).toEqual(['train']);
  });

  it('shows the size, md5 and digest of a file whose bytes are predicted (a pickled tuple)', async () => {
    const others = pinTimings(await run({ id: 'others', definition: { name: 'OthersFlow', decorators: [wandbLog({ others: true })], steps: [{ name: 'start', body: (s) => s.setattr('pair', py.tuple([py.int(1), py.str('x')])), next: 'end' }, { name: 'end' }] } }));
    const html = await renderHtmlReport(runReport([scenarioReport(others, { path: 'snapshots/others.json', status: 'new', diff: null })], []));
    const pair = others.log.artifacts.find((a) => a.name === 'pair')!;
    expect(pair.digest).toMatch(/^[0-9a-f]{32}$/);
    expect(html).toContain(`<td><code class="digest">${pair.digest}</code></td>`);
    expect(html).toContain(`<tr><td><code>pair.pkl</code></td><td class="num">${pair.files[0]!.size} B</td><td><code class="digest">${pair.files[0]!.md5}</code></td></tr>`);
  });

  it('shows config, summary, history, artifacts with files and digests, diagnostics, and the diff of the failure', () => {
    const linear = page.slice(page.indexOf('id="s-linear"'), page.indexOf('id="s-foreach-latest"'));
    expect(linear).toContain('<tr><th scope="row">alpha</th><td><code>0.5</code></td></tr>');
    expect(linear).toContain('<tr><th scope="row">accuracy</th><td><code>0.91</code></td></tr>');
    expect(linear).toMatch(/<table class="grid" data-table="history">.*<td class="num">0<\/td><td><code>0.91<\/code><\/td>/s);
    // The dataset's parquet is not predicted (pyarrow's bytes): the page says so instead of showing an md5.
    const rawDf = report.scenarios[0]!.result.log.artifacts.find((a) => a.name === 'raw_df')!;
    expect(rawDf.digest).toBeNull();
    expect(linear).toContain('<td><code class="digest">unknown</code></td>');
    expect(linear).toContain(`<tr><td><code>raw_df.parquet</code></td><td class="num">?</td><td>bytes not predicted: ${q((rawDf.files[0] as { unknown: string }).unknown)}</td></tr>`);
    const latest = page.slice(page.indexOf('id="s-foreach-latest"'), page.indexOf('id="s-foreach-pinned"'));
    expect(latest).toContain('<tr class="error" data-code="LATEST_MISMATCH">');
    expect(latest).not.toContain('class="failure"');
    const failed = page.slice(page.indexOf('id="s-foreach-pinned"'), page.indexOf('id="s-crashing"'));
    expect(failed).toContain('<span class="del">-        &quot;model:v2&quot;</span>\n<span class="add">+        &quot;model:v0&quot;</span>');
  });

  it('escapes everything a scenario controls, in text, attributes and graphs', async () => {
    const NASTY = `<script>alert(1)</script>&lt;"'\\N`;
    const r = pinTimings(await run({ id: NASTY, definition: linearFlow('NastyFlow', `</td><img src=x onerror=alert(1)>`) }));
    const html = await renderHtmlReport(runReport([scenarioReport(r, { path: NASTY, status: 'mismatch', diff: `+<b>${NASTY}</b>` })]));
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('data-scenario="&lt;script&gt;alert(1)&lt;/script&gt;&amp;lt;&quot;&#39;\\N"');
    expect(html).toContain('<code>&quot;&lt;/td&gt;&lt;img src=x onerror=alert(1)&gt;&quot;</code>');
    expect(html).toContain('id="s-_script_alert_1_script_lt_N"');
  });

  it('keeps Graphviz from reinterpreting names: quotes, backslashes, entity-like text and newlines come back as given', async () => {
    const viz = await loadGraphviz();
    const name = 'we"ird\\N &lt; <x>\nline';
    const log = { format: 'tracked-flows/log@1' as const, unsupported: [], runs: [], artifacts: [{ name, type: 't', version: 'v0', digest: 'd', aliases: [], files: [], created_by: null, used_by: [] }] };
    const svg = parseXml(renderSvg(viz, lineageDot(log, [], 'p')).value);
    // The node name is a DOT string: its backslash stays doubled in the title, everything else is the name itself.
    expect(titles(svg, 'node')).toEqual([`we"ird\\\\N &lt; <x>\\nline:v0`]);
    const text = findAll(svg, 'text').map((t) => t.text);
    expect(text).toEqual(['we"ird\\N &lt; <x>', 'line:v0', 't']);
  });

  it('gives scenarios whose ids share a slug distinct anchors', () => {
    const s = report.scenarios[0]!;
    const renamed = (id: string) => ({ ...s, result: { ...s.result, scenario: id } });
    expect(scenarioAnchors([renamed('a/b'), renamed('a.b'), renamed('a_b')])).toEqual(['s-a_b', 's-a_b-2', 's-a_b-3']);
  });
});

describe('the live page', () => {
  it('shows the log and carries the hash the poller compares; its only script is allowed by its own hash', async () => {
    const log = report.scenarios[0]!.result.log;
    const html = await renderLivePage(log, { url: 'http://127.0.0.1:1' });
    expect(html).toContain(`data-log-hash="${logHash(serializeLog(log))}"`);
    expect(html).toContain('<details class="run finished" data-run="run-2" open>');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(q(`script-src 'sha256-${hash}'; connect-src 'self'`));
    expect(script).toContain("fetch('/_harness/log'");
  });

  it('hashes with FNV-1a 32 (reference vectors), the same function the page runs', () => {
    expect(['', 'a', 'foobar'].map(logHash)).toEqual(['811c9dc5', 'e40c292c', 'bf9cf968']);
  });
});
