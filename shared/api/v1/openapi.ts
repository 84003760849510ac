import { z } from 'zod';
import { API_V1_PREFIX, API_V1_ROUTES } from './routes';
import { NAMED_SCHEMAS } from './schemas';

type JsonSchema = Record<string, unknown>;

/**
 * Every named schema (`.meta({ id })` in schemas.ts) becomes one `components/schemas`
 * entry, referenced with $ref wherever it is used. Named schemas are all either strict
 * (inputs) or plain outputs without defaults, so one rendering serves both directions.
 */
function components(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const s of NAMED_SCHEMAS) registry.add(s, { id: z.globalRegistry.get(s)!.id as string });
  const out = z.toJSONSchema(registry, {
    io: 'output',
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'throw',
  }) as { schemas: Record<string, JsonSchema> };
  for (const s of Object.values(out.schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  return out.schemas;
}

/** One schema inline, its named parts as $refs into components. */
function inline(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id;
  if (typeof id === 'string') return { $ref: `#/components/schemas/${id}` };
  const s = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'throw' }) as JsonSchema;
  delete s.$schema;
  return s;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/**
 * The OpenAPI 3.1 document of `/api/v1/`, built from the routes table and its zod schemas
 * (the same objects the server validates with).
 */
export function buildOpenApi(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of API_V1_ROUTES) {
    const params = 'params' in r ? r.params : undefined;
    const body = 'body' in r ? r.body : undefined;
    const op: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      security: [{ bearerToken: [] }],
      responses: {
        [String(r.status)]: {
          description: 'OK',
          content: { 'application/json': { schema: inline(r.response, 'output') } },
        },
        '400': errorResponse('The request does not match the schema'),
        '401': errorResponse('Missing, unknown or revoked token'),
        ...(params ? { '404': errorResponse('No such order') } : {}),
        ...(r.operationId === 'openCase' ? { '404': errorResponse('No such order') } : {}),
      },
    };
    if (params) {
      op.parameters = Object.entries(params).map(([name, schema]) => ({
        name,
        in: 'path',
        required: true,
        schema: inline(schema as z.ZodType, 'input'),
      }));
    }
    if (body) {
      op.requestBody = {
        required: true,
        content: { 'application/json': { schema: inline(body as z.ZodType, 'input') } },
      };
    }
    (paths[r.path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ProofPack order API',
      version,
      description:
        'Orders in (upsert with items, notes and status), evidence out, cases opened. ' +
        'Authenticate with `Authorization: Bearer <token>` (`proofpack api token create`).',
    },
    servers: [{ url: API_V1_PREFIX }],
    components: {
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer' } },
      schemas: components(),
    },
    paths,
  };
}
