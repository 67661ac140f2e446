import { AppError } from '../../../shared/errors.js';
import type { RiskCategory } from '../investors/investor.repo.js';
import type { Product } from '../products/product-catalogue.js';
import { suitabilityStatement } from './suitability-statement.js';
import type { InstructionType } from './instruction.repo.js';

/** The highest product risk level (1-5) each risk profile suits. */
export const maxRiskLevelOf: Record<RiskCategory, number> = { CONSERVATIVE: 2, MODERATE: 3, AGGRESSIVE: 5 };

export interface SuitabilityAcknowledgement {
  statement: { id: string; en: string };
  version: string;
  /** The RM who recorded the investor's acknowledgement. */
  recordedBy: number;
  recordedAt: string;
}

/** What instruction.suitability holds: the check as it was made, and the acknowledgement when one was needed. */
export interface Suitability {
  productRiskLevel: number;
  investorRiskProfile: RiskCategory;
  maxRiskLevel: number;
  suitable: boolean;
  acknowledgement?: SuitabilityAcknowledgement;
}

export interface AssessSuitabilityOptions {
  type: InstructionType;
  product: Product;
  target: Product | undefined;
  /** The investor's profile; none (an institution without one) counts as the most careful. */
  riskCategory: RiskCategory | null;
  riskAcknowledged: boolean | undefined;
  agentId: number;
  now: Date;
}

/**
 * Checks the product bought (SUBSCRIPTION) or switched into (SWITCHING) against the investor's profile. A
 * redemption only lowers the investor's exposure, so it is always suitable. Above the profile, the RM must
 * record the investor's acknowledgement (422 UNSUITABLE_PRODUCT until it does); it is stored with the statement.
 */
export function assessSuitability(o: AssessSuitabilityOptions): Suitability {
  const investorRiskProfile = o.riskCategory ?? 'CONSERVATIVE';
  const maxRiskLevel = maxRiskLevelOf[investorRiskProfile];
  const productRiskLevel = (o.type === 'SWITCHING' ? o.target! : o.product).riskLevel;
  const check = { productRiskLevel, investorRiskProfile, maxRiskLevel };
  if (o.type === 'REDEMPTION' || productRiskLevel <= maxRiskLevel) return { ...check, suitable: true };
  if (o.riskAcknowledged !== true) {
    throw new AppError('UNSUITABLE_PRODUCT', {
      detail: `The product's risk level ${productRiskLevel} is above ${maxRiskLevel}, the highest a ${investorRiskProfile} investor suits`,
      errors: [{ field: 'body.riskAcknowledged', message: 'Record the investor’s acknowledgement of the risk (true) to go on' }],
      extra: check,
    });
  }
  return {
    ...check,
    suitable: false,
    acknowledgement: {
      statement: { id: suitabilityStatement.id, en: suitabilityStatement.en },
      version: suitabilityStatement.version,
      recordedBy: o.agentId,
      recordedAt: o.now.toISOString(),
    },
  };
}
