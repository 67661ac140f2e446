import { z } from 'zod';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { decodeCursor, toPage, type Page } from '../../../shared/http/pagination.js';
import { isAgent, notFound } from '../crm-access.js';
import type { InstructionStatus } from '../../../shared/instructions/instruction-status.js';
import { listInstructions } from './instruction-list.repo.js';
import { findInstruction } from './instruction.repo.js';
import { instructionView, type InstructionView } from './instruction.view.js';

export interface ListInstructionsOptions {
  principal: Principal;
  actor: DbActor;
  status?: InstructionStatus;
  investorId?: string;
  cursor?: string;
  limit: number;
}

const cursorKey = z.tuple([z.string().min(1).max(64), z.uuid()]);

/** An agent's own instructions, or an admin's companies', newest first. */
export async function listInstructionsOfCaller(o: ListInstructionsOptions): Promise<Page<InstructionView>> {
  const after = decodeCursor(o.cursor, cursorKey);
  const rows = await withTransaction(o.actor, (tx) =>
    listInstructions(tx, {
      companyIds: o.principal.companyIds,
      agentId: isAgent(o.principal) ? o.principal.userId : undefined,
      status: o.status,
      investorId: o.investorId,
      before: after,
      limit: o.limit + 1,
    }),
  );
  return toPage(rows, o.limit, (r) => [r.createdKey, r.id], instructionView);
}

export interface GetInstructionOptions {
  actor: DbActor;
  id: string;
}

export async function getInstruction(o: GetInstructionOptions): Promise<InstructionView> {
  const instruction = await withTransaction(o.actor, (tx) => findInstruction(tx, o.id));
  if (!instruction) throw notFound('instruction');
  return instructionView(instruction);
}
