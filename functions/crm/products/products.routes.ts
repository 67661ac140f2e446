import type { AnyRoute } from '../../../shared/http/route.js';

export const productRoutes: readonly AnyRoute[] = [];
