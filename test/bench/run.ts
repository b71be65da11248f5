// `npm run bench`: the DESIGN §6 figures, as a table on stdout and the same rows as JSON in
// test-output/bench/bench.json. BENCH_QUICK=1 shrinks every size (a smoke run, not figures to quote);
// BENCH_ONLY=e2e,suite,scaling,hashing,replay,property,blobs picks sections.

import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { endToEnd, md5InMemoryMiBps, propertyCost, quick, replay, suite, type Row } from './cases.ts';
import { bigFiles } from './blobs.ts';
import { child } from './spawn.ts';
import { summarize } from './stats.ts';

const only = process.env.BENCH_ONLY?.split(',');
const want = (section: string) => !only || only.includes(section);

// 3. Scaling: a foreach of n, per size in its own process. Per-task cost = median time / (n + 3) tasks.
function scaling(): Row[] {
  const sizes = quick ? [10, 100, 1000] : [10, 100, 1000, 10_000];
  const rows: Row[] = [];
  const series: [string, string, string, number, string?][] = [
    ['plain', 'msw', 'flow runtime alone, children do not read self.input', Infinity, 'no-input'],
    ['plain', 'msw', 'flow runtime alone (no @wandb_log)', Infinity],
    ['tracked', 'direct', '@wandb_log on the flow, client -> backend.handle (no msw)', Infinity],
    ['tracked', 'msw', '@wandb_log on the flow, through msw (the runner)', quick ? 100 : 10_000],
  ];
  for (const [tracked, transport, label, maxSize, input] of series) {
    const g = `3. scaling: foreach of n, ${label}`;
    let prev: { n: number; ms: number } | null = null;
    for (const size of sizes.filter((s) => s <= maxSize)) {
      const r = child(['scale', String(size), tracked, transport, ...(input ? [input] : [])]);
      const t = summarize(r.times!);
      const perTask = t.median / (size + 3);
      const ratio = prev ? `x${(t.median / prev.ms).toFixed(1)} time for x${size / prev.n} tasks` : '';
      const plain = tracked === 'plain';
      rows.push({
        group: g, name: `n = ${size.toLocaleString('en')}`, unit: 'ms', value: t,
        ...(plain ? { target: 'per task < 0.5 ms', ok: perTask < 0.5 } : {}),
        note: `${perTask.toFixed(3)} ms/task; peak RSS ${r.peakRssMiB!.toFixed(0)} MiB (base ${r.baseRssMiB!.toFixed(0)}), heap ${r.peakHeapMiB!.toFixed(0)} MiB${ratio ? `; ${ratio}` : ''}`,
      });
      prev = { n: size, ms: t.median };
    }
  }
  return rows;
}

