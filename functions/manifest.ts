import type { FunctionDef } from '../shared/runtime/functions.js';
import { authFunctions } from './auth/functions.js';
import { bibSyncFunctions } from './bib-sync/functions.js';
import { crmFunctions } from './crm/functions.js';
import { notifyFunctions } from './notify/functions.js';

/** Every function of the system, for the local runtime, the spec generator and the terraform test. */
export const allFunctions: readonly FunctionDef[] = [...authFunctions, ...crmFunctions, ...notifyFunctions, ...bibSyncFunctions];
