import { readFileSync } from 'node:fs';
import { allFunctions } from '../functions/manifest.js';
import { gatewaySpec, openApiDocument } from '../shared/runtime/openapi.js';

/** The generated API descriptions and where the gateway one is committed. */
export const gatewaySpecFile = new URL('../terraform/api-gateway.json.tftpl', import.meta.url);

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const info = { title: 'RMTools API', version: pkg.version };

export function buildOpenApi() {
  return openApiDocument(allFunctions, info);
}

export function buildGatewaySpecText(): string {
  return `${JSON.stringify(gatewaySpec(allFunctions, info), null, 2)}\n`;
}
