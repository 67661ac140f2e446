import { config } from '../../../shared/config.js';
import { getSecret } from '../../../shared/secrets.js';
import { PermanentFailure } from '../../../shared/events/consumer.js';

/**
 * Where SMS go. Production uses Infobip's HTTP API (widely used for A2P SMS in Indonesia); locally the
 * runtime's sink stands in. A provider answers with its message id, throws PermanentFailure when the
 * provider refused the message for good, and throws anything else when a retry may help.
 */
export interface SmsProvider {
  readonly name: string;
  send(to: string, text: string): Promise<{ id: string }>;
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(config().PROVIDER_TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.ok) return text ? JSON.parse(text) : {};
  const detail = `${res.status} ${text.slice(0, 300)}`;
  // Our credentials or rate being wrong is fixable on our side, so those stay retryable (and reach the
  // dead-letter topic, where someone sees them); any other 4xx is about this message and will not change.
  if (res.status >= 400 && res.status < 500 && ![401, 403, 408, 429].includes(res.status)) throw new PermanentFailure(`provider refused: ${detail}`);
  throw new Error(`provider unavailable: ${detail}`);
}

export class InfobipSms implements SmsProvider {
  readonly name = 'infobip';
  constructor(private readonly baseUrl: string, private readonly apiKey: () => Promise<string>, private readonly sender: string) {}

  async send(to: string, text: string): Promise<{ id: string }> {
    const body = { messages: [{ destinations: [{ to: to.replace(/^\+/, '') }], from: this.sender, text }] };
    const res = (await post(`${this.baseUrl}/sms/2/text/advanced`, body, { authorization: `App ${await this.apiKey()}` })) as {
      messages?: Array<{ messageId?: string; status?: { groupName?: string; description?: string } }>;
    };
    const msg = res.messages?.[0];
    if (msg?.status?.groupName === 'REJECTED') throw new PermanentFailure(`provider rejected: ${msg.status.description ?? 'no reason'}`);
    if (!msg?.messageId) throw new Error('provider answered without a message id');
    return { id: msg.messageId };
  }
}

export class LocalSinkSms implements SmsProvider {
  readonly name = 'local';
  constructor(private readonly sinkUrl: string) {}

  async send(to: string, text: string): Promise<{ id: string }> {
    const res = (await post(`${this.sinkUrl}/_dev/sink/sms`, { to, text }, {})) as { id: string };
    return { id: res.id };
  }
}

let provider: SmsProvider | undefined;

export function smsProvider(): SmsProvider {
  if (!provider) {
    const cfg = config();
    if (cfg.SMS_PROVIDER === 'infobip') {
      if (!cfg.SMS_API_BASE_URL) throw new Error('SMS_API_BASE_URL is required for infobip');
      provider = new InfobipSms(cfg.SMS_API_BASE_URL, () => getSecret('sms-api-key'), cfg.SMS_SENDER);
    } else {
      if (cfg.APP_ENV === 'cloud') throw new Error('SMS_PROVIDER=local is for the local runtime only');
      if (!cfg.DEV_SINK_URL) throw new Error('DEV_SINK_URL is required for the local SMS provider');
      provider = new LocalSinkSms(cfg.DEV_SINK_URL);
    }
  }
  return provider;
}

export function setSmsProvider(next: SmsProvider | undefined): void {
  provider = next;
}
