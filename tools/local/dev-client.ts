import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes; the assertions check them
export type Json = Record<string, any>;

/**
 * A client of `npm start` as the apps see it: JSON calls through the local gateway, and the codes and mail a
 * developer reads at /_dev/mail (GET /_dev/messages). Used by the local scenario tests and `npm run demo:links`.
 */
export function devClient(baseUrl: string) {
  async function call(method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  async function demoCredentials(): Promise<Json> {
    return JSON.parse(await readFile(fileURLToPath(new URL('../../.data/demo-credentials.json', import.meta.url)), 'utf8')) as Json;
  }

  /** The newest message to `to` after `since` whose text matches. */
  async function messageTo(to: string, since: string, match: RegExp): Promise<{ text: string; links: string[] }> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { body } = await call('GET', `/_dev/messages?to=${encodeURIComponent(to)}&since=${encodeURIComponent(since)}`);
      const found = (body.items as Array<{ text: string; links: string[] }>).find((m) => match.test(m.text));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`No message matching ${match} reached ${to}`);
  }

  /** The newest six-digit code sent to `to` after `since`. */
  async function codeSentTo(to: string, since: string): Promise<string> {
    const text = (await messageTo(to, since, /\b\d{6}\b/)).text;
    return /\b(\d{6})\b/.exec(text)![1]!;
  }

  /** The demo admin signs in from a new browser (the code comes by email). */
  async function adminToken(): Promise<string> {
    const creds = await demoCredentials();
    const since = new Date().toISOString();
    const browser = `browser-${Date.now()}-${Math.random()}`;
    const challenge = await call('POST', '/auth/login', { identifier: creds.admin.email, password: creds.admin.password, deviceId: browser, platform: 'WEB' });
    const tokens = await call('POST', '/auth/verify-otp', { ottId: challenge.body.otp.ottId, code: await codeSentTo(creds.admin.email, since), deviceId: browser });
    return tokens.body.accessToken as string;
  }

  return { call, demoCredentials, messageTo, codeSentTo, adminToken };
}
