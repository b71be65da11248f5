// Console, JSON and JUnit reporters over real results (flows run through the runner and the mock backend).
import { beforeAll, describe, expect, it } from 'vitest';
import { createReporter, renderJsonReport, renderJunitReport, type RunReport } from '../../../harness/report/index.ts';
import { MISMATCH_DIFF, linearFlow, pinTimings, runReport, sampleReport, scenarioReport } from '../../fixtures/report/results.ts';
import { run } from '../../helpers/flows.ts';
import { findAll, parseXml } from './strict-xml.ts';

let report: RunReport;
beforeAll(async () => {
  report = await sampleReport();
});

const NASTY = 'a<b>&"c\'\u0001]]>\u001b[31m\nend';

describe('console reporter', () => {
  it('off a TTY: one plain line per scenario, the failure with its diff, then the summary line', async () => {
    const text = createReporter('console', { tty: false, color: false }).render(report) as string;
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual(['✓ linear', '✓ foreach-latest', '✗ foreach-pinned', '✓ crashing']);
    expect(text).toContain(`foreach-pinned: the log differs from snapshots/foreach-pinned.json\n${MISMATCH_DIFF}\n`);
    expect(text).toContain('snapshots/gone.json');
    expect(lines.at(-2)).toBe('3 passed, 1 failed (snapshots: 1 new, 0 updated, 1 obsolete)');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toMatch(/\x1b/);
  });

  it('on a TTY: a progress line rewritten per scenario and erased at the end; the rendering lists only failures', async () => {
    const frames: string[] = [];
    const reporter = createReporter('console', { tty: true, color: false, progress: (t) => frames.push(t) });
    report.scenarios.forEach((s, i) => reporter.onScenario!(s, i, report.scenarios.length));
    expect(frames).toEqual(['\r\x1b[2K[1/4] ✓ linear', '\r\x1b[2K[2/4] ✓ foreach-latest', '\r\x1b[2K[3/4] ✗ foreach-pinned', '\r\x1b[2K']);
    const text = reporter.render(report) as string;
    expect(text.startsWith('✗ foreach-pinned\n')).toBe(true);
    expect(text).not.toContain('✓ linear');
  });

  it("without a TTY, a sink gets each scenario's line as it finishes, and the rendering does not repeat it", () => {
    const lines: string[] = [];
    const reporter = createReporter('console', { tty: false, color: false, progress: (t) => lines.push(t) });
    report.scenarios.slice(0, 2).forEach((s, i) => reporter.onScenario!(s, i, report.scenarios.length));
    expect(lines).toEqual(['✓ linear\n', '✓ foreach-latest\n']);
    const text = reporter.render(report) as string;
    expect(text.split('\n').slice(0, 2)).toEqual(['✗ foreach-pinned', '✓ crashing']);
  });

  it('colours marks and diff lines only when asked, and never lets a scenario drive the terminal', async () => {
    const coloured = createReporter('console', { tty: false, color: true }).render(report) as string;
    expect(coloured).toContain('\x1b[31m✗\x1b[0m foreach-pinned');
    expect(coloured).toContain('\x1b[32m+        "model:v0"\x1b[0m');
    const nasty = runReport([{ ...report.scenarios[2]!, result: { ...report.scenarios[2]!.result, scenario: NASTY } }]);
    const text = createReporter('console', { tty: false, color: false }).render(nasty) as string;
    expect(text.split('\n')[0]).toBe('✗ a<b>&"c\'\\x01]]>\\x1b[31m\\x0aend');
    expect(text).not.toContain('\u001b');
  });
});

describe('JSON reporter', () => {
  it('is the RunReport itself, keys sorted at every depth, same bytes for the same report', () => {
    const text = renderJsonReport(report);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
    const keysSorted = (v: unknown): boolean =>
      Array.isArray(v) ? v.every(keysSorted)
        : v !== null && typeof v === 'object' ? Object.keys(v).every((k, i, ks) => i === 0 || ks[i - 1]! < k) && Object.values(v).every(keysSorted) : true;
    expect(keysSorted(JSON.parse(text))).toBe(true);
    // The same data built with keys in another order gives the same bytes.
    const reordered = JSON.parse(JSON.stringify(report, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)));
    expect(renderJsonReport(reordered)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('JUnit reporter', () => {
  it('writes one testsuite with one testcase per scenario; a failure holds the diff; hazards are properties', () => {
    const xml = parseXml(renderJunitReport(report));
    const suites = findAll(xml, 'testsuite');
    expect(suites).toHaveLength(1);
    expect(suites[0]!.attrs).toMatchObject({ tests: '4', failures: '1', errors: '0' });
    const cases = findAll(xml, 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(['linear', 'foreach-latest', 'foreach-pinned', 'crashing']);
    expect(cases.map((c) => findAll(c, 'failure').length)).toEqual([0, 0, 1, 0]);
    const failure = findAll(cases[2]!, 'failure')[0]!;
    expect(failure.text).toBe(MISMATCH_DIFF);
    expect(failure.attrs.type).toBe('SNAPSHOT_MISMATCH');

    const props = (c: (typeof cases)[number]) => findAll(c, 'property').map((p) => [p.attrs.name, p.attrs.value]);
    const latest = props(cases[1]!).filter(([n]) => n === 'hazard.LATEST_MISMATCH');
    expect(latest).toHaveLength(2);
    expect(latest[0]![1]).toMatch(/^evaluate model: ForeachModels\/1\/evaluate\/5 used "model:latest", which resolved to model:v2/);
    expect(props(cases[1]!)).toContainEqual(['hazard.SIBLING_WRITE', expect.stringMatching(/^train model: 3 tasks/)]);
    // A crash is a fact of the run, not a hazard; the flow's status travels too.
    expect(props(cases[3]!)).toContainEqual(['diagnostic.TASK_FAILED', expect.stringMatching(/^train: CrashingFlow\/1\/train\/2 failed/)]);
    expect(props(cases[3]!)).toContainEqual(['flow.status', 'failed']);
    expect(props(cases[0]!).filter(([n]) => n!.startsWith('hazard.'))).toEqual([]);
  });

  it('stays well-formed whatever the scenario id, file, diff and messages hold', async () => {
    const linear = pinTimings(await run({ id: NASTY, definition: linearFlow('NastyFlow', NASTY) }));
    const nasty = runReport([{
      ...scenarioReport(linear, { path: `snap/${NASTY}`, status: 'mismatch', diff: `-${NASTY}\n+</failure><x>` }),
      file: NASTY,
      result: { ...linear, diagnostics: [{ code: 'LATEST_MISMATCH', severity: 'error', step: '<s>', variable: '&v', message: NASTY }] },
    }]);
    const xml = parseXml(renderJunitReport(nasty));
    const tc = findAll(xml, 'testcase')[0]!;
    // Characters XML cannot carry are shown as \uXXXX; everything else comes back exactly.
    const shown = NASTY.replace('\u0001', '\\u0001').replace('\u001b', '\\u001b');
    expect(tc.attrs.name).toBe(shown);
    expect(tc.attrs.classname).toBe(shown);
    expect(findAll(tc, 'failure')[0]!.text).toBe(`-${shown}\n+</failure><x>`);
    expect(findAll(tc, 'property').find((p) => p.attrs.name === 'hazard.LATEST_MISMATCH')!.attrs.value).toBe(`<s> &v: ${shown}`);
  });
});
