import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { allFunctions } from '../functions/manifest.js';
import { routeKeys } from '../shared/runtime/openapi.js';
import { buildGatewaySpecText, buildOpenApi, gatewaySpecFile } from '../tools/api-docs.js';

/** The gateway spec terraform deploys is generated from the route tables; it must never drift from them. */
describe('API descriptions', () => {
  const committed = readFileSync(gatewaySpecFile, 'utf8');

  it('the committed API Gateway spec is what `npm run openapi` generates', () => {
    assert.equal(committed, buildGatewaySpecText(), 'terraform/api-gateway.json.tftpl is stale: run npm run openapi');
  });

  it('every route in code is in the gateway spec with its backend, and private routes need the JWT', () => {
    const spec = JSON.parse(committed) as { paths: Record<string, Record<string, { 'x-google-backend'?: { address: string; path_translation: string }; security?: unknown[] }>> };
    const byKey = new Map<string, { fn: string; r: (typeof allFunctions)[number] extends infer D ? D extends { kind: 'http'; routes: readonly (infer R)[] } ? R : never : never }>(allFunctions.flatMap((d) => (d.kind === 'http' ? d.routes.map((r) => [`${r.method} ${r.path}`, { fn: d.name, r }] as const) : [])));
    for (const key of routeKeys(allFunctions)) {
      const [method, path] = key.split(' ') as [string, string];
      const op = spec.paths[path]?.[method.toLowerCase()];
      assert.ok(op, `${key} missing from the gateway spec`);
      const { fn, r } = byKey.get(key)!;
      assert.equal(op['x-google-backend']?.address, `\${${fn}_url}`);
      assert.equal(op['x-google-backend']?.path_translation, 'APPEND_PATH_TO_ADDRESS');
      assert.equal(Boolean(op.security), r.access === 'private', `${key} security`);
      assert.ok(spec.paths[path]?.options, `${path} has no OPTIONS for CORS preflight`);
    }
  });

  it('the gateway spec is valid Swagger 2.0', async () => {
    const filled = committed.replace(/\$\{(\w+)\}/g, (_m, name: string) => (name.endsWith('_url') || name === 'jwks_uri' ? 'https://example.com' : 'rmtools'));
    await SwaggerParser.validate(JSON.parse(filled));
  });

  it('the /docs document is valid OpenAPI 3.1 and names each private route’s permission', async () => {
    const doc = buildOpenApi() as { openapi: string; paths: Record<string, Record<string, { 'x-permission'?: string; 'x-access': string }>> };
    assert.equal(doc.openapi, '3.1.0');
    await SwaggerParser.validate(structuredClone(doc) as never);
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) if (op['x-access'] === 'private') assert.ok(op['x-permission']);
    }
  });
});
