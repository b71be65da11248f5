// The build's standalone scenario validators (scripts/build.mjs writes scenario.validate.cjs beside the compiled
// schema module): ajv's generated code, so a cold process compiles no schema (~0.1 s). From the sources there is
// none, and schema.ts compiles the schema with ajv. CommonJS and required synchronously, on first use: the CLI
// is a CommonJS bundle (no top-level await), whose build replaces this module by one that requires the file
// statically, so the validators are inside the bundle and its code cache.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';

export interface BuiltValidators { scenario: ValidateFunction; tags: Record<string, ValidateFunction> }

const FILE = fileURLToPath(new URL('./scenario.validate.cjs', import.meta.url));

export function loadBuiltValidators(): BuiltValidators | undefined {
  return existsSync(FILE) ? (createRequire(import.meta.url)(FILE) as BuiltValidators) : undefined;
}
