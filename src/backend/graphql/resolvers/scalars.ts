// W&B's custom scalars, checked on the way in so that a wrong value is graphql-js's error naming the variable
// ("Variable "$config" got invalid value 5; JSONString must be a string ..."), not a resolver's surprise.

import { GraphQLError, Kind, type ValueNode } from 'graphql';
import type { ResolverMap } from '../context.ts';

function jsonString(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError(`JSONString must be a string holding JSON, got ${JSON.stringify(value)?.slice(0, 40)}.`);
  return value;
}

function int64(value: unknown): number | string {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return value;
  throw new GraphQLError(`Int64 must be an integer, got ${JSON.stringify(value)?.slice(0, 40)}.`);
}

function literal(check: (v: unknown) => unknown) {
  return (node: ValueNode) => {
    if (node.kind === Kind.STRING) return check(node.value);
    if (node.kind === Kind.INT) return check(Number(node.value));
    throw new GraphQLError(`Expected a literal of the scalar's kind, got ${node.kind}.`);
  };
}

export const scalarResolvers: ResolverMap = {
  JSONString: { parseValue: jsonString, parseLiteral: literal(jsonString) },
  Int64: { parseValue: int64, parseLiteral: literal(int64) },
};
