import { z } from 'zod';
import type { AnyRoute } from '../http/route.js';
import { errorStatus, type ErrorCode } from '../errors.js';
import type { FunctionDef } from './functions.js';

/**
 * Both API descriptions come from the route tables: OpenAPI 3.1 for /docs and clients, and the Swagger 2.0
 * document API Gateway needs (x-google-backend per path, JWT security for private routes). The gateway
 * document is a terraform template: `${auth_url}`-style placeholders are filled in at apply time.
 */
type JsonSchema = Record<string, unknown>;

interface HttpDef {
  name: string;
  routes: readonly AnyRoute[];
}

function httpDefs(defs: readonly FunctionDef[]): HttpDef[] {
  return defs.flatMap((d) => (d.kind === 'http' ? [{ name: d.name, routes: d.routes }] : []));
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

interface ParamInfo {
  name: string;
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

function objectParams(schema: z.ZodType | undefined): ParamInfo[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input');
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, required: required.has(name), schema: rest, ...(typeof description === 'string' ? { description } : {}) };
  });
}

function pathParams(route: AnyRoute): ParamInfo[] {
  const declared = new Map(objectParams(route.params).map((p) => [p.name, p]));
  return pathParamNames(route.path).map((name) => ({ ...(declared.get(name) ?? { schema: { type: 'string' } }), name, required: true }));
}

const commonErrors = (route: AnyRoute): ErrorCode[] => {
  const codes: ErrorCode[] = ['VALIDATION_FAILED', ...(route.errors ?? [])];
  if (route.access === 'private') codes.push('UNAUTHENTICATED', 'FORBIDDEN');
  if (route.body) codes.push('MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE');
  return codes;
};

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'code', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(errorStatus) },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
    requestId: { type: 'string' },
  },
};

export function openApiDocument(defs: readonly FunctionDef[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { name, routes } of httpDefs(defs)) {
    for (const route of routes) {
      const errorsByStatus = new Map<number, ErrorCode[]>();
      for (const code of commonErrors(route)) {
        const status = errorStatus[code];
        errorsByStatus.set(status, [...(errorsByStatus.get(status) ?? []), code]);
      }
      const responses: Record<string, unknown> = {
        [route.response.status]: {
          description: route.response.description,
          ...(route.response.schema
            ? { content: { [route.response.contentType ?? 'application/json']: { schema: jsonSchema(route.response.schema, 'output') } } }
            : {}),
        },
      };
      for (const [status, codes] of errorsByStatus) {
        responses[status] = {
          description: codes.join(', '),
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
      const parameters = [
        ...pathParams(route).map((p) => ({ in: 'path', ...p })),
        ...objectParams(route.query).map((p) => ({ in: 'query', ...p })),
      ];
      paths[route.path] ??= {};
      paths[route.path]![route.method.toLowerCase()] = {
        operationId: route.operationId,
        summary: route.summary,
        tags: route.tags,
        ...(parameters.length ? { parameters } : {}),
        ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
        responses,
        security: route.access === 'private' ? [{ bearer: [] }] : [],
        'x-function': name,
        'x-access': route.access,
        ...(route.permission ? { 'x-permission': route.permission } : {}),
      };
    }
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths: sortKeys(paths),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: problemSchema },
    },
  };
}

/** Swagger 2.0 for API Gateway. Every path also gets OPTIONS so CORS preflights reach the function. */
export function gatewaySpec(defs: readonly FunctionDef[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { name, routes } of httpDefs(defs)) {
    const backend = { address: `\${${name.replace(/-/g, '_')}_url}`, path_translation: 'APPEND_PATH_TO_ADDRESS', deadline: 60 };
    for (const route of routes) {
      const parameters = [
        ...pathParams(route).map((p) => ({ name: p.name, in: 'path', required: true, type: 'string' })),
        ...objectParams(route.query).map((p) => ({ name: p.name, in: 'query', required: p.required, type: swaggerType(p.schema) })),
      ];
      paths[route.path] ??= {};
      const item = paths[route.path]!;
      item[route.method.toLowerCase()] = {
        operationId: route.operationId,
        summary: route.summary,
        ...(route.permission ? { description: `Requires permission ${route.permission}.` } : {}),
        ...(parameters.length ? { parameters } : {}),
        'x-google-backend': backend,
        ...(route.access === 'private' ? { security: [{ rmtools_jwt: [] }] } : {}),
        responses: { [route.response.status]: { description: route.response.description } },
      };
      item.options ??= {
        operationId: `${route.operationId}Preflight`,
        summary: 'CORS preflight',
        ...(pathParams(route).length ? { parameters: pathParams(route).map((p) => ({ name: p.name, in: 'path', required: true, type: 'string' })) } : {}),
        'x-google-backend': backend,
        responses: { 204: { description: 'Preflight answered by the function' } },
      };
    }
  }
  return {
    swagger: '2.0',
    info,
    schemes: ['https'],
    produces: ['application/json'],
    securityDefinitions: {
      rmtools_jwt: {
        authorizationUrl: '',
        flow: 'implicit',
        type: 'oauth2',
        'x-google-issuer': '${jwt_issuer}',
        'x-google-jwks_uri': '${jwks_uri}',
        'x-google-audiences': '${jwt_audience}',
      },
    },
    paths: sortKeys(paths),
  };
}

function swaggerType(schema: JsonSchema): string {
  const t = schema.type;
  return t === 'integer' || t === 'number' || t === 'boolean' ? t : 'string';
}

function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => a.localeCompare(b)));
}

/** Every (method, path) a route table serves, for coverage checks. */
export function routeKeys(defs: readonly FunctionDef[]): string[] {
  return httpDefs(defs).flatMap((d) => d.routes.map((r) => `${r.method} ${r.path}`));
}
