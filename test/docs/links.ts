// Links between the pages and to files of the repository: every relative target exists inside the repository,
// and every `#anchor` names a heading of its page (GitHub's slugs). Links out of the repository would be broken
// on GitHub, so they are errors too; web links are not fetched.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, ... */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const h = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = h[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Markdown links outside code: [text](target). */
function linksOf(markdown: string): { line: number; target: string }[] {
  const out: { line: number; target: string }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((line, i) => {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) return;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) out.push({ line: i + 1, target: m[1]! });
  });
  return out;
}

export interface LinkReport { checked: number; broken: string[] }

export function checkLinks(root: string, pages: readonly string[]): LinkReport {
  const broken: string[] = [];
  let checked = 0;
  for (const page of pages) {
    const text = readFileSync(join(root, page), 'utf8');
    for (const { line, target } of linksOf(text)) {
      if (/^[a-z]+:/i.test(target)) continue;
      checked++;
      const at = `${page}:${line}: ${target}`;
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? page : normalize(join(dirname(page), decodeURIComponent(path)));
      if (file.startsWith('..') || relative(root, join(root, file)).startsWith('..')) {
        broken.push(`${at}: leaves the repository (broken on GitHub); name it in code instead`);
        continue;
      }
      if (!existsSync(join(root, file))) {
        broken.push(`${at}: no such file`);
        continue;
      }
      if (anchor !== undefined && !anchorsOf(readFileSync(join(root, file), 'utf8')).has(anchor)) broken.push(`${at}: ${file} has no heading #${anchor}`);
    }
  }
  return { checked, broken };
}
