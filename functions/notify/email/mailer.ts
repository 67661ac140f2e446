import type { Transporter } from 'nodemailer';
import { config } from '../../../shared/config.js';
import { getSecret } from '../../../shared/secrets.js';
import { PermanentFailure } from '../../../shared/events/consumer.js';
import type { RenderedEmail } from './layout.js';

/**
 * SMTP through nodemailer. The URL (with credentials) is the `smtp-url` secret in the cloud and SMTP_URL
 * locally. Failures are sorted for Pub/Sub: a 5xx reply or a refused address will not get better
 * (PermanentFailure, recorded and acknowledged); a 4xx reply, a timeout or a refused connection may
 * (thrown as is, so the message is redelivered).
 */
let transport: Promise<Transporter> | undefined;

async function transporter(): Promise<Transporter> {
  transport ??= (async () => {
    const url = await getSecret('smtp-url', config().SMTP_URL);
    const nodemailer = await import('nodemailer');
    // Timeouts ride on the URL's query, which nodemailer reads as transport options.
    const withTimeouts = new URL(url);
    for (const key of ['connectionTimeout', 'greetingTimeout', 'socketTimeout']) {
      if (!withTimeouts.searchParams.has(key)) withTimeouts.searchParams.set(key, String(config().PROVIDER_TIMEOUT_MS));
    }
    return nodemailer.createTransport(withTimeouts.toString());
  })();
  return transport;
}

/** Tests and the local runtime point the mailer at another server. */
export function resetMailer(): void {
  transport = undefined;
}

export interface SentEmail {
  messageId: string;
}

export async function sendEmail(to: string, email: RenderedEmail, headers: Record<string, string> = {}): Promise<SentEmail> {
  const t = await transporter();
  try {
    const info = await t.sendMail({ from: config().MAIL_FROM, to, subject: email.subject, text: email.text, html: email.html, headers });
    if ((info.rejected ?? []).length > 0) throw new PermanentFailure(`recipient refused: ${info.response}`);
    return { messageId: info.messageId };
  } catch (err) {
    throw classify(err);
  }
}

function classify(err: unknown): unknown {
  if (err instanceof PermanentFailure) return err;
  const e = err as { responseCode?: number; code?: string; response?: string; message?: string };
  if ((e.responseCode && e.responseCode >= 500) || e.code === 'EENVELOPE') {
    return new PermanentFailure(`SMTP refused the message: ${e.response ?? e.message ?? e.code}`, { cause: err });
  }
  return err;
}
