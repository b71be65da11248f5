// Multipart uploads of big artifact files (DESIGN §3.5; what the SDKs send: src/backend/multipart.ts). The
// announcement rides on CreateArtifactFiles (artifact-save.ts); this module is CompleteMultipartUploadArtifact.
// Completion is in two steps because putting gigabytes of parts together is asynchronous and the apply-and-journal
// step is not: handle() streams the parts into one staged blob first (ctx.multipart.whole), and the resolver
// checks it and commits it here, synchronously, with the state change.

import { failure } from '../../errors.ts';
import { abortMultipart, checkCompletion, completeMultipart, toPartSpecs } from '../../multipart.ts';
import { own } from '../../own.ts';
import { type GraphQLContext, type ResolverMap } from '../context.ts';
import { findArtifact } from './artifact-save.ts';
import { inputOf } from './runs.ts';

function completeMultipartUploadArtifact(_s: unknown, args: { input: unknown }, ctx: GraphQLContext) {
  const v = inputOf(args, ctx);
  const action = v.str('completeMultipartAction');
  const uploadId = v.str('uploadID');
  const art = findArtifact(ctx.state, v.str('artifactID'), ctx.operation);
  const upload = own(ctx.state.multipart, uploadId);
  if (upload && upload.artifact !== art.id) {
    throw failure('BAD_REQUEST', 'complete multipart upload', upload.name, `upload ${uploadId} belongs to artifact ${upload.artifact}, not ${art.id}`);
  }
  if (action === 'Abort') {
    ctx.multipart.release(abortMultipart(ctx.state, uploadId));
    return { digest: null };
  }
  const parts = toPartSpecs(v.raw.completedParts, 'completedParts', ctx.operation);
  const whole = ctx.multipart.whole(uploadId);
  if (!whole) {
    // Not staged: completeMultipart's checks name what is wrong (unknown upload, missing or wrong parts).
    checkCompletion(ctx.state, uploadId, parts);
    throw failure('BAD_REQUEST', 'complete multipart upload', uploadId, 'the parts could not be put together', 'Upload the parts again.');
  }
  if (art.state !== 'PENDING') throw failure('CONFLICT', 'complete multipart upload', art.collection, 'the artifact is already committed');
  const done = completeMultipart(ctx.state, uploadId, parts, whole);
  ctx.multipart.release(done.unusedParts);
  return { digest: done.md5 };
}

export const artifactMultipartResolvers: ResolverMap = {
  Mutation: { completeMultipartUploadArtifact },
};
