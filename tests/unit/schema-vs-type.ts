/**
 * Compares a hand-written JSON Schema with the TypeScript type it describes, through the compiler's
 * own view of the type. The schemas stay hand-written because they say more than the types (patterns,
 * minimums, descriptions for outside tools, the draft-07 subset lib/schema/validate.ts runs in the
 * extension); this holds their shape to the types: the same properties, the same required ones, the
 * same literals and enums, the same primitive and array structure. Annotations (`description`,
 * `pattern`, `minLength`, `minimum`, `not`…) and closedness (`additionalProperties: false`) are the
 * schema's own business and are not compared.
 */
import ts from 'typescript';

type Schema = Record<string, unknown> | boolean;

export interface Mismatch {
  path: string;
  problem: string;
}

const isObject = (s: Schema): s is Record<string, unknown> => typeof s === 'object' && s !== null;

/** Follows `$ref`s and folds `allOf` into one object schema. */
function normalise(schema: Schema, root: Record<string, unknown>): Schema {
  if (!isObject(schema)) return schema;
  let node: Record<string, unknown> = schema;
  while (typeof node.$ref === 'string') {
    let target: unknown = root;
    for (const part of node.$ref.replace(/^#\//, '').split('/')) target = (target as Record<string, unknown>)[part];
    if (!target) throw new Error(`unresolvable $ref ${node.$ref}`);
    const { $ref: _ref, ...rest } = node;
    node = { ...(target as Record<string, unknown>), ...rest };
  }
  if (!Array.isArray(node.allOf)) return node;
  const { allOf, ...rest } = node;
  const parts = (allOf as Schema[]).map((s) => normalise(s, root)).filter(isObject);
  return parts.reduce<Record<string, unknown>>(
    (merged, part) => ({
      ...merged,
      ...part,
      properties: { ...(merged.properties as object), ...(part.properties as object) },
      required: [...((merged.required as string[]) ?? []), ...((part.required as string[]) ?? [])],
      additionalProperties:
        merged.additionalProperties === false || part.additionalProperties === false
          ? false
          : (part.additionalProperties ?? merged.additionalProperties),
    }),
    { ...rest, properties: {}, required: [] },
  );
}

/** The literal values a schema admits, when it admits only literals (`const` or `enum`). */
function literalsOf(schema: Record<string, unknown>): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  return undefined;
}

export function compareTypeToSchema(
  checker: ts.TypeChecker,
  type: ts.Type,
  rootSchema: Record<string, unknown>,
  options: { ignore?: string[] } = {},
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const seen = new Set<string>();
  const ignored = new Set(options.ignore ?? []);
  const fail = (path: string, problem: string) => {
    if (!ignored.has(path)) mismatches.push({ path: path || '/', problem });
  };
  const show = (t: ts.Type) => checker.typeToString(t);

  const walk = (t: ts.Type, raw: Schema, path: string): void => {
    const schema = normalise(raw, rootSchema);
    if (schema === true) return fail(path, `schema admits anything; type is ${show(t)}`);
    if (schema === false) return fail(path, `schema forbids the value; type is ${show(t)}`);
    const key = `${(t as { id?: number }).id}:${JSON.stringify(schema).length}:${path.split('/').length > 12}`;
    if (seen.has(key)) return;
    seen.add(key);

    // Optional properties carry `undefined`; a schema says optional with `required` instead.
    const members = t.isUnion() ? t.types.filter((m) => !(m.flags & ts.TypeFlags.Undefined)) : [t];
    const literals = members.every((m) => m.isLiteral() || m.flags & ts.TypeFlags.BooleanLiteral)
      ? members.map((m) => (m.isLiteral() ? m.value : checker.typeToString(m) === 'true'))
      : undefined;
    const allBoolean = members.length > 0 && members.every((m) => m.flags & ts.TypeFlags.BooleanLiteral);
    const schemaLiterals = literalsOf(schema);

    if (literals && !(allBoolean && literals.length === 2)) {
      if (!schemaLiterals) return fail(path, `type is ${show(t)}; schema has no const or enum`);
      const a = [...literals].map(String).sort();
      const b = [...schemaLiterals].map(String).sort();
      if (JSON.stringify(a) !== JSON.stringify(b))
        fail(path, `type admits ${JSON.stringify(a)}, schema ${JSON.stringify(b)}`);
      return;
    }
    if (schemaLiterals) return fail(path, `schema admits only ${JSON.stringify(schemaLiterals)}; type is ${show(t)}`);
    if (members.length !== 1 && !allBoolean) {
      const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
      if (!alternatives) return fail(path, `type is the union ${show(t)}; schema has no anyOf/oneOf`);
      if (alternatives.length !== members.length)
        return fail(path, `type has ${members.length} alternatives, schema ${alternatives.length}`);
      members.forEach((m, i) => walk(m, alternatives[i]!, `${path}|${i}`));
      return;
    }
    const one = members[0]!;
    const type = schema.type;
    const expect = (wanted: string[]) => {
      if (typeof type !== 'string' || !wanted.includes(type))
        fail(path, `type is ${show(one)}; schema type is ${JSON.stringify(type)}`);
    };
    if (allBoolean || one.flags & ts.TypeFlags.Boolean) return expect(['boolean']);
    if (one.flags & ts.TypeFlags.String) return expect(['string']);
    if (one.flags & ts.TypeFlags.Number) return expect(['number', 'integer']);
    if (checker.isArrayType(one) || checker.isTupleType(one)) {
      expect(['array']);
      const [element] = checker.getTypeArguments(one as ts.TypeReference);
      if (!element) return;
      if (schema.items === undefined) return fail(path, 'array schema has no items');
      return walk(element, schema.items as Schema, `${path}/[]`);
    }
    if (one.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) return object(one, schema, path);
    fail(path, `type ${show(one)} is not supported by this comparison`);
  };

  const object = (t: ts.Type, schema: Record<string, unknown>, path: string): void => {
    if (schema.type !== 'object') fail(path, `type is an object; schema type is ${JSON.stringify(schema.type)}`);
    const props = new Map(checker.getPropertiesOfType(t).map((p) => [p.name, p]));
    const schemaProps = Object.entries((schema.properties ?? {}) as Record<string, Schema>).filter(
      // `"value": false` forbids a field the type does not have (redacted values).
      ([, s]) => s !== false,
    );
    const required = new Set((schema.required ?? []) as string[]);
    const additional = schema.additionalProperties as Schema | undefined;
    const index = checker.getIndexInfosOfType(t).find((i) => i.keyType.flags & ts.TypeFlags.String);

    if (schemaProps.length === 0 && props.size > 0 && isObject(additional ?? false)) {
      // A record with known keys (`Record<RuleId, …>`): the keys are the schema's propertyNames.
      const names = schema.propertyNames ? normalise(schema.propertyNames as Schema, rootSchema) : undefined;
      const allowed = names && isObject(names) ? literalsOf(names) : undefined;
      if (allowed) {
        const a = [...props.keys()].sort();
        const b = allowed.map(String).sort();
        if (JSON.stringify(a) !== JSON.stringify(b))
          fail(path, `type keys ${JSON.stringify(a)}, schema propertyNames ${JSON.stringify(b)}`);
      }
      for (const [name, symbol] of props) walk(checker.getTypeOfSymbol(symbol), additional!, `${path}/${name}`);
      return;
    }
    for (const [name, symbol] of props) {
      const at = `${path}/${name}`;
      const sub = schemaProps.find(([n]) => n === name)?.[1];
      if (sub === undefined) {
        fail(at, 'in the type, not in the schema');
        continue;
      }
      const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0;
      if (optional === required.has(name))
        fail(
          at,
          optional ? 'optional in the type, required by the schema' : 'required in the type, optional in the schema',
        );
      walk(checker.getTypeOfSymbol(symbol), sub, at);
    }
    for (const [name] of schemaProps) if (!props.has(name)) fail(`${path}/${name}`, 'in the schema, not in the type');
    for (const name of required)
      if (!props.has(name)) fail(`${path}/${name}`, 'required by the schema, not in the type');
    // Whether a schema is closed (`additionalProperties: false`) is its own choice: the observation
    // schemas compose with `allOf` and cannot be closed in draft-07. Their properties are compared.
    if (index) {
      if (!isObject(additional ?? false))
        fail(path, 'the type has an index signature; schema additionalProperties is not a schema');
      else walk(index.type, additional!, `${path}/*`);
    }
  };

  walk(type, rootSchema, '');
  return mismatches;
}

/** The exported type `name` of `file` in `program`. */
export function exportedType(program: ts.Program, file: string, name: string): ts.Type {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} is not in the program`);
  const symbol = checker.getSymbolAtLocation(source);
  const found = symbol && checker.getExportsOfModule(symbol).find((s) => s.name === name);
  if (!found) throw new Error(`${file} exports no ${name}`);
  const target = found.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(found) : found;
  return checker.getDeclaredTypeOfSymbol(target);
}
