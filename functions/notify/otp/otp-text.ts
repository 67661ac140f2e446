import type { Locale } from '../email/layout.js';

const purposeLabel: Record<string, Record<Locale, string>> = {
  REGISTER: { id: 'pendaftaran', en: 'registration' },
  NEW_DEVICE: { id: 'login perangkat baru', en: 'new device sign-in' },
  RESET_PASSWORD: { id: 'atur ulang kata sandi', en: 'password reset' },
  CHANGE_PHONE: { id: 'ganti nomor ponsel', en: 'phone number change' },
  CHANGE_EMAIL: { id: 'ganti email', en: 'email change' },
  INVESTOR_SIGNATURE: { id: 'persetujuan transaksi', en: 'transaction approval' },
  INVESTOR_REGISTRATION: { id: 'pendaftaran investor', en: 'investor registration' },
};

/** The SMS body: short (one segment where possible), the code first, and the warning regulators expect. */
export function otpSmsText(code: string, purpose: string, locale: Locale, minutesLeft: number): string {
  const what = purposeLabel[purpose]?.[locale] ?? purpose;
  return locale === 'id'
    ? `${code} adalah kode ${what} RMTools Anda. Berlaku ${minutesLeft} menit. JANGAN berikan kode ini kepada siapa pun.`
    : `${code} is your RMTools ${what} code. Valid for ${minutesLeft} min. Do NOT share this code with anyone.`;
}
