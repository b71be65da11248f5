// GraphQL documents as the SDK sends them (reference §2–§5). wandb-core's generated documents start with "\n"
// and put a space before "(" (§1.4); Python's are the printed documents of the SDK's queries.
import type { GraphQLOperation } from './http.ts';
import { UPSERT_BUCKET_RETRY } from './retry.ts';

export const SERVER_FEATURES: GraphQLOperation = {
  name: 'ServerFeaturesQuery', client: 'core',
  query: '\nquery ServerFeaturesQuery {\n\tserverInfo {\n\t\tfeatures {\n\t\t\tname\n\t\t\tisEnabled\n\t\t}\n\t}\n}\n',
};

/** Python's copy (`InternalApi._server_supports`), proxied with operationName "". */
export const SERVER_FEATURES_PY: GraphQLOperation = {
  name: 'ServerFeaturesQuery', client: 'internal',
  query: 'query ServerFeaturesQuery {\n  serverInfo {\n    features {\n      name\n      isEnabled\n    }\n  }\n}\n',
};

export const VIEWER: GraphQLOperation = {
  name: 'Viewer', client: 'public',
  query: 'query Viewer {\n  viewer {\n    id\n    entity\n    username\n    email\n    flags\n    teams {\n      edges {\n        node {\n          name\n        }\n      }\n    }\n  }\n}\n',
};

export const UPSERT_BUCKET: GraphQLOperation = {
  name: 'UpsertBucket', client: 'core', retry: UPSERT_BUCKET_RETRY,
  query: `
mutation UpsertBucket ($id: String, $name: String, $project: String, $entity: String, $groupName: String, $description: String, $displayName: String, $notes: String, $commit: String, $config: JSONString, $host: String, $debug: Boolean, $program: String, $repo: String, $jobType: String, $state: String, $sweep: String, $tags: [String!], $summaryMetrics: JSONString) {
	upsertBucket(input: {id:$id,name:$name,groupName:$groupName,modelName:$project,entityName:$entity,description:$description,displayName:$displayName,notes:$notes,config:$config,commit:$commit,host:$host,debug:$debug,jobProgram:$program,jobRepo:$repo,jobType:$jobType,state:$state,sweep:$sweep,tags:$tags,summaryMetrics:$summaryMetrics}) {
		bucket {
			id
			name
			displayName
			description
			config
			sweepName
			project {
				id
				name
				entity {
					id
					name
				}
			}
			historyLineCount
		}
		inserted
	}
}
`,
};

export const CREATE_RUN_FILES: GraphQLOperation = {
  name: 'CreateRunFiles', client: 'core',
  query: `
mutation CreateRunFiles ($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
	createRunFiles(input: {entityName:$entity,projectName:$project,runName:$run,files:$files}) {
		runID
		uploadHeaders
		files {
			name
			uploadUrl
		}
	}
}
`,
};

export const ARTIFACT_TYPE: GraphQLOperation = {
  name: 'ArtifactType', client: 'public',
  query: 'query ArtifactType($entity: String, $project: String, $name: String!) {\n  project(name: $project, entityName: $entity) {\n    artifact(name: $name) {\n      artifactType {\n        name\n      }\n    }\n  }\n}\n',
};

export const CREATE_ARTIFACT: GraphQLOperation = {
  name: 'CreateArtifact', client: 'core',
  query: `
mutation CreateArtifact ($input: CreateArtifactInput!) {
	createArtifact(input: $input) {
		... CreatedArtifact
	}
}
fragment CreatedArtifact on CreateArtifactPayload {
	artifact {
		id
		state
		artifactSequence {
			latestArtifact {
				id
			}
		}
	}
}
`,
};

export const CREATE_ARTIFACT_MANIFEST: GraphQLOperation = {
  name: 'CreateArtifactManifest', client: 'core',
  query: `
mutation CreateArtifactManifest ($artifactID: ID!, $baseArtifactID: ID, $name: String!, $digest: String!, $entityName: String!, $projectName: String!, $runName: String!, $manifestType: ArtifactManifestType!, $includeUpload: Boolean!) {
	createArtifactManifest(input: {artifactID:$artifactID,baseArtifactID:$baseArtifactID,name:$name,digest:$digest,entityName:$entityName,projectName:$projectName,runName:$runName,type:$manifestType}) {
		artifactManifest {
			id
			file {
				id
				uploadUrl @include(if: $includeUpload)
				uploadHeaders @include(if: $includeUpload)
			}
		}
	}
}
`,
};

