import type { AnyRoute } from '../../../shared/http/route.js';

export const bibWebhookRoutes: readonly AnyRoute[] = [];
