// CreateRunFiles regrouped. The SDK batches its run-file upload requests over 5 s (reference §4.1, §7), so
// another session asks for the same files in other groups: ["wandb-summary.json", "config.yaml"] where the
// recording asked for each alone. When no recorded request has the live group, the answer is put together from
// the recorded answers for each file of the same run: the server's answer per file does not depend on its batch.

import type { Body, Interaction } from './format.ts';
import type { RequestKey } from './normalise.ts';

interface FileAnswer { index: number; entry: unknown }
interface RunFilesVars { entity?: unknown; project?: unknown; run?: unknown; files?: unknown }
interface RunFilesAnswer { data?: { createRunFiles?: { files?: { name?: unknown }[] } } }

const OP = 'CreateRunFiles';

export class RunFilesBook {
  private readonly byFile = new Map<string, FileAnswer>();

  /** `runOf(index)`: the recorded run id a recorded interaction speaks for. */
  constructor(interactions: readonly Interaction[], keys: readonly RequestKey[], runOf: (index: number) => string | undefined) {
    keys.forEach((k, index) => {
      const body = interactions[index]!.response.body;
      if (k.op !== OP || !body || !('json' in body)) return;
      const files = (body.json as RunFilesAnswer)?.data?.createRunFiles?.files;
      if (!Array.isArray(files)) return;
      for (const entry of files) {
        const key = typeof entry?.name === 'string' ? fileKey(k.norm, runOf(index), entry.name) : null;
        if (key && !this.byFile.has(key)) this.byFile.set(key, { index, entry });
      }
    });
  }

  /** The answer to a live CreateRunFiles (its files in the order asked) from recorded run `run`'s answers per file, or null. */
  answer(live: RequestKey, liveBody: Body | null, interactions: readonly Interaction[], run: string | undefined): { indices: number[]; body: Body; status: number; headers: Record<string, string> } | null {
    const files = liveBody && 'json' in liveBody ? ((liveBody.json as { variables?: RunFilesVars })?.variables?.files) : undefined;
    if (live.op !== OP || !Array.isArray(files) || files.length === 0) return null;
    const found = files.map((name) => (typeof name === 'string' ? this.byFile.get(fileKey(live.norm, run, name)) : undefined));
    if (found.some((f) => f === undefined)) return null;
    const first = interactions[found[0]!.index]!.response;
    const json = structuredClone((first.body as { json: RunFilesAnswer }).json);
    json.data!.createRunFiles!.files = found.map((f) => f!.entry as { name?: unknown });
    return { indices: [...new Set(found.map((f) => f!.index))], body: { json, style: 'compact' }, status: first.status, headers: first.headers };
  }
}

/** entity/project/recorded run/file name. */
function fileKey(norm: unknown, run: string | undefined, name: string): string {
  const v = (norm ?? {}) as RunFilesVars;
  return JSON.stringify([v.entity, v.project, run ?? v.run, name]);
}
