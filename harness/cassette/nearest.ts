// Explaining a replay miss: the recorded requests nearest to the one that found no answer, with where they
// differ, so the reader sees at once "same operation, other project" rather than a bare 500.

import { stable, type RequestKey } from './normalise.ts';

export interface Candidate {
  /** Index of the interaction in the cassette. */
  index: number;
  family: string;
  /** Differences as `path: got X, recorded Y`: changed values first, then extra and missing fields. */
  differences: string[];
}

function flatten(v: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (Array.isArray(v) && v.length > 0) {
    v.forEach((x, i) => flatten(x, `${prefix}[${i}]`, out));
  } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0 && prefix) out.set(prefix, '{}');
    for (const k of keys) flatten((v as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix || '(body)', stable(v));
  }
  return out;
}

const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function differences(live: RequestKey, recorded: RequestKey): string[] {
  if (live.family !== recorded.family) return []; // another request altogether: its family says enough
  return diffValues(live.norm, recorded.norm);
}

/** Where two normalised values differ, field by field (`prefix` names the whole value). */
export function diffValues(liveValue: unknown, recordedValue: unknown, prefix = ''): string[] {
  const a = flatten(liveValue, prefix, new Map());
  const b = flatten(recordedValue, prefix, new Map());
  const changed: string[] = [];
  const extra: string[] = [];
  const missing: string[] = [];
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined) extra.push(`${k}: got ${clip(v)}, not recorded`);
    else if (w !== v) changed.push(`${k}: got ${clip(v)}, recorded ${clip(w)}`);
  }
  for (const [k, w] of b) if (!a.has(k)) missing.push(`${k}: missing, recorded ${clip(w)}`);
  return [...changed, ...extra, ...missing];
}

/** The `limit` recorded requests nearest to `live` (among those `only` allows): same family first, then fewest differing fields. */
export function nearest(live: RequestKey, recorded: readonly RequestKey[], limit = 3, only: (index: number) => boolean = () => true): Candidate[] {
  const method = live.family.split(' ')[0];
  const scored: { c: Candidate; score: number }[] = [];
  const seen = new Set<string>();
  recorded.forEach((r, index) => {
    if (seen.has(r.key) || r.family.split(' ')[0] !== method || !only(index)) return;
    seen.add(r.key);
    const diffs = differences(live, r);
    const score = (r.family === live.family ? 0 : 1000) + diffs.length;
    scored.push({ c: { index, family: r.family, differences: diffs }, score });
  });
  return scored.sort((x, y) => x.score - y.score || x.c.index - y.c.index).slice(0, limit).map((s) => s.c);
}

export function describeCandidates(cs: Candidate[]): string {
  if (cs.length === 0) return 'nothing with this method was recorded';
  return cs.map((c) => `#${c.index} ${c.family}${c.differences.length ? ` (${c.differences.slice(0, 3).join('; ')}${c.differences.length > 3 ? `; +${c.differences.length - 3} more` : ''})` : ''}`).join(' | ');
}
