import { createHash } from 'node:crypto';
import type { OpenedLink } from './link-access.js';

/**
 * The investor pages: server-rendered, mobile-first HTML with no external assets. One inline style and one
 * inline script, each admitted by its hash in the Content-Security-Policy; everything else is refused
 * (default-src 'none'), and the page may only talk to its own origin (and the storage origin, for uploads).
 * Indonesian by default; `?lang=en` switches.
 */
export type PageLang = 'id' | 'en';

export const pageLang = (value: unknown): PageLang => (value === 'en' ? 'en' : 'id');
export const say = (lang: PageLang, id: string, en: string) => (lang === 'id' ? id : en);

/** HTML-escapes text for element content and quoted attributes. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What a page renderer receives: the live link, the language, and the CSRF token its script sends back. */
export interface LinkPageContext {
  opened: OpenedLink;
  lang: PageLang;
  csrfToken: string;
}

/** What a page renderer returns: the body's HTML (escaped by the renderer), its own script and style. */
export interface PageContent {
  title: string;
  body: string;
  script?: string;
  style?: string;
  /** Origins the script may call besides its own (the signed upload URLs' storage). */
  connectSrc?: string[];
}

/** Thrown by a renderer when the link is valid but its subject can no longer be acted on. */
export class LinkClosed extends Error {
  constructor(readonly reason: ClosedReason) {
    super(reason);
  }
}

export type ClosedReason = 'unknown' | 'used' | 'expired' | 'revoked' | 'cancelled' | 'decided' | 'error';

const baseStyle = `*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#f5f6f8;line-height:1.45}
main{max-width:32rem;margin:0 auto;padding:1rem}header{display:flex;justify-content:space-between;align-items:center;padding:.75rem 1rem;background:#0b3d5c;color:#fff}
header a{color:#fff}h1{font-size:1.3rem;margin:.5rem 0 1rem}section{background:#fff;border-radius:.5rem;padding:1rem;margin-bottom:1rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem .75rem;margin:0}dt{color:#57606a}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}input,select,textarea{width:100%;padding:.6rem;font-size:1rem;border:1px solid #8c959f;border-radius:.35rem;background:#fff}
button{padding:.7rem 1rem;font-size:1rem;border:0;border-radius:.35rem;background:#0b3d5c;color:#fff;margin:.5rem .5rem 0 0}button.secondary{background:#6e7781}button.danger{background:#b00020}
button:disabled{opacity:.5}.msg{margin:.75rem 0;min-height:1.2em}.err{color:#b00020}.ok{color:#0a6b2b}.warn{background:#fff4ce;border-left:4px solid #bf8700;padding:.75rem}
.hash{font-family:ui-monospace,monospace;font-size:.8rem;overflow-wrap:anywhere}[hidden]{display:none!important}`;

/**
 * Shared by every page's script: the CSRF token, the link's path, JSON calls with the token header, and the
 * "send code" button (POST {link}/otp).
 */
const baseScript = `var RM=(function(){
var csrf=document.querySelector('meta[name="csrf-token"]').content,lang=document.documentElement.lang,link=location.pathname.replace(/\\/+$/,'');
function call(method,url,body){return fetch(url,{method:method,credentials:'same-origin',headers:{'Content-Type':'application/json','X-CSRF-Token':csrf},body:body===undefined?undefined:JSON.stringify(body)}).then(function(r){return r.text().then(function(t){var b=null;try{b=t?JSON.parse(t):null;}catch(e){}return{status:r.status,body:b};});});}
function problem(p){if(!p)return lang==='id'?'Terjadi kesalahan.':'Something went wrong.';var e=(p.errors||[]).map(function(x){return x.message;}).join(' ');return(p.detail||p.title||'Error')+(e?' '+e:'');}
function show(el,text,cls){el.textContent=text;el.className='msg '+(cls||'');}
function sendCode(btn,out,done){btn.disabled=true;call('POST',link+'/otp',{lang:lang}).then(function(r){
if(r.status===202){show(out,(lang==='id'?'Kode dikirim ke ':'Code sent to ')+r.body.destination+'.','ok');done&&done();setTimeout(function(){btn.disabled=false;},30000);return;}
show(out,problem(r.body),'err');btn.disabled=false;}).catch(function(){show(out,lang==='id'?'Jaringan bermasalah.':'Network error.','err');btn.disabled=false;});}
return{call:call,problem:problem,show:show,sendCode:sendCode,lang:lang,token:link.split('/').pop()};})();`;

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

