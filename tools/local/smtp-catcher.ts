import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { MessageSink } from './sink.js';

/**
 * The local stand-in for the mail provider: an SMTP server on the loopback interface that accepts every
 * message and puts one copy per envelope recipient into the sink. Nothing is relayed anywhere.
 */
export interface SmtpCatcher {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export interface SmtpCatcherOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  host?: string;
}

export const smtpSizeLimitBytes = 10 * 1024 * 1024;

export async function startSmtpCatcher(sink: MessageSink, opts: SmtpCatcherOptions = {}): Promise<SmtpCatcher> {
  const host = opts.host ?? '127.0.0.1';
  const server = new SMTPServer({
    name: 'rmtools-local-smtp',
    banner: 'RMTools local SMTP catcher: nothing leaves this machine',
    logger: false,
    size: smtpSizeLimitBytes,
    authOptional: true,
    // Accept any credentials without TLS, so an app configured with a real provider's login still works.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    // Do not keep a pooled client's idle connection alive for 30 s on stop().
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'local' });
    },
    onData(stream, session, callback) {
      catchMessage(sink, stream, session).then(
        () => callback(),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });
  // A client that drops its connection must not crash the whole local runtime.
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function catchMessage(sink: MessageSink, stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
  const mail = await simpleParser(stream);
  if (stream.sizeExceeded) {
    throw Object.assign(new Error(`Message exceeds ${smtpSizeLimitBytes} bytes`), { responseCode: 552 });
  }
  const sentAt = new Date().toISOString();
  for (const recipient of session.envelope.rcptTo) {
    sink.add({
      channel: 'EMAIL',
      to: recipient.address,
      ...(mail.subject !== undefined ? { subject: mail.subject } : {}),
      text: mail.text ?? '',
      ...(typeof mail.html === 'string' ? { html: mail.html } : {}),
      headers: Object.fromEntries(mail.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(':') + 1).trim()])),
      sentAt,
    });
  }
}
