import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildGatewaySpecText, gatewaySpecFile } from './api-docs.js';

// `npm run openapi`: regenerates the API Gateway spec that terraform deploys. A test fails when the
// committed file differs from what the route tables produce.
writeFileSync(gatewaySpecFile, buildGatewaySpecText());
console.log(`wrote ${fileURLToPath(gatewaySpecFile).split('/').slice(-2).join('/')}`);
