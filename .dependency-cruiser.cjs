// The house's import rules (DESIGN.md §2) as code. `npm run lint:deps` checks src/, harness/ and bin/ against
// them and `.ci/run` fails on any violation not listed in .dependency-cruiser-known-violations.json.
//
// Type-only imports (`import type`, `import { type X }`): the graph holds them, tagged "type-only"
// (tsPreCompilationDeps: true). They count for the layer rules: a type is part of a layer's surface, and a
// harness file naming a type from src/values/ deep paths couples to src's insides as much as a value import.
// They do not count for circles: they are erased at build (verbatimModuleSyntax), so they make no load-order
// cycle, and the mutually recursive types of src/flow (a step's `self`, its join `inputs`) and src/values are
// fine as TypeScript. (tsPreCompilationDeps: false would drop them from the graph, but dependency-cruiser
// then transpiles every file and TypeScript 6.0's transpileModule crashes on four files of harness/python.)
// Known blind spot: dependency-cruiser finds one circle per import and only then drops it if it runs through a
// type-only import, so a real circle hides when every import in it has a type-only import back (a -> b -> c
// -> a, with b, c, a each importing a type from the one before). Two-module circles are always seen.
// Write an import of types only as `import type { X }`: `import { type X }` is also tagged type-only here, but
// under verbatimModuleSyntax it still loads the module (`import {} from`), so it could hide a real circle.

/**
 * What the library models of harness/python/libraries/ may import of harness/python besides each other: the
 * interpreter's values layer and the host interface the interpreter implements for them (and ast.ts for
 * source positions). An allow-list, so that a new or renamed module of the interpreter (interpreter, evaluate,
 * calls, attributes, methods, targets, flow today) is still out of bounds.
 */
const MODEL_IMPORTS = ['libraries/.+', 'ast', 'host', 'interp-values', 'opaque', 'ops'];

/**
 * The layers of harness/python (DESIGN §2), bottom up, as module names: syntax (source -> AST with positions,
 * and the diagnostics that point into it) <- the interpreter's values (what an expression evaluates to, unknowns
 * included, and the operations on values alone) <- library models (libraries/, see MODEL_IMPORTS) <- semantics
 * (evaluation, calls, attributes, statements, tasks) <- the front end (flow class, CLI, import). The two lower
 * layers are closed lists, so a new module is out of them until it is placed there on purpose.
 */
const PYTHON_SYNTAX = ['ast', 'literals', 'parse-expressions', 'parse', 'diagnostics'];
const PYTHON_VALUES = ['interp-values', 'opaque', 'ops', 'items', 'host', 'values-file'];

/** A regular expression for modules of harness/python named in `names`. */
const python = (names) => `^harness/python/(${names.join('|')})\\.ts$`;

/**
 * The entry points: the public entries of package.json's `exports` (src/index.ts, harness/index.ts,
 * harness/vitest/index.ts), the CLI (bin/, harness/cli/main.ts, which bin/ loads by path) and the pool worker,
 * which tinypool loads by file name.
 */
const ENTRIES = [
  '^src/index\\.ts$',
  '^harness/index\\.ts$',
  '^harness/vitest/index\\.ts$',
  '^harness/cli/main\\.ts$',
  '^harness/runner/pool-worker\\.mjs$',
  '^bin/',
];

/** A regular expression for a layer's folder, e.g. `^src/flow/`. */
const layer = (name) => `^src/${name}/`;

/** A rule that fails the lint: modules matching `from` never import modules matching `to`. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

/** One arrow against DESIGN §2's: layer `from` never imports layer `to`. */
const forbidArrow = (from, to, why) =>
  forbid(`not-${from}-to-${to}`, why, { path: layer(from) }, { path: layer(to) });

/** A folder of src/ that imports nothing else of src/ but src/common; `folders`: a regular-expression alternation. */
const leaf = (name, folders, why) =>
  forbid(name, why, { path: `^src/(${folders})/` }, { path: '^src/', pathNot: ['^src/$1/', '^src/common/'] });