// 4. Hashing: generated under the OS temp dir, deleted after.
function hashing(): Row[] {
  const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-bench-'));
  const rows: Row[] = [];
  try {
    const ceiling = md5InMemoryMiBps();
    rows.push({ group: '4. hashing', name: 'md5 over bytes in memory (CPU ceiling)', unit: 'MiB/s', value: ceiling });
    const fileSizes = quick ? [16 << 20, 64 << 20] : [64 << 20, 1 << 30];
    for (const size of fileSizes) {
      const path = join(dir, `file-${size}`);
      writeFile(path, size);
      const runs = quick ? 1 : 3;
      const ours = Array.from({ length: runs }, () => child(['hash-file', path]));
      const raw = Array.from({ length: runs }, () => child(['raw-file', path]));
      const mibps = (xs: typeof ours) => summarize(xs.map((x) => size / 2 ** 20 / (x.ms! / 1000)));
      const o = mibps(ours);
      const w = mibps(raw);
      const ratio = o.median / w.median;
      rows.push({
        group: '4. hashing', name: `one file of ${fmtBytes(size)}: md5FileBase64`, unit: 'MiB/s', value: o, target: '>= 80% of raw md5', ok: ratio >= 0.8,
        note: `raw md5 (readSync 1 MiB + createHash) ${w.median.toFixed(0)} MiB/s: ratio ${(100 * ratio).toFixed(0)}%; peak RSS ${Math.max(...ours.map((x) => x.peakRssMiB!)).toFixed(0)} MiB (raw ${Math.max(...raw.map((x) => x.peakRssMiB!)).toFixed(0)})`,
      });
      rmSync(path);
    }
    const counts = quick ? [1000, 10_000] : [10_000, 100_000];
    for (const count of counts) {
      const sub = join(dir, `dir-${count}`);
      mkdirSync(sub);
      for (let i = 0; i < count; i++) writeFileSync(join(sub, `f${String(i).padStart(6, '0')}.txt`), `row ${i},${(i * 7919) % 1000}\n`.repeat(1 + (i % 16)));
      // Alternated, so neither side always reads a directory the other just warmed.
      const ours: ReturnType<typeof child>[] = [];
      const raw: ReturnType<typeof child>[] = [];
      for (let r = 0; r < (quick ? 1 : 3); r++) {
        ours.push(child(['hash-dir', sub]));
        raw.push(child(['raw-dir', sub]));
      }
      const rate = (xs: typeof ours) => summarize(xs.map((x) => count / (x.ms! / 1000)));
      const o = rate(ours);
      const w = rate(raw);
      const ratio = o.median / w.median;
      rows.push({
        group: '4. hashing', name: `${count.toLocaleString('en')} small files: prepareArtifact`, unit: 'files/s', value: o, target: '>= 80% of raw md5', ok: ratio >= 0.8,
        note: `${fmtBytes(ours[0]!.bytes!)}; raw (readFileSync + one-shot md5 per file) ${w.median.toFixed(0)} files/s: ratio ${(100 * ratio).toFixed(0)}%; peak RSS ${Math.max(...ours.map((x) => x.peakRssMiB!)).toFixed(0)} MiB (raw ${Math.max(...raw.map((x) => x.peakRssMiB!)).toFixed(0)}): the manifest's entries, not the bytes`,
      });
      rmSync(sub, { recursive: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function writeFile(path: string, size: number): void {
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24; // not all zeros, not compressible-looking
  const fd = openSync(path, 'w');
  try {
    for (let off = 0; off < size; off += chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, size - off));
  } finally {
    closeSync(fd);
  }
}

const fmtBytes = (b: number) => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`);
const fmt = (x: number) => (x >= 1000 ? Math.round(x).toLocaleString('en') : x >= 10 ? x.toFixed(1) : x.toFixed(3));

function print(rows: readonly Row[]): void {
  let group = '';
  for (const r of rows) {
    if (r.group !== group) console.log(`\n${(group = r.group)}`);
    const v = `${fmt(r.value.median)} ${r.unit}`.padStart(22);
    const spread = `[${fmt(r.value.min)} .. ${fmt(r.value.max)}, n=${r.value.runs}]`.padEnd(30);
    const target = r.target ? `${r.ok ? 'MET   ' : 'MISSED'} ${r.target}` : '';
    console.log(`  ${r.name.padEnd(58)} ${v} ${spread} ${target}${r.note ? `\n      ${r.note}` : ''}`);
  }
}

const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memGiB: Math.round(totalmem() / 2 ** 30), platform: `${process.platform} ${process.arch}`, quick };
console.log(`tracked-flows bench: Node ${machine.node}, ${machine.cpus} x ${machine.cpu}, ${machine.memGiB} GiB${quick ? ' (BENCH_QUICK: sizes shrunk)' : ''}`);
const rows: Row[] = [];
const sections: [string, () => Promise<Row[]> | Row[]][] = [
  ['e2e', endToEnd], ['suite', suite], ['scaling', scaling], ['hashing', hashing], ['replay', replay], ['property', propertyCost], ['blobs', bigFiles],
];
for (const [name, f] of sections) {
  if (!want(name)) continue;
  const got = await f();
  print(got);
  rows.push(...got);
}
mkdirSync('test-output/bench', { recursive: true });
writeFileSync('test-output/bench/bench.json', `${JSON.stringify({ machine, date: new Date().toISOString(), rows }, null, 2)}\n`);
const missed = rows.filter((r) => r.ok === false);
console.log(`\n${missed.length === 0 ? 'all targets met' : `missed: ${missed.map((r) => `${r.group} / ${r.name}`).join('; ')}`}\nwrote test-output/bench/bench.json`);
