import type { FunctionDef } from '../../shared/runtime/functions.js';

export const bibSyncFunctions: readonly FunctionDef[] = [];
