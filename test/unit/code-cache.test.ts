// bin/code-cache.cjs: how the built CLI starts from V8's code cache. Each case runs in a fresh Node process, as
// the bin does (a cache is only worth something to a process that has not compiled the code yet), over a small
// CommonJS bundle written here. The whole CLI through it is in test/e2e/package.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const LOADER = new URL('../../bin/code-cache.cjs', import.meta.url).pathname;
const V8 = process.versions.v8;

// A bundle as the build makes one: CommonJS, `require` of a built-in, and __imp$() where it imports a package at
// run time (here one that is ES modules only: vitest's own dependency, tinypool).
const BUNDLE = `
const { join } = require('node:path');
function answer(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }
exports.answer = answer;
exports.where = () => join(__dirname, 'x');
exports.pool = () => __imp$('tinypool').then((m) => typeof m.default);
`;

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
  writeFileSync(join(dir, 'main.cjs'), BUNDLE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Loads the bundle in a new process; `then` runs there with `cli` in scope and prints JSON. */
function load(then: string, env: NodeJS.ProcessEnv = {}, options = '{}'): { accepted: boolean; out: unknown } {
  const program = `
    const { loadBundle } = require(${JSON.stringify(LOADER)});
    const cli = loadBundle(${JSON.stringify(join(dir, 'main.cjs'))}, ${options});
    Promise.resolve(${then}).then((out) => console.log(JSON.stringify({ accepted: cli.accepted, out })));
  `;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TRACKED_FLOWS_CACHE_DIR|XDG_CACHE_HOME|HOME)$/.test(k)));
  const r = spawnSync(process.execPath, ['-e', program], { env: { ...clean, ...env }, encoding: 'utf8', cwd: process.cwd() });
  if (r.status !== 0) throw new Error(`the loader failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { accepted: boolean; out: unknown };
}

describe('starting a bundle from its code cache (bin/code-cache.cjs)', () => {
  it('without a cache: compiles and runs; the cache it saves is accepted by the next process, which runs the same', () => {
    const first = load('cli.saveCache() && cli.exports.answer(10)', {}, '{ userCache: false }');
    expect(first).toEqual({ accepted: false, out: 45 });
    expect(existsSync(join(dir, `main.cjs.${V8}.cache`))).toBe(true);
    expect(load('[cli.exports.answer(10), cli.exports.where()]', {}, '{ userCache: false }')).toEqual({ accepted: true, out: [45, join(dir, 'x')] });
  });

  it('import() of a package from a script compiled from the cache works (Node 20 alone loses the callback there)', () => {
    load('cli.saveCache()', {}, '{ userCache: false }');
    expect(load('cli.exports.pool()', {}, '{ userCache: false }')).toEqual({ accepted: true, out: 'function' });
  });

  it('a cache V8 refuses (not one, or made for other code) changes nothing but speed', () => {
    writeFileSync(join(dir, `main.cjs.${V8}.cache`), 'not a code cache');
    expect(load('cli.exports.answer(4)', {}, '{ userCache: false }')).toEqual({ accepted: false, out: 6 });
  });

  it("a refused shipped cache: the run writes the user's own, keyed by the bundle and V8, and the next run takes it", () => {
    const own = join(dir, 'own');
    writeFileSync(join(dir, `main.cjs.${V8}.cache`), 'not a code cache');
    expect(load('cli.saveUserCache() && cli.exports.answer(3)', { TRACKED_FLOWS_CACHE_DIR: own })).toEqual({ accepted: false, out: 3 });
    expect(readdirSync(own)).toEqual([expect.stringMatching(new RegExp(`^main\\.cjs\\.\\d+-\\d+\\.${V8.replace(/\./g, '\\.')}\\.cache$`))]);
    expect(load('cli.exports.answer(3)', { TRACKED_FLOWS_CACHE_DIR: own })).toEqual({ accepted: true, out: 3 });
    // XDG_CACHE_HOME is the next choice, under tracked-flows/.
    expect(load('cli.saveUserCache()', { XDG_CACHE_HOME: join(dir, 'xdg') }).out).toBe(true);
    expect(readdirSync(join(dir, 'xdg', 'tracked-flows'))).toHaveLength(1);
  });

  it('with no home and no cache directory named, writes nowhere (never a shared /tmp)', () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('tracked-flows'));
    expect(load('cli.saveUserCache()', { HOME: '' }).out).toBe(false);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('tracked-flows'))).toEqual(before);
  });
});
