import type { Tx } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { emit } from '../../../shared/events/outbox.js';
import { newOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { sealedInvestorLink } from '../links/link-url.js';
import { findAgentLicence } from '../agents/agent.repo.js';
import { findInvestor } from '../investors/investor.repo.js';
import { insertInstructionToken, revokeOpenTokens } from './instruction-token.repo.js';
import type { InstructionRecord } from './instruction.repo.js';

/**
 * Emails the investor a fresh signature link for a pending instruction, valid until its link_expires_at, and
 * revokes any earlier link: one live link per instruction. Only the token's hash is stored; the link travels
 * encrypted in the email event. Runs in the caller's transaction, so no link exists for work rolled back.
 */
export async function sendSignatureLink(tx: Tx, instruction: InstructionRecord): Promise<void> {
  const investor = await findInvestor(tx, instruction.investorId);
  if (!investor?.email) {
    throw new AppError('BUSINESS_RULE', { detail: 'The investor has no email address to send the signature link to' });
  }
  // The instruction's agent is of its company, which every caller who sees the instruction acts in.
  const agent = await findAgentLicence(tx, instruction.agentId);
  if (!agent) throw new Error(`The agent ${instruction.agentId} of instruction ${instruction.id} is not visible`);

  await revokeOpenTokens(tx, instruction.id);
  const token = newOpaqueToken();
  await insertInstructionToken(tx, { companyId: instruction.companyId, instructionId: instruction.id, hash: token.hash, expiresAt: instruction.linkExpiresAt });
  await emit(
    tx,
    'email.requested',
    {
      template: 'INSTRUCTION_SIGNATURE_LINK',
      to: investor.email,
      variables: {
        investorName: investor.fullName,
        instructionType: instruction.type,
        // The names as they were when the instruction was made.
        productName: [instruction.productName, ...(instruction.targetProductName ? [instruction.targetProductName] : [])].join(' → '),
        amount: instruction.amount,
        units: instruction.units,
        agentName: agent.fullname,
        expiresAt: instruction.linkExpiresAt.toISOString(),
      },
      secureLink: await sealedInvestorLink(token.token),
      entity: { type: 'instruction', id: instruction.id },
    },
    { companyId: instruction.companyId },
  );
}
