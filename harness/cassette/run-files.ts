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

  constructor(interactions: readonly Interaction[], keys: readonly RequestKey[]) {
    keys.forEach((k, index) => {
      const body = interactions[index]!.response.body;
      if (k.op !== OP || !body || !('json' in body)) return;
      const files = (body.json as RunFilesAnswer)?.data?.createRunFiles?.files;
      if (!Array.isArray(files)) return;
      for (const entry of files) {
        if (typeof entry?.name === 'string' && !this.byFile.has(fileKey(k.norm, entry.name))) this.byFile.set(fileKey(k.norm, entry.name), { index, entry });
      }
    });
  }

  /** The answer to a live CreateRunFiles (its files in the order asked) from the recorded answers per file, or null. */
  answer(live: RequestKey, liveBody: Body | null, interactions: readonly Interaction[]): { indices: number[]; body: Body; status: number; headers: Record<string, string> } | null {
    const files = liveBody && 'json' in liveBody ? ((liveBody.json as { variables?: RunFilesVars })?.variables?.files) : undefined;
    if (live.op !== OP || !Array.isArray(files) || files.length === 0) return null;
    const found = files.map((name) => (typeof name === 'string' ? this.byFile.get(fileKey(live.norm, name)) : undefined));
    if (found.some((f) => f === undefined)) return null;
    const first = interactions[found[0]!.index]!.response;
    const json = structuredClone((first.body as { json: RunFilesAnswer }).json);
    json.data!.createRunFiles!.files = found.map((f) => f!.entry as { name?: unknown });
    return { indices: [...new Set(found.map((f) => f!.index))], body: { json, style: 'compact' }, status: first.status, headers: first.headers };
  }
}

/** entity/project/run placeholder/file name: the run as both sessions' keys name it. */
function fileKey(norm: unknown, name: string): string {
  const v = (norm ?? {}) as RunFilesVars;
  return JSON.stringify([v.entity, v.project, v.run, name]);
}
