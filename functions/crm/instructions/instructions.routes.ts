import type { AnyRoute } from '../../../shared/http/route.js';

export const instructionRoutes: readonly AnyRoute[] = [];
