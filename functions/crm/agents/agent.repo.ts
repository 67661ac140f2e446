import type { Queryable } from '../../../shared/db/tx.js';

export interface Agent {
  id: number;
  companyId: number;
  fullname: string;
}

/** An active, undeleted RM agent the caller can see (RLS on auth_user: the caller's companies). */
export async function findActiveAgent(q: Queryable, id: number): Promise<Agent | undefined> {
  const { rows } = await q.query<{ id: string; company_id: string; fullname: string }>(
    `select id, company_id, fullname from auth_user
      where id = $1::bigint and role = 'RM_AGENT' and status = 'ACTIVE' and deleted_at is null`,
    [id],
  );
  const r = rows[0];
  return r && { id: Number(r.id), companyId: Number(r.company_id), fullname: r.fullname };
}

export interface AgentLicence {
  id: number;
  fullname: string;
  /** A WAPERD number with an expiry date not before today in Jakarta (as functions/auth reads it). */
  licensed: boolean;
}

/** An agent's name and whether its WAPERD licence is valid today; undefined when the caller cannot see the user. */
export async function findAgentLicence(q: Queryable, id: number): Promise<AgentLicence | undefined> {
  const { rows } = await q.query<{ id: string; fullname: string; licensed: boolean }>(
    `select id, fullname,
            coalesce(waperd_number is not null and waperd_expires_on >= (now() at time zone 'Asia/Jakarta')::date, false) as licensed
       from auth_user
      where id = $1::bigint`,
    [id],
  );
  const r = rows[0];
  return r && { id: Number(r.id), fullname: r.fullname, licensed: r.licensed };
}
