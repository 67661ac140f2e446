import { say, type PageLang } from '../links/link-page.js';

/**
 * The signing page's own script and style (link-page.ts adds the shared RM helpers and admits both by hash).
 * The signature pad takes mouse, pen and touch alike through pointer events; touch-action:none keeps the
 * finger from scrolling the page while signing. The decision goes to PATCH /crm/instructions/signature with
 * the hash the page shows, so the server refuses it if the instruction changed since the page was loaded.
 */
export const signatureStyle = `h2{font-size:1.05rem;margin:0 0 .5rem}dd small{display:block;font-weight:400;color:#57606a}
#signature-pad{display:block;width:100%;height:11rem;border:1px dashed #8c959f;border-radius:.35rem;background:#fff;touch-action:none;cursor:crosshair}
.check{display:flex;gap:.6rem;align-items:flex-start}.check input{width:auto;margin:.2rem 0 0;flex:none}
#code{letter-spacing:.3em;font-size:1.3rem;max-width:12rem}.statement{white-space:pre-line}`;

function texts(lang: PageLang): Record<string, string> {
  const t = (id: string, en: string) => say(lang, id, en);
  return {
    needCode: t('Masukkan kode 6 digit yang kami kirim.', 'Enter the 6-digit code we sent you.'),
    needAck: t('Centang pernyataan risiko terlebih dahulu.', 'Tick the risk statement first.'),
    needSignature: t('Bubuhkan tanda tangan Anda di kotak tanda tangan.', 'Draw your signature in the signature box.'),
    needReason: t('Tuliskan alasan penolakan (minimal 3 karakter).', 'Give a reason for rejecting (at least 3 characters).'),
    sending: t('Mengirim…', 'Sending…'),
    network: t('Jaringan bermasalah. Coba lagi.', 'Network error. Try again.'),
    signed: t('Terima kasih. Transaksi Anda telah disetujui dan ditandatangani. Tanda terima dikirim ke email Anda.', 'Thank you. You approved and signed the transaction. A receipt is on its way to your email.'),
    recorded: t('Keputusan tercatat', 'Decision recorded'),
    fingerprint: t('Sidik dokumen (SHA-256)', 'Document fingerprint (SHA-256)'),
    rejected: t('Transaksi telah ditolak dan tidak akan diproses. Agen Anda akan diberi tahu.', 'You rejected the transaction; it will not be processed. Your agent will be told.'),
    OTP_INVALID: t('Kode salah. Sisa percobaan: {n}.', 'The code is wrong. Tries left: {n}.'),
    OTP_LOCKED: t('Terlalu banyak kode salah. Minta kode baru.', 'Too many wrong codes. Ask for a new code.'),
    OTP_EXPIRED: t('Kode sudah tidak berlaku. Minta kode baru.', 'The code has expired. Ask for a new code.'),
    OTP_USED: t('Kode sudah dipakai. Minta kode baru.', 'The code was used already. Ask for a new code.'),
    LINK_USED: t('Tautan ini sudah dipakai.', 'This link was used already.'),
    LINK_EXPIRED: t('Tautan ini sudah tidak berlaku. Minta agen Anda mengirim tautan baru.', 'This link is no longer valid. Ask your agent for a new one.'),
    CONFLICT: t('Transaksi berubah sejak halaman ini dibuka. Muat ulang halaman dan periksa kembali.', 'The transaction changed since this page was opened. Reload the page and check it again.'),
    FORBIDDEN: t('Buka tautan dari email di peramban ini, lalu minta kode.', 'Open the link from the email in this browser, then ask for a code.'),
  };
}

