import { registerFunctions } from '../../shared/runtime/functions.js';
import { bibSyncFunctions } from './functions.js';

registerFunctions(bibSyncFunctions);
