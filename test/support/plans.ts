import type pg from 'pg';
import { withTransaction, type DbActor, type Queryable } from '../../shared/db/tx.js';
import { statementOf } from '../../tools/bench/statement.js';

/** EXPLAIN of a repository's statement as the app role under an actor's settings (the plan tests). */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

export function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** Captures the statement a repository function would send, then EXPLAINs it under the actor's settings. */
export async function explain(pool: pg.Pool, actor: DbActor, run: (q: Queryable) => Promise<unknown>): Promise<PlanNode[]> {
  const statement = await statementOf(run);
  return withTransaction(actor, async (tx) => {
    const { rows } = await tx.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`explain (format json) ${statement.text}`, statement.values);
    return nodes(rows[0]!['QUERY PLAN'][0]!.Plan);
  }, pool);
}

