// The response schemas of the API, by name: each becomes components/schemas/<name> in
// /openapi.json, and the extension's and the dashboard's types are generated from there
// (npm run gen:api). Output shapes, so objects are closed: a field the code sends and the
// schema does not name fails the contract check (test/helpers/contract.ts).
import { z } from 'zod';

export const responseSchemas = z.registry<{ id: string }>();

/** Registers `schema` as the component `id` and answers it, for use in other schemas and in ROUTES. */
export function named<S extends z.ZodType>(id: string, schema: S): S {
  responseSchemas.add(schema, { id });
  return schema;
}

/** An instant as the API writes it (Date#toISOString). */
export const Instant = z.string().meta({ format: 'date-time', description: 'ISO-8601 instant in UTC' });

export const componentRef = (id: string) => `#/components/schemas/${id}`;

/** The name of a registered schema, or an error naming the route that used an unregistered one. */
export function componentName(schema: z.ZodType, where: string): string {
  const id = responseSchemas.get(schema)?.id;
  if (!id) throw new Error(`${where}: its response schema is not registered; wrap it in named() (api/responses/registry.ts)`);
  return id;
}

/** Every registered schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), cross-references as $ref. */
export function componentSchemas(): Record<string, Record<string, unknown>> {
  const { schemas } = z.toJSONSchema(responseSchemas, { io: 'output', target: 'draft-2020-12', unrepresentable: 'any', uri: componentRef });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema as Record<string, unknown>]));
}
