import { registerFunctions } from '../../shared/runtime/functions.js';
import { notifyFunctions } from './functions.js';

registerFunctions(notifyFunctions);
