import '../../shared/http/framework-errors.js';
import { registerFunctions } from '../../shared/runtime/functions.js';
import { authFunctions } from './functions.js';

registerFunctions(authFunctions);
