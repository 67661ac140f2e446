import { AppError, type FieldError } from '../../../shared/errors.js';
import type { Tx } from '../../../shared/db/tx.js';
import { listBankAccounts } from '../investors/bank-account.repo.js';
import type { Product } from '../products/product-catalogue.js';
import { compareDecimal } from './decimal.js';
import type { CreateInstructionInput } from './instruction-input.js';
import type { InstructionType } from './instruction.repo.js';

export interface CheckedOrder {
  product: Product;
  /** The product switched into (SWITCHING). */
  target: Product | undefined;
  feePct: string | null;
}

const refused = (errors: FieldError[]) => new AppError('BUSINESS_RULE', { detail: 'The instruction does not meet the product’s terms', errors });

export interface CheckOrderOptions {
  input: CreateInstructionInput;
  investorId: string;
  /** The catalogue's products named by the input (findCatalogueProducts), read before the transaction. */
  products: readonly Product[];
}

/** The codes an instruction names: its product and, for a switch, the target. */
export function orderedCodes(input: CreateInstructionInput): string[] {
  return [input.productCode, ...(input.targetProductCode ? [input.targetProductCode] : [])];
}

/**
 * The rules that need Bib's catalogue and the investor's accounts: products on sale (a switch stays within one
 * investment manager), the minimums, and for a redemption a verified account of the investor's own. Every
 * broken rule is reported at once, on its field (422).
 */
export async function checkOrder(tx: Tx, o: CheckOrderOptions): Promise<CheckedOrder> {
  const { input, investorId, products } = o;
  const product = products.find((p) => p.code === input.productCode);
  const target = input.targetProductCode ? products.find((p) => p.code === input.targetProductCode) : undefined;
  const errors = productErrors('body.productCode', input.productCode, product);
  if (input.type === 'SWITCHING') {
    errors.push(...productErrors('body.targetProductCode', input.targetProductCode!, target));
    if (product && target && product.productHouse !== target.productHouse) {
      errors.push({ field: 'body.targetProductCode', message: `A switch stays with ${product.productHouse}; ${target.code} is managed by ${target.productHouse}` });
    }
  }
  if (errors.length || !product) throw refused(errors);
  errors.push(...sizeErrors(input, product, target));
  if (input.type === 'REDEMPTION') errors.push(...(await bankAccountErrors(tx, investorId, input.bankAccountId!)));
  if (errors.length) throw refused(errors);
  return { product, target, feePct: feeOf(input.type, product) };
}

function productErrors(field: string, code: string, product: Product | undefined): FieldError[] {
  if (!product) return [{ field, message: `No product ${code}` }];
  if (!product.active) return [{ field, message: `${code} is not on sale` }];
  return [];
}

function sizeErrors(input: CreateInstructionInput, product: Product, target: Product | undefined): FieldError[] {
  const { amount, units } = input;
  // An amount buys into the product (subscription) or the target (switch): the one whose minimum applies.
  const buying = input.type === 'SUBSCRIPTION' ? product : input.type === 'SWITCHING' ? target : undefined;
  if (amount && buying && compareDecimal(amount, buying.minSubscription) < 0) {
    return [{ field: 'body.amount', message: `The minimum subscription of ${buying.code} is ${buying.minSubscription}` }];
  }
  if (units && input.type === 'REDEMPTION' && compareDecimal(units, product.minRedemptionUnits) < 0) {
    return [{ field: 'body.units', message: `The minimum redemption of ${product.code} is ${product.minRedemptionUnits} units` }];
  }
  return [];
}

async function bankAccountErrors(tx: Tx, investorId: string, bankAccountId: number): Promise<FieldError[]> {
  const account = (await listBankAccounts(tx, [investorId])).find((a) => a.id === bankAccountId);
  if (!account) return [{ field: 'body.bankAccountId', message: 'Not one of the investor’s bank accounts' }];
  if (!account.verified) return [{ field: 'body.bankAccountId', message: 'The bank account is not verified' }];
  return [];
}

/** The fee the product publishes for this kind of instruction (a switch pays the source product's). */
function feeOf(type: InstructionType, p: Product): string | null {
  return type === 'SUBSCRIPTION' ? p.subscriptionFeePct : type === 'REDEMPTION' ? p.redemptionFeePct : p.switchingFeePct;
}
