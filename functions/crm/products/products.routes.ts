import { z } from 'zod';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { defineRoute, type AnyRoute } from '../../../shared/http/route.js';
import { investorIdParams } from '../investors/investors.routes.js';
import { cacheHeaders } from './cache-headers.js';
import { getInvestorPortfolio } from './get-portfolio.js';
import { listProducts } from './list-products.js';
import { productTypes } from './product-catalogue.js';
import { portfolioSchema, productSchema } from './product.view.js';

// Bib's answers pass through the Firestore cache: X-Cache HIT|MISS|STALE and Age say how fresh; X-Bib-Stale
// marks an older copy served because Bib failed. Clients must not reuse an answer without asking again.
const cacheControl = 'private, max-age=0';

export const listProductsRoute = defineRoute({
  method: 'GET',
  path: '/crm/products',
  operationId: 'listProducts',
  summary:
    'Bib’s mutual-fund catalogue, served from the cache (headers X-Cache, Age, X-Bib-Stale when Bib is down); filters: type, active. The whole catalogue is small: one page, no cursor',
  tags: ['Products'],
  access: 'private',
  // Every role has it: the catalogue is what instructions are made of.
  permission: 'instruction:read',
  query: z.strictObject({
    type: z.enum(productTypes).optional(),
    active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  }),
  errors: ['DEPENDENCY_UNAVAILABLE'],
  cacheControl,
  response: { status: 200, description: 'The products', schema: z.object({ items: z.array(productSchema) }) },
  handler: async ({ query }) => {
    const { items, cache } = await listProducts(query);
    return { body: { items }, headers: cacheHeaders(cache) };
  },
});

export const investorPortfolioRoute = defineRoute({
  method: 'GET',
  path: '/crm/investors/{id}/portfolio',
  operationId: 'getInvestorPortfolio',
  summary: 'An investor’s holdings at Bib (agents: their own investors), served from the cache (headers X-Cache, Age, X-Bib-Stale when Bib is down); 409 until the investor is at Bib',
  tags: ['Investors'],
  access: 'private',
  permission: 'investor:read',
  params: investorIdParams,
  errors: ['NOT_FOUND', 'CONFLICT', 'DEPENDENCY_UNAVAILABLE'],
  cacheControl,
  response: { status: 200, description: 'The holdings', schema: portfolioSchema },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    const { portfolio, cache } = await getInvestorPortfolio({ actor: actorOf(p, ip), investorId: params.id });
    return { body: portfolio, headers: cacheHeaders(cache) };
  },
});

export const productRoutes: readonly AnyRoute[] = [listProductsRoute, investorPortfolioRoute];
