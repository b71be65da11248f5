export { FsSnapshotStore, MemorySnapshotStore, type SnapshotStore } from './store.ts';
export { checkSnapshot, defaultUpdateMode, obsoleteSnapshots, snapshotText, type SnapshotOutcome, type UpdateMode } from './snapshot.ts';
export { scenariosRoot, snapshotKey, snapshotsDirFor } from './place.ts';
