// Just enough `__type` introspection for the legacy Python sender's ProbeServer* queries (wandb ≤0.20). The
// SDK chooses its later requests from these field lists, so they must name what our resolvers implement:
// e.g. without Mutation.createRunFiles it would fall back to the RunUploadUrls query.

import { own } from '../own.ts';

const TYPES: Record<string, string[]> = {
  Query: ['viewer', 'serverInfo', 'project', 'model', 'artifact', 'artifactCollection', 'clientIDMapping', 'entity'],
  Mutation: [
    'upsertBucket', 'createRunFiles', 'createArtifact', 'createArtifactManifest', 'createArtifactFiles',
    'commitArtifact', 'useArtifact', 'createArtifactType', 'markRunFilesUploaded',
  ],
  ServerInfo: ['features', 'cliVersionInfo', 'latestLocalVersionInfo'],
  ServerSettings: ['serverMessages'],
  Artifact: [
    'id', 'digest', 'description', 'state', 'size', 'createdAt', 'updatedAt', 'labels', 'metadata', 'fileCount',
    'versionIndex', 'aliases', 'artifactType', 'artifactSequence', 'currentManifest', 'commitHash',
    'historyStep', 'ttlDurationSeconds', 'ttlIsInherited', 'tags',
  ],
  CreateArtifactInput: [
    'artifactTypeName', 'artifactCollectionName', 'artifactCollectionNames', 'entityName', 'projectName', 'runName',
    'description', 'digest', 'digestAlgorithm', 'aliases', 'metadata', 'historyStep', 'clientID', 'sequenceClientID',
    'enableDigestDeduplication', 'ttlDurationSeconds', 'tags', 'distributedID', 'clientMutationId', 'labels',
    'storageRegion',
  ],
  CreateArtifactFileSpecInput: ['artifactID', 'name', 'md5', 'mimetype', 'artifactManifestID', 'uploadPartsInput'],
  UseArtifactInput: ['entityName', 'projectName', 'runName', 'artifactID', 'usedAs', 'artifactEntityName', 'artifactProjectName', 'clientMutationId'],
};

const ALIAS = /(\w+)\s*:\s*__type\s*\(\s*name\s*:\s*"(\w+)"\s*\)/g;

export function isIntrospection(query: string): boolean {
  return /__type\s*\(/.test(query);
}

/** Answers every `alias: __type(name: "T")` of the document with the fields (or inputFields) it asks for. */
export function introspect(query: string): Record<string, unknown> {
  const key = /\binputFields\b/.test(query) ? 'inputFields' : 'fields';
  const data: Record<string, unknown> = {};
  for (const [, alias, type] of query.matchAll(ALIAS)) {
    const fields = own(TYPES, type!);
    data[alias!] = fields ? { [key]: fields.map((name) => ({ name })) } : null;
  }
  return data;
}
