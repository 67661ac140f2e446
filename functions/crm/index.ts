import '../../shared/http/framework-errors.js';
import { registerFunctions } from '../../shared/runtime/functions.js';
import { crmFunctions } from './functions.js';

registerFunctions(crmFunctions);
