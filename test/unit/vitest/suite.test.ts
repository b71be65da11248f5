// scenarioSuite from inside this repository: a describe per file, a test per scenario and per matrix
// combination, each compared with the committed snapshot (vitest's update mode: CI compares, locally only
// missing snapshots are written, so these committed ones are only read). The failing side — a snapshot that
// differs, reported with the diff — runs in a consumer project in test/e2e/package.test.ts.
import { describe, expect, it } from 'vitest';
import type { RunnerTask } from 'vitest';
import { scenarioSuite } from '../../../harness/vitest/index.ts';

describe('the library through scenarioSuite', () => {
  scenarioSuite(['scenarios/lineage/read-use.yaml', 'scenarios/kwargs/datasets.yaml']);
});

it('registers a describe per file and a test per scenario / matrix combination', ({ task }) => {
  const names = (t: RunnerTask, prefix: string): string[] =>
    t.type === 'suite' ? t.tasks.flatMap((c) => names(c, prefix ? `${prefix} > ${t.name}` : t.name)) : [`${prefix} > ${t.name}`];
  const suite = task.file.tasks.find((t) => t.name === 'the library through scenarioSuite')!;
  expect(names(suite, '')).toEqual([
    'the library through scenarioSuite > scenarios/lineage/read-use.yaml > lineage-read-use',
    'the library through scenarioSuite > scenarios/kwargs/datasets.yaml > kwargs-datasets[start.datasets=true]',
    'the library through scenarioSuite > scenarios/kwargs/datasets.yaml > kwargs-datasets[start.datasets=false]',
  ]);
});
