// serve's live page reads what was logged through the backend's own GraphQL schema, as wandb.Api() does:
// one query over every project (W&B's `models`), its runs and artifact collections. The answer is reshaped into
// the log model's form for drawing, with the same parsers the log model uses (configFromJson, loggedKeysOf), so
// the page and /_harness/log cannot tell two stories. Only `ref` (the log's numbering of runs), the `unsupported`
// list and which files' bytes a plan does not predict (said in a manifest entry's extra, which W&B's File type does
// not carry), the harness's own notions rather than W&B facts, come from the log.

import { configFromJson, loggedKeysOf, type LogArtifact, type LogModel, type LogRun } from '../../src/index.ts';

const ALL = 10000;

export const LIVE_QUERY = `query LiveView {
  models(first: ${ALL}) {
    edges { node { name entityName
      runs(order: "+created_at", first: ${ALL}) { edges { node {
        name group jobType state exitcode config summaryMetrics history(samples: ${ALL * 10})
        outputArtifacts(first: ${ALL}) { edges { node { versionIndex artifactSequence { name } } } }
        inputArtifacts(first: ${ALL}) { edges { node { versionIndex artifactSequence { name } } } }
      } } }
      artifactCollections(first: ${ALL}) { edges { node { name
        artifacts(first: ${ALL}, order: "+versionIndex") { edges { version node {
          digest artifactType { name } aliases { alias }
          files(first: ${ALL}) { edges { node { name sizeBytes md5 } } }
          createdBy { __typename ... on Run { name project { name entityName } } }
          usedBy(first: ${ALL}) { edges { node { name project { name entityName } } } }
        } } }
      } } }
    } }
  }
}`;

interface Edges<T> { edges: { node: T; version?: string }[] }
interface RunRef { name: string; project: { name: string; entityName: string } }
interface ArtifactRef { versionIndex: number; artifactSequence: { name: string } }
interface LiveAnswer {
  models: Edges<{
    name: string;
    entityName: string;
    runs: Edges<{
      name: string; group: string | null; jobType: string | null; state: LogRun['state']; exitcode: number | null;
      config: string | null; summaryMetrics: string | null; history: string[];
      outputArtifacts: Edges<ArtifactRef>; inputArtifacts: Edges<ArtifactRef>;
    }>;
    artifactCollections: Edges<{
      name: string;
      artifacts: Edges<{
        digest: string; artifactType: { name: string }; aliases: { alias: string }[];
        files: Edges<{ name: string; sizeBytes: number; md5: string }>;
        createdBy: ({ __typename: 'Run' } & RunRef) | { __typename: 'User' } | null;
        usedBy: Edges<RunRef>;
      }>;
    }>;
  }>;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const refNumber = (ref: string) => Number(ref.slice(4));

/** The GraphQL answer as a log model; `log` gives each run its `ref` and the `unsupported` list. */
export function logFromLiveAnswer(data: LiveAnswer, log: Pick<LogModel, 'format' | 'runs' | 'artifacts' | 'unsupported'>): LogModel {
  const notPredicted = new Map(log.artifacts.flatMap((a) => a.files.flatMap((f) => (f.md5 === null ? [[`${a.name}:${a.version}/${f.path}`, f] as const] : []))));
  const refs = new Map(log.runs.map((r) => [`${r.entity}/${r.project}/${r.id}`, r.ref]));
  const refOf = (entity: string, project: string, name: string) => refs.get(`${entity}/${project}/${name}`) ?? `${entity}/${project}/${name}`;
  const versionName = (a: ArtifactRef) => `${a.artifactSequence.name}:v${a.versionIndex}`;
  const runs: LogRun[] = [];
  const artifacts: LogArtifact[] = [];
  for (const { node: project } of data.models.edges) {
    for (const { node: run } of project.runs.edges) {
      runs.push({
        ref: refOf(project.entityName, project.name, run.name),
        id: run.name,
        entity: project.entityName,
        project: project.name,
        group: run.group,
        job_type: run.jobType,
        config: configFromJson(run.config),
        summary: run.summaryMetrics ? loggedKeysOf(run.summaryMetrics) : {},
        history: run.history.map(loggedKeysOf),
        logged_artifacts: run.outputArtifacts.edges.map((e) => versionName(e.node)),
        used_artifacts: run.inputArtifacts.edges.map((e) => versionName(e.node)),
        exit_code: run.exitcode,
        state: run.state,
      });
    }
    for (const { node: collection } of project.artifactCollections.edges) {
      for (const { node: art, version } of collection.artifacts.edges) {
        const creator = art.createdBy?.__typename === 'Run' ? (art.createdBy as RunRef) : null;
        const files = art.files.edges.map(({ node: f }) => notPredicted.get(`${collection.name}:${version}/${f.name}`) ?? { path: f.name, size: f.sizeBytes, md5: f.md5 });
        artifacts.push({
          name: collection.name,
          type: art.artifactType.name,
          version: version!,
          digest: files.some((f) => f.md5 === null) ? null : art.digest,
          aliases: [...new Set(art.aliases.map((a) => a.alias))].sort(byCodePoint),
          files,
          created_by: creator ? refOf(creator.project.entityName, creator.project.name, creator.name) : null,
          used_by: art.usedBy.edges.map(({ node: r }) => refOf(r.project.entityName, r.project.name, r.name)).sort((a, b) => refNumber(a) - refNumber(b)),
        });
      }
    }
  }
  runs.sort((a, b) => refNumber(a.ref) - refNumber(b.ref));
  artifacts.sort((a, b) => byCodePoint(a.name, b.name) || Number(a.version.slice(1)) - Number(b.version.slice(1)));
  return { format: log.format, runs, artifacts, unsupported: log.unsupported };
}
