// Starting the built CLI from V8's code cache. A cold `plan` spends ~60 ms of its ~0.25 s parsing and compiling
// the CLI's JavaScript (~1 MB bundled); V8 can instead deserialize the bytecode of a previous run. Node 20 gives
// ES modules no such cache (module.enableCompileCache is Node 22), so the build also makes the CLI one CommonJS
// bundle (dist/cli/main.cjs) and this module compiles it as a vm.Script with the cache V8 made for it.
//
// Where the cache comes from:
//   - dist/cli/main.cjs.<V8 version>.cache: made by the build (scripts/build.mjs) after a warm-up run, so it holds
//     the functions a `validate` and a `plan` run, not only the top level. Measured: with it a cold `plan` takes
//     ~0.2 s; with a cache of the top level only, ~0.26 s.
//   - one in the user's cache directory ($TRACKED_FLOWS_CACHE_DIR, else $XDG_CACHE_HOME/tracked-flows or
//     ~/.cache/tracked-flows; none without a home), written by a run whose V8 refused the shipped one (another
//     Node version), as Node 22's compile cache does for itself. It is read first: it exists only where the
//     shipped one was refused.
// A refused cache costs nothing but the compile it would have saved: the run goes on, then writes its own. A
// cache holds bytecode of the bundle's own source, never a run-time value (no key, no token).

'use strict';
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { homedir } = require('node:os');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');

// CommonJS's module wrapper, and one more parameter: the bundle's import() of the packages left outside it
// (Graphviz, tinypool) is rewritten by the build to __imp$(), because a script compiled from a code
// cache loses its dynamic-import callback in Node 20 (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). This module's
// own import() is a real module's: it resolves from the same package.
const WRAP = ['(function (exports, require, module, __filename, __dirname, __imp$) {', '\n})'];
const importFromPackage = (specifier) => import(specifier);

/**
 * Where a run keeps the cache it made itself: $TRACKED_FLOWS_CACHE_DIR, else the user's cache directory. Never a
 * shared directory such as /tmp: V8 would run whatever bytecode another user left there.
 */
function userCacheDir() {
  if (process.env.TRACKED_FLOWS_CACHE_DIR) return process.env.TRACKED_FLOWS_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || (homedir() && join(homedir(), '.cache'));
  return base ? join(base, 'tracked-flows') : null;
}

function readOrNull(file) {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** Writes to a temporary name and renames: a reader never sees half a cache. Failures are not the command's. */
function writeAtomically(file, data) {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles and evaluates a CommonJS bundle, from its code cache when there is one V8 accepts, and returns its
 * exports with `saveCache()`, which writes the cache of what has run so far (the build calls it after a warm-up;
 * the bin after a command, when no cache was accepted).
 */
function loadBundle(bundle, { userCache = true } = {}) {
  const source = readFileSync(bundle, 'utf8');
  const shipped = `${bundle}.${process.versions.v8}.cache`;
  // The user's copy is keyed by the bundle's size and time too, so an upgraded package never meets an old cache.
  const stat = statSync(bundle);
  const dir = userCache ? userCacheDir() : null;
  const own = dir && join(dir, `${basename(bundle)}.${stat.size}-${Math.trunc(stat.mtimeMs)}.${process.versions.v8}.cache`);
  // The user's own first: it exists only because the shipped one was refused here before.
  const cachedData = (own ? readOrNull(own) : null) ?? readOrNull(shipped) ?? undefined;
  const script = new vm.Script(WRAP[0] + source + WRAP[1], {
    filename: bundle,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle), importFromPackage);
  const accepted = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: module.exports,
    accepted,
    saveCache: () => writeAtomically(shipped, script.createCachedData()),
    saveUserCache: () => (own ? writeAtomically(own, script.createCachedData()) : false),
  };
}

module.exports = { loadBundle };
