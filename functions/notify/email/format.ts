import type { Locale } from './layout.js';

const tag: Record<Locale, string> = { id: 'id-ID', en: 'en-GB' };

/** Times are shown in Jakarta time, which is what the agents and investors live in. */
export function formatTime(iso: string, locale: Locale): string {
  const text = new Intl.DateTimeFormat(tag[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' }).format(new Date(iso));
  return `${text} WIB`;
}

/** Money is an IDR decimal string in the API ("1500000.00"). */
export function formatIdr(amount: string, locale: Locale): string {
  return new Intl.NumberFormat(tag[locale], { style: 'currency', currency: 'IDR', minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(Number(amount));
}

const instructionTypes: Record<string, Record<Locale, string>> = {
  SUBSCRIPTION: { id: 'Pembelian', en: 'Subscription' },
  REDEMPTION: { id: 'Penjualan kembali', en: 'Redemption' },
  SWITCHING: { id: 'Pengalihan', en: 'Switching' },
};

export function instructionType(type: string, locale: Locale): string {
  return instructionTypes[type]?.[locale] ?? type;
}
