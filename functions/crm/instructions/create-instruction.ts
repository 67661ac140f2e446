import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { findAgentLicence } from '../agents/agent.repo.js';
import { notFound } from '../crm-access.js';
import { findInvestor } from '../investors/investor.repo.js';
import { findCatalogueProducts } from '../products/product-catalogue.js';
import type { CreateInstructionInput } from './instruction-input.js';
import { checkOrder, orderedCodes } from './instruction-rules.js';
import { insertInstruction, type FundDetails, type InstructionRecord } from './instruction.repo.js';
import { sendSignatureLink } from './signature-link.js';
import { assessSuitability } from './suitability.js';

export interface CreateInstructionOptions {
  principal: Principal;
  actor: DbActor;
  input: CreateInstructionInput;
  now?: Date;
}

/**
 * An RM prepares a transaction for one of its approved investors: the RM's WAPERD licence, the investor, the
 * product rules and the suitability are checked first, then the PENDING_SIGNATURE instruction, its signature
 * link and the email carrying it are written in one transaction. Nothing is processed until the investor signs.
 * The products come from Bib's catalogue (through the cache), read before the transaction so that no database
 * connection waits on Bib; when it cannot be read at all, 503 DEPENDENCY_UNAVAILABLE.
 */
export async function createInstruction(o: CreateInstructionOptions): Promise<InstructionRecord> {
  const input = o.input;
  const products = await findCatalogueProducts(orderedCodes(input));
  return withTransaction(o.actor, async (tx) => {
    const agent = await findAgentLicence(tx, o.principal.userId);
    if (!agent?.licensed) throw new AppError('LICENCE_REQUIRED', { detail: 'A WAPERD licence that has not expired is needed to prepare transactions' });
    const investor = await findInvestor(tx, input.investorId);
    if (!investor) throw notFound('investor');
    if (investor.status !== 'APPROVED') {
      throw new AppError('BUSINESS_RULE', { detail: `A ${investor.status} investor cannot transact; it must be APPROVED`, extra: { investorStatus: investor.status } });
    }
    if (!investor.email) throw new AppError('BUSINESS_RULE', { detail: 'The investor has no email address to send the signature link to' });
    const order = await checkOrder(tx, { input, investorId: investor.id, products });
    const suitability = assessSuitability({
      type: input.type,
      product: order.product,
      target: order.target,
      riskCategory: investor.riskProfile?.category ?? null,
      riskAcknowledged: input.riskAcknowledged ?? undefined,
      agentId: agent.id,
      now: o.now ?? new Date(),
    });
    const instruction = await insertInstruction(tx, {
      companyId: investor.companyId,
      investorId: investor.id,
      agentId: agent.id,
      type: input.type,
      productCode: order.product.code,
      productName: order.product.name,
      targetProductCode: order.target?.code ?? null,
      targetProductName: order.target?.name ?? null,
      productDetails: fundDetails(order.product),
      targetProductDetails: order.target ? fundDetails(order.target) : null,
      amount: input.amount ?? null,
      units: input.units ?? null,
      bankAccountId: input.bankAccountId ?? null,
      feePct: order.feePct,
      suitability,
    });
    await sendSignatureLink(tx, instruction);
    return instruction;
  });
}

function fundDetails(p: { productHouse: string; type: string; riskLevel: number }): FundDetails {
  return { productHouse: p.productHouse, type: p.type, riskLevel: p.riskLevel };
}