export interface RenderedPage {
  html: string;
  csp: string;
}

export function renderPage(lang: PageLang, content: PageContent, csrfToken?: string): RenderedPage {
  const style = content.style ? `${baseStyle}\n${content.style}` : baseStyle;
  const script = content.script ? `${baseScript}\n${content.script}` : undefined;
  const other = lang === 'id' ? { lang: 'en', label: 'English' } : { lang: 'id', label: 'Bahasa Indonesia' };
  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">${csrfToken ? `<meta name="csrf-token" content="${esc(csrfToken)}">` : ''}
<title>${esc(content.title)} · RMTools</title><style>${style}</style></head>
<body><header><strong>RMTools</strong><a href="?lang=${other.lang}" lang="${other.lang}" id="lang-switch">${other.label}</a></header>
<main>${content.body}</main>${script ? `<script>${script}</script>` : ''}</body></html>`;
  const csp = [
    "default-src 'none'",
    script ? `script-src ${hashOf(script)}` : undefined,
    `style-src ${hashOf(style)}`,
    `connect-src 'self'${(content.connectSrc ?? []).map((o) => ` ${o}`).join('')}`,
    "img-src 'self' data: blob:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ]
    .filter(Boolean)
    .join('; ');
  return { html, csp };
}

const closedText: Record<ClosedReason, { status: number; id: [string, string]; en: [string, string] }> = {
  unknown: { status: 404, id: ['Tautan tidak dikenal', 'Periksa kembali tautan di email Anda, atau minta agen Anda mengirim ulang.'], en: ['Unknown link', 'Check the link in your email, or ask your agent to send a new one.'] },
  used: { status: 410, id: ['Tautan sudah dipakai', 'Tautan ini hanya dapat dipakai sekali dan sudah digunakan. Tidak ada lagi yang perlu Anda lakukan.'], en: ['Link already used', 'This link works once and has been used. There is nothing more to do.'] },
  expired: { status: 410, id: ['Tautan kedaluwarsa', 'Masa berlaku tautan ini sudah habis. Minta agen Anda mengirim tautan baru.'], en: ['Link expired', 'This link has expired. Ask your agent to send a new one.'] },
  revoked: { status: 410, id: ['Tautan diganti', 'Tautan yang lebih baru telah dikirim. Gunakan email terbaru.'], en: ['Link replaced', 'A newer link was sent. Use the latest email.'] },
  cancelled: { status: 410, id: ['Transaksi dibatalkan', 'Transaksi ini telah dibatalkan oleh agen atau admin. Tidak ada yang perlu Anda lakukan.'], en: ['Transaction cancelled', 'This transaction was cancelled by your agent or an admin. There is nothing to do.'] },
  decided: { status: 410, id: ['Sudah diputuskan', 'Keputusan untuk tautan ini sudah tercatat.'], en: ['Already decided', 'A decision for this link is already recorded.'] },
  error: { status: 500, id: ['Terjadi gangguan', 'Halaman tidak dapat ditampilkan saat ini. Coba lagi beberapa saat lagi.'], en: ['Something went wrong', 'The page cannot be shown right now. Try again in a moment.'] },
};

/** The clear page for a link that cannot act: its status and a sentence that says what to do. */
export function closedPage(reason: ClosedReason, lang: PageLang): RenderedPage & { status: number } {
  const text = closedText[reason];
  const [title, sentence] = text[lang];
  return { status: text.status, ...renderPage(lang, { title, body: `<section id="closed" data-reason="${reason}"><h1>${esc(title)}</h1><p>${esc(sentence)}</p></section>` }) };
}

/** The closed reason of a link row's own state (used, expired, replaced), or undefined while it is open. */
export function closedReasonOf(state: 'open' | 'used' | 'expired' | 'revoked'): ClosedReason | undefined {
  return state === 'open' ? undefined : state;
}

