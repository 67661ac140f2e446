import type { Messaging } from 'firebase-admin/messaging';
import { config } from '../../../shared/config.js';

/**
 * Where pushes go: FCM through firebase-admin (imported on first use, so other functions' cold starts
 * never pay for it), or the local runtime's sink. Results are per token, because FCM answers per token.
 */
export interface PushMessage {
  title: string;
  body: string;
  data: Record<string, string>;
}

export type TokenResult = { token: string; outcome: 'sent'; id: string } | { token: string; outcome: 'invalid' | 'retry'; reason: string };

export interface PushProvider {
  readonly name: string;
  send(userId: number, tokens: string[], message: PushMessage): Promise<TokenResult[]>;
}

// FCM error codes that mean the token is dead (remove it) versus FCM being unwell (try again later).
const invalidCodes = new Set(['messaging/registration-token-not-registered', 'messaging/invalid-registration-token', 'messaging/invalid-argument', 'messaging/mismatched-credential']);

export class FcmPush implements PushProvider {
  readonly name = 'fcm';
  private messaging: Promise<Messaging> | undefined;

  private client() {
    this.messaging ??= (async () => {
      const { initializeApp, getApps } = await import('firebase-admin/app');
      const { getMessaging } = await import('firebase-admin/messaging');
      return getMessaging(getApps()[0] ?? initializeApp());
    })();
    return this.messaging;
  }

  async send(_userId: number, tokens: string[], message: PushMessage): Promise<TokenResult[]> {
    const messaging = await this.client();
    const res = await messaging.sendEachForMulticast({ tokens, notification: { title: message.title, body: message.body }, data: message.data });
    return res.responses.map((r, i) => {
      const token = tokens[i]!;
      if (r.success) return { token, outcome: 'sent', id: r.messageId ?? '' };
      const code = r.error?.code ?? 'unknown';
      return { token, outcome: invalidCodes.has(code) ? 'invalid' : 'retry', reason: code };
    });
  }
}

export class LocalSinkPush implements PushProvider {
  readonly name = 'local';
  constructor(private readonly sinkUrl: string) {}

  async send(userId: number, tokens: string[], message: PushMessage): Promise<TokenResult[]> {
    return Promise.all(
      tokens.map(async (token): Promise<TokenResult> => {
        const res = await fetch(`${this.sinkUrl}/_dev/sink/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to: `user:${userId}`, title: message.title, body: message.body, data: { ...message.data, deviceToken: token } }),
          signal: AbortSignal.timeout(config().PROVIDER_TIMEOUT_MS),
        });
        if (!res.ok) return { token, outcome: 'retry', reason: `sink ${res.status}` };
        return { token, outcome: 'sent', id: ((await res.json()) as { id: string }).id };
      }),
    );
  }
}

let provider: PushProvider | undefined;

export function pushProvider(): PushProvider {
  if (!provider) {
    const cfg = config();
    if (cfg.PUSH_PROVIDER === 'fcm') provider = new FcmPush();
    else if (cfg.APP_ENV === 'cloud') throw new Error('PUSH_PROVIDER=local is for the local runtime only');
    else if (cfg.DEV_SINK_URL) provider = new LocalSinkPush(cfg.DEV_SINK_URL);
    else throw new Error('DEV_SINK_URL is required for the local push provider');
  }
  return provider;
}

export function setPushProvider(next: PushProvider | undefined): void {
  provider = next;
}
