// JSON Schema (draft 2020-12) of a fault plan, for the scenario format's `faults:` key and for
// `POST /_harness/faults` clients. The backend validates by hand (src/ carries no ajv) with the same contract;
// one rule no JSON Schema can say is also checked there: `to` must be >= `from`.

const positiveInt = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

export const FAULT_PLAN_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://tracked-flows.dev/schemas/fault-plan.json',
  title: 'tracked-flows fault plan',
  description:
    'Ordered rules. A request is counted by every rule it matches; the first rule whose occurrence window holds the count fires. ' +
    'status, rate-limit and reset (after: false) refuse the request before it is handled; reset (after: true) and truncate apply it, then lose the answer.',
  type: 'array',
  maxItems: 1000,
  items: { $ref: '#/$defs/rule' },
  $defs: {
    rule: {
      type: 'object',
      additionalProperties: false,
      required: ['fault'],
      properties: {
        operation: { type: 'string', minLength: 1, description: 'GraphQL operation name (POST /graphql only).' },
        path: { type: 'string', pattern: '^/', description: 'Path glob: * inside a segment, ** across segments, ? one character.' },
        method: { type: 'string', pattern: '^[A-Za-z]+$', description: 'HTTP method, case-insensitive.' },
        nth: { ...positiveInt, description: 'Only the n-th matching request (1-based).' },
        from: { ...positiveInt, description: 'First matching request that fires (1-based, inclusive).' },
        to: { ...positiveInt, description: 'Last matching request that fires (inclusive; must be >= from).' },
        fault: { $ref: '#/$defs/fault' },
      },
      not: { anyOf: [{ required: ['nth', 'from'] }, { required: ['nth', 'to'] }] },
    },
    fault: {
      oneOf: [
        {
          type: 'object', additionalProperties: false, required: ['type', 'status'],
          properties: { type: { const: 'status' }, status: { enum: [500, 502, 503, 504] } },
        },
        {
          type: 'object', additionalProperties: false, required: ['type', 'retryAfter'],
          description: '429 with Retry-After: <retryAfter> seconds.',
          properties: { type: { const: 'rate-limit' }, retryAfter: { type: 'number', minimum: 0, maximum: 86400 } },
        },
        {
          type: 'object', additionalProperties: false, required: ['type'],
          description: 'Connection reset; after: true = the request was applied first.',
          properties: { type: { const: 'reset' }, after: { type: 'boolean' } },
        },
        {
          type: 'object', additionalProperties: false, required: ['type', 'ms'],
          properties: { type: { const: 'delay' }, ms: { type: 'integer', minimum: 0, maximum: 600000 } },
        },
        {
          type: 'object', additionalProperties: false, required: ['type'],
          description: 'The request is applied; only the first `bytes` bytes of the answer are sent (default: half), then the connection drops.',
          properties: { type: { const: 'truncate' }, bytes: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } },
        },
      ],
    },
  },
} as const;
