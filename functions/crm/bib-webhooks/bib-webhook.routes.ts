import { z } from 'zod';
import { bibHeaders, bibWebhookEvent } from '../../../shared/bib/contract.js';
import { defineRoute, type AnyRoute } from '../../../shared/http/route.js';
import { receiveBibEvent, receiveOutcomes } from './receive-bib-event.js';

/**
 * The body is documented as Bib's event but accepted as any JSON here: it is read only after its signature
 * holds (receive-bib-event.ts), so an unsigned body is refused with 401 whatever it contains.
 */
const { $schema: _dialect, ...eventDoc } = z.toJSONSchema(bibWebhookEvent, { io: 'input' }) as Record<string, unknown>;
const signedEvent = z.unknown().meta({ ...eventDoc, description: `Bib's event, signed: header ${bibHeaders.webhookSignature}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` });

export const receiveBibWebhookRoute = defineRoute({
  method: 'POST',
  path: '/crm/webhooks/bib',
  operationId: 'receiveBibWebhook',
  summary: `Bib reports an order's status change (HMAC-signed in ${bibHeaders.webhookSignature}; replays and stale timestamps refused)`,
  tags: ['Bib'],
  access: 'webhook',
  body: signedEvent,
  errors: ['WEBHOOK_SIGNATURE_INVALID'],
  response: {
    status: 200,
    description: 'The event was taken: applied, or why it changed nothing (duplicate, stale, unknown instruction, ...)',
    schema: z.object({ status: z.enum(receiveOutcomes) }),
  },
  handler: async ({ rawBody, headers, body, log }) => {
    const signature = headers[bibHeaders.webhookSignature.toLowerCase()];
    return { body: await receiveBibEvent({ rawBody, signature: typeof signature === 'string' ? signature : undefined, body, log }) };
  },
});

export const bibWebhookRoutes: readonly AnyRoute[] = [receiveBibWebhookRoute];
