/**
 * A small JSON Schema (draft-07 subset) validator. Ajv compiles schemas with `new Function`, which
 * an MV3 extension's CSP forbids, so the extension validates imported files with this instead.
 * It supports exactly what our schemas use; tests check it agrees with Ajv on every schema we ship.
 */

export interface SchemaError {
  /** JSON Pointer to the offending value, e.g. `/categories/2/category`. */
  path: string;
  message: string;
  /** 1-based line of the offending value in the source text, when the caller located it. */
  line?: number;
}

type Schema = Record<string, unknown>;

const MAX_ERRORS = 20;

export function validateAgainstSchema(value: unknown, schema: Schema): SchemaError[] {
  const errors: SchemaError[] = [];
  walk(value, schema, schema, '', errors);
  return errors.slice(0, MAX_ERRORS);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  let node: unknown = root;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Schema)[part];
  if (!node) throw new Error(`unresolvable $ref ${ref}`);
  return node as Schema;
}

function walk(value: unknown, raw: Schema, root: Schema, path: string, errors: SchemaError[]): void {
  if (errors.length >= MAX_ERRORS) return;
  const schema = resolve(raw, root);
  const at = path || '/';
  const actual = typeOf(value);
  if ('const' in schema && value !== schema.const) {
    errors.push({ path: at, message: `must be ${JSON.stringify(schema.const)}` });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as never)) {
    errors.push({ path: at, message: `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}` });
    return;
  }
  if (typeof schema.type === 'string') {
    const ok = schema.type === actual || (schema.type === 'number' && actual === 'integer');
    if (!ok) {
      errors.push({ path: at, message: `must be ${schema.type}, got ${actual}` });
      return;
    }
  }
  if (actual === 'string') checkString(value as string, schema, at, errors);
  if (actual === 'integer' || actual === 'number') {
    if (typeof schema.minimum === 'number' && (value as number) < schema.minimum)
      errors.push({ path: at, message: `must be >= ${schema.minimum}` });
  }
  if (actual === 'array') {
    const items = value as unknown[];
    if (typeof schema.minItems === 'number' && items.length < schema.minItems)
      errors.push({ path: at, message: `must have at least ${schema.minItems} item(s)` });
    if (schema.items) items.forEach((item, i) => walk(item, schema.items as Schema, root, `${path}/${i}`, errors));
  }
  if (actual === 'object') checkObject(value as Record<string, unknown>, schema, root, path, errors);
}

function checkString(value: string, schema: Schema, at: string, errors: SchemaError[]): void {
  if (typeof schema.minLength === 'number' && value.length < schema.minLength)
    errors.push({ path: at, message: `must not be shorter than ${schema.minLength} character(s)` });
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
    errors.push({ path: at, message: `must match ${schema.pattern}` });
}

function checkObject(
  value: Record<string, unknown>,
  schema: Schema,
  root: Schema,
  path: string,
  errors: SchemaError[],
): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const key of (schema.required ?? []) as string[]) {
    if (!(key in value)) errors.push({ path: path || '/', message: `must have property "${key}"` });
  }
  for (const [key, child] of Object.entries(value)) {
    const sub = properties[key];
    if (sub) walk(child, sub, root, `${path}/${key}`, errors);
    else if (schema.additionalProperties === false)
      errors.push({ path: `${path}/${key}`, message: 'is not an allowed property' });
  }
}
