import type { SinkMessage } from './sink.js';

/**
 * The HTML of /_dev/mail: delivered messages for people, newest first. No script at all: the email's own
 * HTML is shown inside a sandboxed srcdoc iframe (which inherits the page's CSP, so its scripts stay
 * blocked twice over) behind a <details> toggle.
 */
export const devMailPagePolicy = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  // Template logos are usually hosted images; allow them so the HTML preview looks like the real thing.
  'img-src data: https:',
  "frame-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
].join('; ');

export interface DevMailPageOptions {
  /** Seconds between reloads; 0 stops them (reloading closes an open HTML preview). */
  refreshSeconds: number;
  to?: string;
}

export function renderDevMailPage(messages: readonly SinkMessage[], opts: DevMailPageOptions): string {
  const refresh = opts.refreshSeconds > 0 ? `<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : '';
  const toParam = opts.to ? `&to=${encodeURIComponent(opts.to)}` : '';
  const toggle =
    opts.refreshSeconds > 0
      ? `reloads every ${opts.refreshSeconds} s · <a href="/_dev/mail?refresh=off${escapeHtml(toParam)}">pause</a>`
      : `paused · <a href="/_dev/mail?${escapeHtml(toParam.slice(1))}">resume reloading</a>`;
  const items = messages.length ? messages.map(renderMessage).join('\n') : '<p class="empty">Nothing delivered yet.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}
<title>RMTools · delivered messages</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>Delivered messages <span class="count">${messages.length}</span></h1>
<p class="meta">Email, SMS and push caught by the local runtime, newest first · ${toggle}</p>
<form method="get" action="/_dev/mail">
<label>To <input name="to" value="${escapeHtml(opts.to ?? '')}" placeholder="email or +62…"></label>
${opts.refreshSeconds > 0 ? '' : '<input type="hidden" name="refresh" value="off">'}
<button type="submit">Filter</button>
</form>
</header>
<main>
${items}
</main>
</body>
</html>
`;
}

function renderMessage(message: SinkMessage): string {
  const links = message.links.length
    ? `<ul class="links">${message.links.map((l) => `<li><a href="${escapeHtml(l)}" rel="noreferrer noopener">${escapeHtml(l)}</a></li>`).join('')}</ul>`
    : '';
  const html =
    message.html !== undefined
      ? `<details><summary>show HTML</summary><iframe sandbox srcdoc="${escapeHtml(message.html)}" title="HTML of the email"></iframe></details>`
      : '';
  return `<article class="${message.channel.toLowerCase()}">
<p class="meta"><span class="channel">${message.channel}</span> to <strong>${escapeHtml(message.to)}</strong> · <time datetime="${escapeHtml(message.sentAt)}">${escapeHtml(readableTime(message.sentAt))}</time></p>
${message.subject !== undefined ? `<h2>${escapeHtml(message.subject)}</h2>` : ''}
<pre>${escapeHtml(message.text)}</pre>
${links}
${html}
</article>`;
}

function readableTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in quoted attribute values (srcdoc included). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

const styles = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f6f7f9; color: #1d2433; }
header { background: #fff; border-bottom: 1px solid #dde1e7; padding: 16px 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.count { font-size: 14px; font-weight: 500; background: #e7ebf2; border-radius: 10px; padding: 1px 8px; vertical-align: middle; }
.meta { color: #5b6474; margin: 0 0 6px; font-size: 13px; }
form { display: flex; gap: 8px; align-items: center; font-size: 13px; }
input { font: inherit; padding: 3px 6px; border: 1px solid #c5ccd6; border-radius: 4px; min-width: 240px; }
button { font: inherit; padding: 3px 12px; border: 1px solid #c5ccd6; border-radius: 4px; background: #fff; cursor: pointer; }
main { max-width: 900px; margin: 0 auto; padding: 16px 24px 48px; }
article { background: #fff; border: 1px solid #dde1e7; border-left: 4px solid #8a94a6; border-radius: 6px; padding: 12px 16px; margin: 0 0 12px; }
article.email { border-left-color: #3b6fd8; }
article.sms { border-left-color: #2e9d5b; }
article.push { border-left-color: #c9822b; }
.channel { font-weight: 600; letter-spacing: .04em; color: #1d2433; }
h2 { font-size: 16px; margin: 2px 0 6px; }
pre { white-space: pre-wrap; word-break: break-word; font: 13px/1.5 ui-monospace, Menlo, Consolas, monospace; background: #f6f7f9; padding: 8px 10px; border-radius: 4px; margin: 6px 0; }
.links { margin: 6px 0; padding-left: 20px; font-size: 13px; word-break: break-all; }
summary { cursor: pointer; color: #3b6fd8; font-size: 13px; }
iframe { width: 100%; height: 480px; border: 1px solid #dde1e7; border-radius: 4px; margin-top: 6px; background: #fff; }
.empty { color: #5b6474; text-align: center; padding: 48px 0; }
`;