export const CREATE_ARTIFACT_FILES: GraphQLOperation = {
  name: 'CreateArtifactFiles', client: 'core',
  query: `
mutation CreateArtifactFiles ($artifactFiles: [CreateArtifactFileSpecInput!]!, $storageLayout: ArtifactStorageLayout!) {
	createArtifactFiles(input: {artifactFiles:$artifactFiles,storageLayout:$storageLayout}) {
		files {
			edges {
				node {
					storagePath
					uploadUrl
					uploadHeaders
					uploadMultipartUrls {
						uploadID
						uploadUrlParts {
							partNumber
							uploadUrl
						}
					}
					artifact {
						id
					}
				}
			}
		}
	}
}
`,
};

/** wandb-core's document (core/internal/gql/gql_gen.go); `Abort` is this project's addition (schema/artifacts.graphql). */
export const COMPLETE_MULTIPART_UPLOAD_ARTIFACT: GraphQLOperation = {
  name: 'CompleteMultipartUploadArtifact', client: 'core',
  query: `
mutation CompleteMultipartUploadArtifact ($completeMultipartAction: CompleteMultipartAction!, $completedParts: [UploadPartsInput!]!, $artifactID: ID!, $storagePath: String!, $uploadID: String!) {
	completeMultipartUploadArtifact(input: {completeMultipartAction:$completeMultipartAction,completedParts:$completedParts,artifactID:$artifactID,storagePath:$storagePath,uploadID:$uploadID}) {
		digest
	}
}
`,
};

export const COMMIT_ARTIFACT: GraphQLOperation = {
  name: 'CommitArtifact', client: 'core',
  query: `
mutation CommitArtifact ($artifactID: ID!) {
	commitArtifact(input: {artifactID:$artifactID}) {
		artifact {
			id
			digest
		}
	}
}
`,
};

const PROJECT_FIELDS = 'project {\n      id\n      internalId\n      name\n      entity {\n        name\n      }\n    }';

export const ARTIFACT_MEMBERSHIP_BY_NAME: GraphQLOperation = {
  name: 'ArtifactMembershipByName', client: 'public',
  query: `query ArtifactMembershipByName($entity: String!, $project: String!, $name: String!, $includeAliases: Boolean = false) {
  project(name: $project, entityName: $entity) {
    artifactCollectionMembership(name: $name) {
      ...ArtifactMembershipFragment
    }
  }
}

fragment ArtifactMembershipFragment on ArtifactCollectionMembership {
  __typename
  id
  versionIndex
  aliases {
    __typename
    id
    alias
  }
  artifactCollection {
    __typename
    name
    ${PROJECT_FIELDS}
  }
  artifact {
    ...ArtifactFragment
  }
}

fragment ArtifactFragment on Artifact {
  __typename
  id
  artifactSequence {
    __typename
    name
    ${PROJECT_FIELDS}
  }
  versionIndex
  artifactType {
    name
  }
  description
  metadata
  ttlDurationSeconds
  ttlIsInherited
  aliases @include(if: $includeAliases) {
    __typename
    id
    alias
  }
  tags {
    __typename
    id
    name
  }
  historyStep
  state
  size
  digest
  commitHash
  fileCount
  createdAt
  updatedAt
}
`,
};

/** Python's UseArtifact, built per call: the entity/project variables only when the server supports them. */
export function useArtifactOperation(withEntityAndProject: boolean): GraphQLOperation {
  const extraDecl = withEntityAndProject ? ', $artifactEntityName: String, $artifactProjectName: String' : '';
  const extraInput = withEntityAndProject ? ', artifactEntityName: $artifactEntityName, artifactProjectName: $artifactProjectName' : '';
  return {
    name: 'UseArtifact', client: 'internal',
    query: `mutation UseArtifact($entityName: String!, $projectName: String!, $runName: String!, $artifactID: ID!${extraDecl}) {
  useArtifact(input: {entityName: $entityName, projectName: $projectName, runName: $runName, artifactID: $artifactID${extraInput}}) {
    artifact {
      id
      digest
      description
      state
      createdAt
      metadata
    }
  }
}
`,
  };
}
