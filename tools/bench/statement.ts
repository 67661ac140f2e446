import type { Queryable } from '../../shared/db/tx.js';

/** The one statement a repository function sends, captured instead of run, to replay or EXPLAIN elsewhere. */
export async function statementOf(run: (q: Queryable) => Promise<unknown>): Promise<{ text: string; values: unknown[] }> {
  let captured: { text: string; values: unknown[] } | undefined;
  await run({
    query: async (text, values) => {
      captured = { text: typeof text === 'string' ? text : text.text, values: values ?? [] };
      return { rows: [], rowCount: 0, command: 'SELECT', oid: 0, fields: [] };
    },
  });
  if (!captured) throw new Error('The function sent no statement');
  return captured;
}
