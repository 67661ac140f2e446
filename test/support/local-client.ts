import { devClient } from '../../tools/local/dev-client.js';
import type { LocalStackProcess } from './local-stack.js';

export type { Json } from '../../tools/local/dev-client.js';

/** The dev client (tools/local/dev-client.ts) of a stack a test spawned. */
export const localClient = (stack: LocalStackProcess) => devClient(stack.baseUrl);
