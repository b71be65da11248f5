// The build prepares the GraphQL schema once (scripts/build.mjs → prebuiltSchemaFiles): the SDL parsed and
// validated, and our client's documents validated against it. A cold process then skips that work, so what it
// loads must be exactly what the SDL gives and must hold only documents graphql-js itself finds valid.
import { buildASTSchema, buildSchema, introspectionFromSchema, parse, printSchema, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schemaSource } from '../../src/index.ts';
import { PREBUILT_SCHEMA_FILE, PREVALIDATED_FILE, prebuiltSchemaFiles } from '../../src/backend/graphql/executor.ts';
import { CREATE_ARTIFACT, SERVER_FEATURES, UPSERT_BUCKET, useArtifactOperation } from '../../src/wandb/queries.ts';

const fromSdl = buildSchema(schemaSource());
const ours = [SERVER_FEATURES.query, UPSERT_BUCKET.query, CREATE_ARTIFACT.query, useArtifactOperation(true).query, useArtifactOperation(false).query];

describe('the prebuilt GraphQL schema', () => {
  const files = prebuiltSchemaFiles([...ours, SERVER_FEATURES.query]);

  it('builds (with assumeValidSDL) the same schema as the SDL, introspection included', () => {
    const prebuilt = buildASTSchema(JSON.parse(files[PREBUILT_SCHEMA_FILE]!) as DocumentNode, { assumeValidSDL: true });
    expect(printSchema(prebuilt)).toBe(printSchema(fromSdl));
    expect(introspectionFromSchema(prebuilt)).toEqual(introspectionFromSchema(fromSdl));
  });

  it('lists each validated document once, and each is valid by graphql-js against the SDL', () => {
    const listed = JSON.parse(files[PREVALIDATED_FILE]!) as string[];
    expect(listed).toHaveLength(ours.length);
    expect(new Set(listed)).toEqual(new Set(ours));
    for (const text of listed) expect(validate(fromSdl, parse(text))).toEqual([]);
  });

  it('refuses to build when a document does not validate, naming the field', () => {
    expect(() => prebuiltSchemaFiles([SERVER_FEATURES.query, 'query Q { viewer { nope } }'])).toThrow(/Failed to prepare the GraphQL schema: .*Cannot query field "nope" on type "User"/);
  });
});
