// Timing and memory helpers. Every figure is a median over repeated runs, reported with min and max, so one
// GC pause or a noisy neighbour shows up as spread instead of moving the headline number.

export interface Summary { median: number; min: number; max: number; runs: number }

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, runs: s.length };
}

/** Milliseconds per call of `fn`, after `warmup` unmeasured calls (JIT, module caches, msw's lazy setup). */
export async function timeRuns(fn: () => Promise<unknown> | unknown, runs: number, warmup = 2): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

/** Applies `f` to each of median/min/max (e.g. ms -> ops/s, which swaps min and max). */
export function mapSummary(s: Summary, f: (x: number) => number): Summary {
  const [a, b] = [f(s.min), f(s.max)];
  return { median: f(s.median), min: Math.min(a, b), max: Math.max(a, b), runs: s.runs };
}

/**
 * Peak RSS while `fn` runs, sampled every few ms on top of the kernel's high-water mark. The kernel's maxRSS
 * never goes down, so a per-size peak needs a fresh process per size (see child.ts); the sampler adds the
 * heap peak, which maxRSS does not split out.
 */
export async function withPeakMemory<T>(fn: () => Promise<T>): Promise<{ value: T; peakRssMiB: number; peakHeapMiB: number; baseRssMiB: number }> {
  const baseRssMiB = process.memoryUsage.rss() / 2 ** 20;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); }, 5);
  try {
    const value = await fn();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    return { value, peakRssMiB: process.resourceUsage().maxRSS / 1024, peakHeapMiB: peakHeap / 2 ** 20, baseRssMiB };
  } finally {
    clearInterval(timer);
  }
}
