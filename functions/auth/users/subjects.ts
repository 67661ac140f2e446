import { query } from '../../../shared/db/tx.js';

/**
 * The public flows start without a tenant. These call the SECURITY DEFINER look-ups of migration 0005,
 * which map one key to the (user, company) the rest of the request then runs as, under RLS.
 */
export interface Subject {
  userId: number;
  companyId: number;
}

async function subject(sql: string, value: string): Promise<Subject | undefined> {
  const { rows } = await query<{ user_id: number; company_id: number }>(sql, [value]);
  const r = rows[0];
  return r && { userId: r.user_id, companyId: r.company_id };
}

/** `identifier` is an email (any case) or an E.164 phone number. */
export const loginSubject = (identifier: string) => subject(`select user_id, company_id from app.login_subject($1::text)`, identifier);
export const ottSubject = (ottId: string) => subject(`select user_id, company_id from app.ott_subject($1::uuid)`, ottId);
export const refreshSubject = (hash: string) => subject(`select user_id, company_id from app.refresh_subject($1::text)`, hash);
export const userTokenSubject = (hash: string) => subject(`select user_id, company_id from app.user_token_subject($1::text)`, hash);

export async function identifiersTaken(email: string | null, phone: string | null): Promise<{ emailTaken: boolean; phoneTaken: boolean }> {
  const { rows } = await query<{ email_taken: boolean; phone_taken: boolean }>(
    `select email_taken, phone_taken from app.identifiers_taken($1::text, $2::text)`,
    [email, phone],
  );
  return { emailTaken: rows[0]!.email_taken, phoneTaken: rows[0]!.phone_taken };
}
