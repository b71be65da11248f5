// The executor's start-up guard: the SDL and the resolver maps cannot drift apart.
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { attachResolvers, getSchema, schemaSource } from '../../src/backend/graphql/executor.ts';

describe('loading graphql-js', () => {
  it('leaves NODE_ENV as it was (it is "production" only while graphql-js evaluates)', () => {
    expect(process.env.NODE_ENV).toBe('test'); // vitest's value, put back after executor.ts loaded graphql-js
  });
});

describe('attaching resolvers to the SDL', () => {
  it('the real maps attach (every resolver names a type and field of the SDL)', () => {
    expect(getSchema().getQueryType()!.getFields().project!.resolve).toBeTypeOf('function');
  });

  it('a resolver for a field the SDL lacks stops the start, naming it', () => {
    expect(() => attachResolvers(buildSchema(schemaSource()), [{ Run: { colour: () => 'red' } }])).toThrow(/field "Run\.colour" is not in the SDL/);
  });

  it('a resolver for a type the SDL lacks stops the start, naming it', () => {
    expect(() => attachResolvers(buildSchema(schemaSource()), [{ Launch: { id: () => '1' } }])).toThrow(/type "Launch" is not in the SDL/);
  });

  it('two resolvers for one field stop the start', () => {
    const twice = { Run: { stopped: () => false } };
    expect(() => attachResolvers(buildSchema(schemaSource()), [twice, twice])).toThrow(/"Run\.stopped" has two resolvers/);
  });
});
