import { say, type PageLang } from '../links/link-page.js';

/**
 * How the signing page writes the document's values: Indonesian (or English) number and time conventions.
 * Decimals are grouped as text, never through a float, so the page shows the exact value that is signed.
 */
export function formatDecimal(text: string, lang: PageLang): string {
  const [whole = '0', fraction = ''] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'id' ? '.' : ',');
  return fraction ? `${grouped}${lang === 'id' ? ',' : '.'}${fraction}` : grouped;
}

export const formatIdr = (text: string, lang: PageLang) => `Rp ${formatDecimal(text, lang)}`;

/** Times in Jakarta time, as the emails write them. */
export function formatTime(iso: string, lang: PageLang): string {
  const text = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' }).format(new Date(iso));
  return `${text} WIB`;
}

const labels: Record<string, [string, string]> = {
  SUBSCRIPTION: ['Pembelian', 'Subscription'],
  REDEMPTION: ['Penjualan kembali', 'Redemption'],
  SWITCHING: ['Pengalihan', 'Switching'],
  MONEY_MARKET: ['Pasar uang', 'Money market'],
  FIXED_INCOME: ['Pendapatan tetap', 'Fixed income'],
  BALANCED: ['Campuran', 'Balanced'],
  EQUITY: ['Saham', 'Equity'],
  CONSERVATIVE: ['Konservatif', 'Conservative'],
  MODERATE: ['Moderat', 'Moderate'],
  AGGRESSIVE: ['Agresif', 'Aggressive'],
};

/** The words for an instruction type, product type or risk profile; the code itself when there are none. */
export function label(code: string, lang: PageLang): string {
  const pair = labels[code];
  return pair ? say(lang, pair[0], pair[1]) : code;
}
