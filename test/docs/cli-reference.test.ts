// docs/reference/cli.md against the CLI's own --help (issue 28): each command's help, as the CLI prints it, is a
// transcript block there, byte for byte; every command has one; and every flag taking a value says its default.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.ts';
import { blocksOf } from './blocks.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const PAGE = 'docs/reference/cli.md';

async function help(args: string[]): Promise<string> {
  const lines: string[] = [];
  const code = await main([...args, '--help'], { out: (s) => lines.push(s), err: (s) => lines.push(s) });
  expect(code).toBe(0);
  return lines.join('\n');
}

/** The transcripts of cli.md: `$ npx tracked-flows [CMD] --help` -> what the page shows. */
function transcripts(): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of blocksOf(ROOT, PAGE)) {
    const m = /^\$ npx tracked-flows (?:(\S+) )?--help\n/.exec(b.text);
    if (m) out.set(m[1] ?? '', b.text.slice(m[0].length));
  }
  return out;
}

/** `Commands:` of the top-level help. */
function commandsOf(top: string): string[] {
  const lines = top.slice(top.indexOf('Commands:')).split('\n').slice(1);
  const section = lines.slice(0, lines.findIndex((l) => l.trim() === '') >>> 0);
  return section.map((l) => /^ {2}(\S+)/.exec(l)?.[1]).filter((c): c is string => c !== undefined && c !== 'help');
}

/** Each option of a help text, its wrapped lines joined. */
function optionsOf(text: string): string[] {
  const section = text.slice(text.indexOf('Options:')).split('\n').slice(1);
  const out: string[] = [];
  for (const line of section) {
    if (/^ {2}-/.test(line)) out.push(line.trim());
    else if (/^ {3,}\S/.test(line) && out.length) out[out.length - 1] += ` ${line.trim()}`;
    else if (line.trim() === '' || !line.startsWith(' ')) break;
  }
  return out;
}

describe('docs/reference/cli.md is what --help prints', () => {
  const pages = transcripts();

  it('the top-level help, and every command listed there has its block', async () => {
    const top = await help([]);
    expect(pages.get('')).toBe(top);
    const commands = commandsOf(top);
    expect(commands.length).toBeGreaterThan(5);
    expect(commands.filter((c) => !pages.has(c)).map((c) => `${PAGE} has no "$ npx tracked-flows ${c} --help" block`)).toEqual([]);
    const text = readFileSync(`${ROOT}/${PAGE}`, 'utf8');
    for (const c of commands) expect(text, `${PAGE} has no "## ${c}" section`).toContain(`\n## ${c}\n`);
  });

  it('each command: the block is its help, and every flag with a value says its default', async () => {
    const top = await help([]);
    const problems: string[] = [];
    for (const c of commandsOf(top)) {
      const text = await help([c]);
      if (pages.get(c) !== text) problems.push(`${PAGE}: the "${c} --help" block differs from what the CLI prints; paste:\n${text}`);
      for (const o of optionsOf(text)) {
        const takesValue = /^(-\w, )?--[\w-]+ [<[]/.test(o);
        if (takesValue && !/\((?:default: [^)]+|required)\)/.test(o)) problems.push(`tracked-flows ${c}: "${o}" says no default (give one, or write "(default: ...)" in its description)`);
      }
    }
    expect(problems).toEqual([]);
  });
});
