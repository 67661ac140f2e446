import { decrypt } from '../../shared/crypto/encryption.js';
import { freshIp } from './auth.js';
import { crm, crmRows } from './crm.js';

/**
 * The investor's browser on a link's pages (signature and remote registration): its own address, the cookies
 * the pages set and the page's CSRF token, sent back on each request as the page's script does.
 */
export class InvestorBrowser {
  readonly ip = freshIp();
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Opens a page: keeps the cookies it sets and the CSRF token of its meta. */
  protected async openPage(path: string) {
    const req = crm().get(path).set('X-Forwarded-For', this.ip);
    const res = await (this.cookies.size ? req.set('Cookie', this.cookieHeader()) : req);
    for (const c of (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    this.csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(res.text)?.[1] ?? this.csrf;
    return res;
  }

  /** A request of the page's script: the address, the cookies and the CSRF token; `without` leaves out what a forged or foreign request lacks. */
  protected withHeaders<T extends { set(name: string, value: string): T }>(req: T, without: { cookies?: boolean; csrf?: boolean } = {}): T {
    let out = req.set('X-Forwarded-For', this.ip);
    if (!without.cookies && this.cookies.size) out = out.set('Cookie', this.cookieHeader());
    return !without.csrf && this.csrf ? out.set('X-CSRF-Token', this.csrf) : out;
  }
}

/** The code the investor received for a link (subject `instruction_token:{id}` or `investor_token:{id}`): its newest code, decrypted as notify reads it. */
export async function codeOf(subject: string): Promise<{ ottId: string; code: string }> {
  const [row] = await crmRows<{ id: string; code_encrypted: string | null }>(
    `select id, code_encrypted from auth_ott where subject = $1::text order by created_at desc limit 1`,
    [subject],
  );
  if (!row?.code_encrypted) throw new Error(`No undelivered code for ${subject}`);
  return { ottId: row.id, code: await decrypt(row.code_encrypted, `auth_ott:${row.id}`) };
}
