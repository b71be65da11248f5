// A small deterministic YAML writer for the run file `config.yaml` (reference §4.2): `wandb_version: 1`, a blank
// line, then `{key: {value: v}}` per config key, keys in UTF-8 byte order, 2-space indent, block lists at their
// key's indent (the layout of the captured SDK's file). The product layer has no YAML dependency (DESIGN §2),
// and this file only ever writes plain data, so a writer is all that is needed.
import { WandbError } from './errors.ts';
import { compareUtf8, PyFloat, pyFloatRepr } from './json.ts';

// PyYAML's (YAML 1.1) bool and null words.
const RESERVED = /^(?:true|false|null|yes|no|on|off|~|)$/i;
const NUMBER_LIKE = /^(?=[-+]?\.?\d)[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?$|^[-+]?0[xo]|^[-+]?\.(?:inf|nan)$|^\d{4}-\d\d-\d\d/i;
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_ ./-]*$/;

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || value instanceof PyFloat) {
    const x = typeof value === 'number' ? value : value.value;
    if (Number.isNaN(x)) return '.nan';
    if (x === Infinity) return '.inf';
    if (x === -Infinity) return '-.inf';
    return typeof value === 'number' && Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER ? String(x === 0 ? 0 : x) : pyFloatRepr(x);
  }
  if (typeof value === 'string') {
    const plain = PLAIN.test(value) && !value.endsWith(' ') && !RESERVED.test(value) && !NUMBER_LIKE.test(value);
    return plain ? value : JSON.stringify(value);
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof PyFloat) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function block(value: unknown, indent: string, out: string[], path: string): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const s = scalar(item);
      if (s !== undefined) out.push(`${indent}- ${s}`);
      else if (isEmpty(item)) out.push(`${indent}- ${Array.isArray(item) ? '[]' : '{}'}`);
      else {
        // The item's first line shares the dash; its other lines are indented past it.
        const inner: string[] = [];
        block(item, indent + '  ', inner, `${path}[${i}]`);
        out.push(`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
      }
    }
    return;
  }
  if (!isPlainObject(value)) {
    throw new WandbError('WANDB_VALUE', `Failed to write "config.yaml": the value at "${path}" is not plain data. Pass numbers, strings, lists and maps.`);
  }
  for (const key of Object.keys(value).sort(compareUtf8)) {
    const item = value[key];
    const k = scalar(key)!;
    const s = scalar(item);
    if (s !== undefined) out.push(`${indent}${k}: ${s}`);
    else if (isEmpty(item)) out.push(`${indent}${k}: ${Array.isArray(item) ? '[]' : '{}'}`);
    else {
      out.push(`${indent}${k}:`);
      block(item, Array.isArray(item) ? indent : indent + '  ', out, path ? `${path}.${key}` : key);
    }
  }
}

function isEmpty(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : isPlainObject(value) && Object.keys(value).length === 0;
}

/** `config.yaml` for a wrapped config `{key: {value: v}}`. */
export function configYaml(wrapped: Record<string, unknown>): string {
  const out: string[] = [];
  block(wrapped, '', out, '');
  return `wandb_version: 1\n\n${out.join('\n')}${out.length ? '\n' : ''}`;
}
