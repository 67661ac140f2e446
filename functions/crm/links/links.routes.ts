import type { AnyRoute } from '../../../shared/http/route.js';

export const linkRoutes: readonly AnyRoute[] = [];
