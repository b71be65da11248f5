// Which multipart uploads a GraphQL request completes, read before it is executed: handle() must stream those
// uploads' parts into one blob (asynchronous) before the synchronous apply-and-journal step runs the resolver.
// Read with graphql-js over the same schema, so aliases, fragments and inline values count as variables do; a
// document that does not parse or validate completes nothing here (the executor then answers its errors).

import { getArgumentValues, getOperationAST, getVariableValues, Kind, parse, validate, type SelectionSetNode } from 'graphql';
import { toPartSpecs, type PartSpec } from '../multipart.ts';
import { getSchema } from './executor.ts';

export interface Completion { uploadId: string; parts: PartSpec[] }

export const COMPLETION_FIELD = 'completeMultipartUploadArtifact';
const FIELD = COMPLETION_FIELD;

/** Cheap first look: only a body naming the field is parsed. */
export function multipartCompletions(query: string, variables: Record<string, unknown>, operationName: string | undefined): Completion[] {
  if (!query.includes(FIELD)) return [];
  try {
    const schema = getSchema();
    const document = parse(query);
    if (validate(schema, document).length > 0) return [];
    const operation = getOperationAST(document, operationName);
    if (operation?.operation !== 'mutation') return [];
    const vars = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (!vars.coerced) return [];
    const field = schema.getMutationType()!.getFields()[FIELD]!;
    const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
    const found: Completion[] = [];
    const walk = (set: SelectionSetNode) => {
      for (const sel of set.selections) {
        if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
        else if (sel.kind === Kind.FRAGMENT_SPREAD) walk(fragments.get(sel.name.value)!);
        else if (sel.name.value === FIELD) {
          const input = getArgumentValues(field, sel, vars.coerced).input as Record<string, unknown>;
          if (input.completeMultipartAction === 'Complete') found.push({ uploadId: String(input.uploadID), parts: toPartSpecs(input.completedParts, 'completedParts', FIELD) });
        }
      }
    };
    walk(operation.selectionSet);
    return found;
  } catch {
    return []; // the executor answers whatever is wrong with the request
  }
}