module.exports = {
  forbidden: [
    forbid(
      'no-circular',
      'No import circle in src/ or harness/ (DESIGN §2: "no circles anywhere"). A circle makes load order ' +
        'decide which module sees the other half-initialised, and the modules in it can only be understood, ' +
        'tested and replaced together. Counts imports that survive the build; type-only ones do not count ' +
        '(see the header).',
      { path: '^(src|harness)/' },
      { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    ),
    forbid(
      'harness-through-src-index',
      'harness/ reaches src/ only through src/index.ts (DESIGN §2), so src/ can move its insides freely and ' +
        'the harness tests the same surface a user gets.',
      { path: '^harness/' },
      { path: '^src/', pathNot: '^src/index\\.ts$' },
    ),
    forbid(
      'backend-not-client',
      'The mock backend never imports the W&B client (src/wandb): it must understand the wire protocol on ' +
        "its own, so it cannot share the client's bugs and it can serve any SDK (DESIGN §2).",
      { path: layer('backend') },
      { path: layer('wandb') },
    ),
    leaf(
      'protocol-and-values-are-leaves',
      'protocol|values',
      'src/protocol (wire types and constants) and src/values (the value model) import no other part of ' +
        'src/: everything else builds on them, so anything they imported would sit below them too. Node and ' +
        'npm packages are fine, and so is src/common, the leaf below every layer.',
    ),
    leaf(
      'common-is-a-leaf',
      'common',
      'src/common holds the few helpers several layers share (a seeded random source); it may import ' +
        'nothing of src/, or it would tie those layers together through the back door.',
    ),
    forbid(
      'src-not-to-index',
      'src/index.ts is the API over the layers, never a dependency of one: a layer importing it would ' +
        'import every other layer.',
      { path: '^src/.+/' },
      { path: '^src/index\\.ts$' },
    ),
    forbid(
      'src-not-to-harness',
      'src/ is the product and harness/ is built on it (DESIGN §2: harness -> src, never back).',
      { path: '^src/' },
      { path: '^harness/' },
    ),
    forbid(
      'library-models-not-to-interpreter',
      "The library models of harness/python/libraries/ are plug-ins: they import only the interpreter's " +
        'values and a narrow host interface, never the interpreter itself, so a model can be added or ' +
        'tested without the evaluator and the evaluator never depends on which models exist (issue 25).',
      { path: '^harness/python/libraries/' },
      { path: '^harness/python/', pathNot: `^harness/python/(${MODEL_IMPORTS.join('|')})\\.ts$` },
    ),
    forbid(
      'python-syntax-is-a-leaf',
      "harness/python's syntax layer (parser, AST, diagnostics) imports no other part of src/ or harness/: it " +
        'reads source text into positions and nodes, knows nothing of values or the run, and everything else ' +
        'of the interpreter builds on it (npm packages such as @lezer/python are fine).',
      { path: python(PYTHON_SYNTAX) },
      { path: '^(src|harness)/', pathNot: python(PYTHON_SYNTAX) },
    ),
    forbid(
      'python-values-below-semantics',
      "harness/python's values layer imports of harness/python only the syntax layer and itself: values and " +
        'the operations on them (items, operators, unknowns as data, the Host interface) never reach the ' +
        'evaluator, the run context or the library models, so the models can build on it and the evaluator ' +
        'can import it without a circle. src/index.ts and the scenario model (the values file) stay allowed.',
      { path: python(PYTHON_VALUES) },
      { path: '^harness/python/', pathNot: [python(PYTHON_SYNTAX), python(PYTHON_VALUES)] },
    ),
    // The arrows of DESIGN §2: values <- flow <- integration -> wandb -> protocol <- backend. Every arrow
    // against them is forbidden: the reverse of each (and of what they imply, e.g. wandb -> integration), and
    // the pairs the chain keeps apart (flow and wandb, flow and backend, wandb and backend, integration and
    // backend). What the arrows imply stays allowed (integration -> values, integration -> protocol). values
    // and protocol import no layer at all (protocol-and-values-are-leaves).
    forbidArrow('flow', 'integration', 'The flow runtime knows nothing of @wandb_log: integration plugs into it.'),
    forbidArrow('flow', 'wandb', 'The flow runtime knows nothing of W&B; integration joins the two.'),
    forbidArrow('flow', 'protocol', 'The flow runtime knows nothing of the W&B wire.'),
    forbidArrow('flow', 'backend', 'The flow runtime never reaches the mock server.'),
    forbidArrow('wandb', 'integration', 'The client is usable without Metaflow; integration is built on it.'),
    forbidArrow('wandb', 'flow', 'The client is usable without Metaflow; integration joins the two.'),
    forbidArrow('wandb', 'backend', 'The client talks to any server over the wire, never to our mock in-process.'),
    forbidArrow('integration', 'backend', 'The integration logs through the client, never into the mock server.'),
    forbidArrow('backend', 'integration', 'The mock server knows nothing of Metaflow or @wandb_log.'),
    forbidArrow('backend', 'flow', 'The mock server knows nothing of Metaflow.'),
    forbid(
      'no-orphans',
      'A module that imports nothing and that nothing imports is dead code or a missing import. The entry ' +
        'points are exempt.',
      { orphan: true, path: '^(src|harness|bin)/', pathNot: ENTRIES },
      {},
    ),
    forbid(
      'reachable-from-an-entry',
      'Every module of src/ and harness/ is reached from an entry point; one that is not (even if it imports ' +
        'others, which no-orphans lets pass) is dead code, or used only by tests and then belongs in test/.',
      { path: ENTRIES },
      { path: '^(src|harness)/', pathNot: ENTRIES, reachable: false },
    ),
    forbid(
      'not-to-unresolvable',
      'An import that resolves to nothing fails at run time (or only in the published package); caught here ' +
        'before a test has to hit it.',
      { path: '^(src|harness|bin)/' },
      { couldNotResolve: true },
    ),
    forbid(
      'no-non-package-json',
      'An npm package imported but not declared in package.json works here only because something else ' +
        "pulled it in; a user's install may not have it.",
      { path: '^(src|harness|bin)/' },
      // dependency-cruiser 17.3 also tags a package named in `peerDependenciesMeta` (vitest) npm-no-pkg, next
      // to npm-peer: a package declared under any real key is fine.
      {
        dependencyTypes: ['npm-no-pkg', 'npm-unknown'],
        dependencyTypesNot: ['npm', 'npm-dev', 'npm-peer', 'npm-optional'],
      },
    ),
  ],
  options: {
    // Only our own modules are cruised: packages stay in the graph as leaves (no-non-package-json reads
    // them), and tests and builds are not part of the house.
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test)/' },
    // TypeScript's parser on the sources, with type-only imports in the graph, tagged (see the header).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Imports name `.ts` files (allowImportingTsExtensions); packages resolve through their `exports`, with
    // the conditions Node uses for `import` and `require`.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
