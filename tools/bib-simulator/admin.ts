import { z } from 'zod';
import { bibOrderStatuses } from '../../shared/bib/contract.js';
import { json, problem, type Answer } from './answer.js';
import { bibFaultsPatch } from './faults.js';
import type { BibSimulator } from './simulator.js';

const progressBody = z.strictObject({ status: z.enum(bibOrderStatuses), reason: z.string().min(1).max(500).optional() });
const progressPath = /^\/_sim\/orders\/([^/]+)\/progress$/;

/**
 * For people driving the simulator by hand (npm start): no auth, only under /_sim/, never faulted.
 *   GET /_sim/stats, GET /_sim/faults, PUT /_sim/faults {partial faults}, GET /_sim/orders,
 *   POST /_sim/orders/{id}/progress {status, reason?}, POST /_sim/reset
 */
export async function adminAnswer(sim: BibSimulator, method: string, url: string, body: Buffer): Promise<Answer> {
  const path = url.split('?', 1)[0] ?? '';
  const route = `${method} ${path}`;
  if (route === 'GET /_sim/stats') {
    const s = sim.stats();
    return json(200, {
      ...s,
      investorsCreatedByClientRef: Object.fromEntries(s.investorsCreatedByClientRef),
      ordersCreatedByClientRef: Object.fromEntries(s.ordersCreatedByClientRef),
    });
  }
  if (route === 'GET /_sim/faults') return json(200, sim.faults);
  if (route === 'PUT /_sim/faults') {
    const patch = bibFaultsPatch.safeParse(parseJson(body));
    if (!patch.success) return problem(400, 'VALIDATION_FAILED', patch.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    sim.setFaults(patch.data);
    return json(200, sim.faults);
  }
  if (route === 'GET /_sim/orders') return json(200, { items: sim.orders() });
  if (route === 'POST /_sim/reset') {
    sim.reset();
    return json(200, { ok: true });
  }
  const m = progressPath.exec(path);
  if (m && method === 'POST') {
    const id = decodeURIComponent(m[1] ?? '');
    const input = progressBody.safeParse(parseJson(body));
    if (!input.success) return problem(400, 'VALIDATION_FAILED', 'body: {status, reason?}');
    if (!sim.order(id)) return problem(404, 'NOT_FOUND', `no order ${id}`);
    return json(200, sim.progressOrder(id, input.data.status, input.data.reason));
  }
  return problem(404, 'NOT_FOUND', `no admin route ${route}`);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
