// The fenced examples of the project's Markdown, with the `<!-- doc-test: ... -->` markers written right above
// them. A marker is how a page says what to do with a block the doc test cannot take as it is:
//   skip REASON          not checked here; REASON is listed in the test's report
//   real-sdk REASON      needs the real wandb / Metaflow (the real-SDK tier, npm run test:real); listed
//   file NAME            also write the block to NAME in the page's scratch project (later sh blocks use it)
//   exit N               an sh block that must exit with N (default 0)
//   expect CODE          a scenario block whose plan must report the diagnostic CODE (repeatable)
//   invalid              a scenario block that shows a mistake: it must NOT validate

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Markers {
  skip?: string;
  realSdk?: string;
  file?: string;
  exit?: number;
  expect: string[];
  invalid?: boolean;
}

export interface DocBlock {
  /** The page, relative to the project root. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
  markers: Markers;
}

const MARKER = /^<!--\s*doc-test:\s*([a-z-]+)\s*(.*?)\s*-->$/;

function readMarkers(lines: readonly string[], fence: number, where: string): Markers {
  const m: Markers = { expect: [] };
  for (let i = fence - 1; i >= 0; i--) {
    const hit = MARKER.exec(lines[i]!.trim());
    if (!hit) break;
    const [, name, arg] = hit as unknown as [string, string, string];
    if (name === 'skip') m.skip = arg;
    else if (name === 'real-sdk') m.realSdk = arg;
    else if (name === 'file') m.file = arg;
    else if (name === 'exit') m.exit = Number(arg);
    else if (name === 'expect') m.expect.push(arg);
    else if (name === 'invalid') m.invalid = true;
    else throw new Error(`${where}:${i + 1}: unknown doc-test marker "${name}" (skip, real-sdk, file, exit, expect, invalid)`);
    if ((name === 'skip' || name === 'real-sdk') && arg === '') throw new Error(`${where}:${i + 1}: a ${name} marker says why`);
  }
  return m;
}

/** Every fenced block of one page, in order. A fence without a language is an error: say what it holds. */
export function blocksOf(root: string, page: string): DocBlock[] {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const out: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^\s+```/.test(lines[i]!)) throw new Error(`${page}:${i + 1}: an indented fence: the doc test reads fences at the start of a line only`);
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${page}:${i + 1}: a fence that is never closed`);
    out.push({ page, line: i + 1, lang: open[1]!, text: lines.slice(i + 1, end).join('\n'), markers: readMarkers(lines, i, page) });
    i = end;
  }
  return out;
}

/** README.md, scenarios/README.md and every page under docs/. */
export function docPages(root: string): string[] {
  const pages = ['README.md', 'scenarios/README.md'];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.md')) pages.push(relative(root, p));
    }
  };
  walk(join(root, 'docs'));
  return pages;
}

export const where = (b: DocBlock): string => `${b.page}:${b.line}`;
