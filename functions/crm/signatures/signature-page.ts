import { withTransaction } from '../../../shared/db/tx.js';
import { esc, LinkClosed, say, type LinkPageContext, type PageContent, type PageLang } from '../links/link-page.js';
import { formatDecimal, formatIdr, formatTime, label } from './signature-format.js';
import { loadSignatureDocument, type SignatureDocument } from './signature-document.js';
import { signatureScript, signatureStyle } from './signature-page.script.js';
import { instructionClosedReason } from './signature-state.js';

/**
 * The signing page of an instruction link (GET /crm/links/{token}): the instruction as it will be signed and
 * its fingerprint, the risk statement to acknowledge when the product is above the investor's profile, then
 * the step-up code, the signature pad and the two decisions; the script adds #result once a decision is
 * recorded. The element ids are the browser tests' contract.
 */
export async function renderSignaturePage(ctx: LinkPageContext): Promise<PageContent> {
  const { opened, lang } = ctx;
  const loaded = await withTransaction(opened.actor, (tx) => loadSignatureDocument(tx, opened.link.subjectId));
  // The token row exists but its instruction is invisible: nothing to show, as for an unknown link.
  if (!loaded) throw new LinkClosed('unknown');
  const closed = instructionClosedReason(loaded.source.status);
  if (closed) throw new LinkClosed(closed);
  const t = (id: string, en: string) => esc(say(lang, id, en));
  const { document: d, hash } = loaded;
  const ack = d.suitability.acknowledgement;
  const body = `<h1>${t('Persetujuan transaksi', 'Approve your transaction')}</h1>
<section id="instruction" aria-labelledby="instruction-title"><h2 id="instruction-title">${t('Rincian transaksi', 'Transaction details')}</h2>
<dl>${documentRows(d, lang)}</dl>
<p><small>${t('Sidik dokumen (SHA-256)', 'Document fingerprint (SHA-256)')}</small></p><p id="document-hash" class="hash">${esc(hash)}</p></section>
${
  ack
    ? `<section id="suitability"><h2>${t('Pernyataan risiko', 'Risk statement')}</h2>
<p class="warn statement">${esc(lang === 'id' ? ack.statement.id : ack.statement.en)}</p>
<label class="check"><input type="checkbox" id="ack" required> <span>${t('Saya telah membaca, memahami dan menyetujui pernyataan di atas.', 'I have read, understood and agree to the statement above.')}</span></label></section>`
    : ''
}
<section id="verify"><h2>${t('1. Kode verifikasi', '1. Verification code')}</h2>
<p>${t('Kami mengirim kode 6 digit ke nomor ponsel (atau email) Anda yang terdaftar.', 'We send a 6-digit code to your registered phone number (or email).')}</p>
<button type="button" id="send-code">${t('Kirim kode', 'Send code')}</button><p id="otp-status" class="msg" aria-live="polite"></p>
<label for="code">${t('Kode verifikasi', 'Verification code')}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" minlength="6" maxlength="6" required></section>
<section id="approve-form"><h2>${t('2. Setujui dan tanda tangani', '2. Approve and sign')}</h2>
<p>${t('Bubuhkan tanda tangan Anda di kotak ini dengan jari, pena atau mouse.', 'Sign in this box with your finger, a pen or the mouse.')}</p>
<canvas id="signature-pad" role="img" aria-label="${t('Kotak tanda tangan', 'Signature box')}"></canvas>
<button type="button" id="clear-signature" class="secondary">${t('Hapus tanda tangan', 'Clear signature')}</button>
<button type="button" id="approve">${t('Setujui dan tanda tangani', 'Approve and sign')}</button></section>
<section id="reject-form"><h2>${t('Atau tolak transaksi ini', 'Or reject this transaction')}</h2>
<label for="reject-reason">${t('Alasan penolakan', 'Reason for rejecting')}</label>
<textarea id="reject-reason" rows="3" minlength="3" maxlength="500"></textarea>
<button type="button" id="reject" class="danger">${t('Tolak transaksi', 'Reject transaction')}</button></section>
<p id="message" class="msg" role="alert"></p>`;
  return { title: say(lang, 'Persetujuan transaksi', 'Approve your transaction'), body, script: signatureScript(lang), style: signatureStyle };
}

function documentRows(d: SignatureDocument, lang: PageLang): string {
  const t = (id: string, en: string) => say(lang, id, en);
  const product = (p: SignatureDocument['product']) => {
    const details = [p.productHouse, p.type && label(p.type, lang), p.riskLevel !== null && `${t('Risiko', 'Risk')} ${p.riskLevel}/5`].filter((v) => typeof v === 'string');
    return `${esc(p.name)} (${esc(p.code)})${details.length ? `<small>${esc(details.join(' · '))}</small>` : ''}`;
  };
  const rows: Array<[string, string | null]> = [
    [t('Investor', 'Investor'), esc(d.investorName)],
    [t('Jenis transaksi', 'Transaction'), esc(label(d.type, lang))],
    [d.targetProduct ? t('Dari produk', 'From product') : t('Produk', 'Product'), product(d.product)],
    [t('Ke produk', 'To product'), d.targetProduct && product(d.targetProduct)],
    [t('Nominal', 'Amount'), d.amount && esc(formatIdr(d.amount, lang))],
    [t('Jumlah unit', 'Units'), d.units && esc(formatDecimal(d.units, lang))],
    [t('Rekening pembayaran', 'Paid to account'), d.bankAccount && esc(`${d.bankAccount.bankName} •••• ${d.bankAccount.accountNumberLast4}`)],
    [t('Biaya', 'Fee'), d.feePct && esc(`${formatDecimal(d.feePct, lang)}%${d.estimatedFee ? ` (${t('perkiraan', 'about')} ${formatIdr(d.estimatedFee, lang)})` : ''}`)],
    [t('Profil risiko Anda', 'Your risk profile'), esc(`${label(d.suitability.investorRiskProfile, lang)} (${t('risiko produk maks.', 'highest product risk')} ${d.suitability.maxRiskLevel}/5)`)],
    [t('Agen penjual', 'Sales agent'), esc(d.agentName)],
    [t('Dibuat', 'Created'), esc(formatTime(d.createdAt, lang))],
    [t('Berlaku sampai', 'Valid until'), esc(formatTime(d.linkExpiresAt, lang))],
  ];
  return rows
    .filter((r): r is [string, string] => r[1] !== null)
    .map(([dt, dd]) => `<dt>${esc(dt)}</dt><dd>${dd}</dd>`)
    .join('');
}
