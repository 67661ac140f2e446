import { html, safeUrl, type SafeHtml } from './html.js';

export type Locale = 'id' | 'en';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailContent {
  subject: string;
  /** Paragraphs, as plain text; escaped into the HTML part. */
  paragraphs: string[];
  /** The one call to action, when the email carries a link. */
  action?: { label: string; url: string };
  /** Small print under the body (expiry, "not you?"). */
  footnote?: string;
}

const footer: Record<Locale, string> = {
  id: 'Email ini dikirim otomatis oleh RMTools. Jangan balas email ini.',
  en: 'This email was sent automatically by RMTools. Please do not reply.',
};

/** Both parts of every email from one description, so the text and HTML never say different things. */
export function renderEmail(content: EmailContent, locale: Locale): RenderedEmail {
  const url = content.action ? safeUrl(content.action.url) : undefined;
  const text = [
    ...content.paragraphs,
    ...(content.action && url ? [`${content.action.label}: ${url}`] : []),
    ...(content.footnote ? [content.footnote] : []),
    '--',
    footer[locale],
  ].join('\n\n');
  const button: SafeHtml | string = content.action && url
    ? html`<p style="margin:24px 0"><a href="${url}" style="background:#0b5cad;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${content.action.label}</a></p>
<p style="font-size:12px;color:#555555">${url}</p>`
    : '';
  const body = html`<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${content.subject}</title></head>
<body style="margin:0;padding:24px;background:#f4f6f8;font-family:Arial,Helvetica,sans-serif;color:#1d2733">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<h1 style="font-size:18px;margin:0 0 16px">${content.subject}</h1>
${content.paragraphs.map((p) => html`<p style="line-height:1.5">${p}</p>`)}
${button}
${content.footnote ? html`<p style="font-size:12px;color:#555555">${content.footnote}</p>` : ''}
<hr style="border:none;border-top:1px solid #e3e7eb;margin:24px 0">
<p style="font-size:12px;color:#777777">${footer[locale]}</p>
</div>
</body>
</html>`;
  return { subject: content.subject, text, html: body.value };
}