/** Embeds a value in the inline script: JSON, with `<` escaped so no text can close the script element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function signatureScript(lang: PageLang): string {
  return `(function(){
var T=${scriptJson(texts(lang))};
function $(id){return document.getElementById(id);}
var pad=$('signature-pad'),ctx=pad.getContext('2d'),msg=$('message'),ack=$('ack'),code=$('code'),hash=$('document-hash').textContent.trim();
var api=location.pathname.replace(/\\/links\\/[^\\/]*\\/?$/,'/instructions/signature');
var drawn=false,last=null,w=1,h=1;
function setup(){var r=pad.getBoundingClientRect(),d=Math.min(window.devicePixelRatio||1,2);w=Math.max(1,r.width);h=Math.max(1,r.height);
pad.width=Math.round(w*d);pad.height=Math.round(h*d);ctx.setTransform(d,0,0,d,0,0);ctx.fillStyle='#fff';ctx.fillRect(0,0,w,h);
ctx.lineWidth=2.5;ctx.lineCap='round';ctx.lineJoin='round';ctx.strokeStyle='#111';ctx.fillStyle='#111';drawn=false;last=null;}
function at(e){var r=pad.getBoundingClientRect();return{x:(e.clientX-r.left)*w/r.width,y:(e.clientY-r.top)*h/r.height};}
pad.addEventListener('pointerdown',function(e){e.preventDefault();if(pad.setPointerCapture)pad.setPointerCapture(e.pointerId);
last=at(e);ctx.beginPath();ctx.arc(last.x,last.y,1.25,0,2*Math.PI);ctx.fill();drawn=true;});
pad.addEventListener('pointermove',function(e){if(!last)return;e.preventDefault();var p=at(e);ctx.beginPath();ctx.moveTo(last.x,last.y);ctx.lineTo(p.x,p.y);ctx.stroke();last=p;});
['pointerup','pointercancel','pointerleave'].forEach(function(t){pad.addEventListener(t,function(){last=null;});});
window.addEventListener('resize',function(){if(!drawn)setup();});
$('clear-signature').addEventListener('click',setup);
$('send-code').addEventListener('click',function(){RM.sendCode($('send-code'),$('otp-status'),function(){code.focus();});});
function fail(text){RM.show(msg,text,'err');}
function busy(on){['approve','reject'].forEach(function(id){$(id).disabled=on;});}
function problem(b){if(!b)return RM.problem(b);if(b.code==='OTP_INVALID')return T.OTP_INVALID.replace('{n}',String(b.attemptsLeft));return T[b.code]||RM.problem(b);}
function el(tag,text,cls){var e=document.createElement(tag);if(text)e.textContent=text;if(cls)e.className=cls;return e;}
function done(b){['suitability','verify','approve-form','reject-form'].forEach(function(id){var e=$(id);if(e)e.hidden=true;});RM.show(msg,'');
var res=el('section');res.id='result';res.setAttribute('data-status',b.status);res.appendChild(el('h2',T.recorded));
res.appendChild(el('p',b.status==='SIGNED'?T.signed:T.rejected));res.appendChild(el('p',T.fingerprint));res.appendChild(el('p',b.documentHash,'hash'));
msg.parentNode.insertBefore(res,msg.nextSibling);if(res.scrollIntoView)res.scrollIntoView();}
function decide(decision){var body={token:RM.token,code:code.value.trim(),decision:decision,documentHash:hash};
if(!/^[0-9]{6}$/.test(body.code)){code.focus();return fail(T.needCode);}
if(decision==='APPROVE'){if(ack&&!ack.checked)return fail(T.needAck);if(!drawn)return fail(T.needSignature);body.signature=pad.toDataURL('image/png');}
else{var reason=$('reject-reason').value.trim();if(reason.length<3)return fail(T.needReason);body.reason=reason;}
busy(true);RM.show(msg,T.sending);
RM.call('PATCH',api,body).then(function(r){if(r.status===200)return done(r.body);busy(false);fail(problem(r.body));})
.catch(function(){busy(false);fail(T.network);});}
$('approve').addEventListener('click',function(){decide('APPROVE');});
$('reject').addEventListener('click',function(){decide('REJECT');});
setup();
})();`;
}
