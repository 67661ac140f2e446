import type { AnyRoute } from '../../../shared/http/route.js';

export const registrationRoutes: readonly AnyRoute[] = [];
