import type { AnyRoute } from '../../shared/http/route.js';
import { healthRoute } from '../../shared/http/health.js';
import { listBanksRoute, listLocationsRoute } from './master-data/master-data.routes.js';
import { kycOptionsRoute, riskQuestionnaireRoute } from './kyc/kyc.routes.js';
import { leadRoutes } from './leads/leads.routes.js';
import { decideInvestorsRoute, getInvestorRoute, listInvestorsRoute, revealInvestorPiiRoute, submitInvestorRoute } from './investors/investors.routes.js';
import { linkExternalIdRoute, requestBibSyncRoute } from './investors/bib-link.routes.js';
import { documentRoutes } from './documents/documents.routes.js';
import { instructionRoutes } from './instructions/instructions.routes.js';
import { linkRoutes } from './links/links.routes.js';
import { registrationRoutes } from './remote-registration/registration.routes.js';
import { signatureRoutes } from './signatures/signatures.routes.js';
import { productRoutes } from './products/products.routes.js';
import { bibWebhookRoutes } from './bib-webhooks/bib-webhook.routes.js';

/** Every route the crm function serves; the gateway spec and /docs are generated from this table. */
export const crmRoutes: readonly AnyRoute[] = [
  healthRoute('crm', 'CRM'),
  listBanksRoute,
  listLocationsRoute,
  kycOptionsRoute,
  riskQuestionnaireRoute,
  ...leadRoutes,
  listInvestorsRoute,
  submitInvestorRoute,
  getInvestorRoute,
  decideInvestorsRoute,
  revealInvestorPiiRoute,
  linkExternalIdRoute,
  requestBibSyncRoute,
  ...documentRoutes,
  ...registrationRoutes,
  ...instructionRoutes,
  ...linkRoutes,
  ...signatureRoutes,
  ...productRoutes,
  ...bibWebhookRoutes,
];
