/** The OpenAPI 3.1 document, generated from the route table's zod schemas (`z.toJSONSchema`). */
import { z } from 'zod';
import type { RouteSpec } from './routes.js';

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' } },
    },
  },
};

export function openApiDocument(routes: RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {
    '/api/v1/health': {
      get: { summary: 'Liveness and version', responses: { '200': { description: 'ok' } } },
    },
  };
  for (const route of routes) {
    const path = route.openapiPath ?? route.path;
    const query = z.toJSONSchema(route.query) as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    const parameters = Object.entries(query.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: query.required?.includes(name) ?? false,
      schema,
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    }));
    if (route.openapiPath)
      parameters.unshift({
        name: 'path',
        in: 'path',
        required: true,
        schema: { type: 'string' },
        description: 'NAMESPACE.../NAME, or NAMESPACE.../NAME/tree for the dependency graph',
      });
    paths[path] = {
      ...(paths[path] ?? {}),
      [route.method]: {
        summary: route.summary,
        parameters,
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: z.toJSONSchema(route.body) } },
              },
            }
          : {}),
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
          '400': { description: 'bad input', content: { 'application/json': { schema: ERROR } } },
          '401': {
            description: 'missing or wrong bearer token',
            content: { 'application/json': { schema: ERROR } },
          },
          '404': { description: 'not found', content: { 'application/json': { schema: ERROR } } },
          '502': { description: 'registry failure', content: { 'application/json': { schema: ERROR } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'provisioning platform API', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }, {}],
    paths,
  };
}
