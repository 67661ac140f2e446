import { httpFunction, type FunctionDef } from '../../shared/runtime/functions.js';
import { authRoutes } from './routes.js';

export const authFunctions: readonly FunctionDef[] = [httpFunction('auth', authRoutes)];
