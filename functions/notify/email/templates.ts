import { z } from 'zod';
import type { emailTemplates } from '../../../shared/events/topics.js';
import { renderEmail, type EmailContent, type Locale, type RenderedEmail } from './layout.js';
import { formatIdr, formatTime, instructionType } from './format.js';

/**
 * Every email the system sends, in Indonesian and English. Each template declares the variables it needs
 * (a message without them fails permanently instead of sending a broken email) and whether it carries the
 * message's secure link. Values are escaped by the layout.
 */
type TemplateName = (typeof emailTemplates)[number];

interface Template<S extends z.ZodType> {
  vars: S;
  needsLink: boolean;
  content(v: z.infer<S>, locale: Locale, link: string | undefined): EmailContent;
}

const t = <S extends z.ZodType>(tpl: Template<S>) => tpl;
const text = z.string().min(1).max(500);
const iso = z.iso.datetime({ offset: true });
const byLocale = (locale: Locale, id: string, en: string) => (locale === 'id' ? id : en);

const instruction = z.object({
  investorName: text,
  instructionType: text,
  productName: text,
  amount: z.string().regex(/^\d+(\.\d{1,2})?$/).nullish(),
  units: z.string().regex(/^\d+(\.\d{1,4})?$/).nullish(),
});

function instructionLine(v: z.infer<typeof instruction>, locale: Locale): string {
  const size = v.amount ? formatIdr(v.amount, locale) : v.units ? `${v.units} unit` : '';
  return `${instructionType(v.instructionType, locale)} ${v.productName}${size ? ` — ${size}` : ''}`;
}

export const templates = {
  OTP: t({
    vars: z.object({ code: z.string().regex(/^\d{6}$/), expiresAt: iso }),
    needsLink: false,
    content: (v, l) => ({
      subject: byLocale(l, `Kode verifikasi RMTools: ${v.code}`, `Your RMTools verification code: ${v.code}`),
      paragraphs: [byLocale(l, `Kode verifikasi Anda adalah ${v.code}.`, `Your verification code is ${v.code}.`)],
      footnote: byLocale(l, `Berlaku sampai ${formatTime(v.expiresAt, l)}. Jangan berikan kode ini kepada siapa pun, termasuk petugas kami.`, `Valid until ${formatTime(v.expiresAt, l)}. Never share this code with anyone, including our staff.`),
    }),
  }),
  RM_REGISTRATION_RECEIVED: t({
    vars: z.object({ agentName: text, agentEmail: z.email(), agentPhone: text, companyName: text }),
    needsLink: false,
    content: (v, l) => ({
      subject: byLocale(l, `Pendaftaran agen baru: ${v.agentName}`, `New agent registration: ${v.agentName}`),
      paragraphs: [
        byLocale(l, `${v.agentName} (${v.agentEmail}, ${v.agentPhone}) telah mendaftar sebagai agen penjual di ${v.companyName} dan menunggu persetujuan Anda.`, `${v.agentName} (${v.agentEmail}, ${v.agentPhone}) registered as a sales agent at ${v.companyName} and awaits your approval.`),
        byLocale(l, 'Periksa lisensi WAPERD agen sebelum menyetujui.', "Check the agent's WAPERD licence before approving."),
      ],
    }),
  }),
  RM_APPROVED: t({
    vars: z.object({ fullname: text, companyName: text }),
    needsLink: false,
    content: (v, l) => ({
      subject: byLocale(l, 'Akun RMTools Anda telah disetujui', 'Your RMTools account is approved'),
      paragraphs: [byLocale(l, `Halo ${v.fullname}, akun Anda di ${v.companyName} telah disetujui. Anda sekarang dapat masuk ke aplikasi RMTools.`, `Hello ${v.fullname}, your account at ${v.companyName} is approved. You can now sign in to the RMTools app.`)],
    }),
  }),
  RM_REJECTED: t({
    vars: z.object({ fullname: text, companyName: text, reason: text }),
    needsLink: false,
    content: (v, l) => ({
      subject: byLocale(l, 'Pendaftaran RMTools Anda ditolak', 'Your RMTools registration was declined'),
      paragraphs: [
        byLocale(l, `Halo ${v.fullname}, pendaftaran Anda di ${v.companyName} tidak dapat disetujui.`, `Hello ${v.fullname}, your registration at ${v.companyName} could not be approved.`),
        byLocale(l, `Alasan: ${v.reason}`, `Reason: ${v.reason}`),
      ],
    }),
  }),
  USER_INVITE: t({
    vars: z.object({ fullname: text, companyName: text, expiresAt: iso }),
    needsLink: true,
    content: (v, l, link) => ({
      subject: byLocale(l, `Undangan ke RMTools ${v.companyName}`, `Your invitation to RMTools at ${v.companyName}`),
      paragraphs: [byLocale(l, `Halo ${v.fullname}, akun RMTools telah dibuat untuk Anda di ${v.companyName}. Buat kata sandi Anda untuk mulai.`, `Hello ${v.fullname}, an RMTools account was created for you at ${v.companyName}. Set your password to get started.`)],
      action: { label: byLocale(l, 'Buat kata sandi', 'Set your password'), url: link! },
      footnote: byLocale(l, `Tautan berlaku sampai ${formatTime(v.expiresAt, l)} dan hanya dapat dipakai sekali.`, `The link is valid until ${formatTime(v.expiresAt, l)} and works once.`),
    }),
  }),
  INSTRUCTION_SIGNATURE_LINK: t({
    vars: instruction.extend({ agentName: text, expiresAt: iso }),
    needsLink: true,
    content: (v, l, link) => ({
      subject: byLocale(l, 'Mohon tinjau dan tanda tangani transaksi Anda', 'Please review and sign your transaction'),
      paragraphs: [
        byLocale(l, `Yth. ${v.investorName}, agen Anda ${v.agentName} telah menyiapkan transaksi berikut untuk Anda:`, `Dear ${v.investorName}, your agent ${v.agentName} prepared this transaction for you:`),
        instructionLine(v, l),
        byLocale(l, 'Transaksi hanya diproses setelah Anda menyetujuinya. Jika Anda tidak mengenali transaksi ini, tolak melalui tautan yang sama.', 'It is processed only after you approve it. If you do not recognise it, reject it through the same link.'),
      ],
      action: { label: byLocale(l, 'Tinjau dan tanda tangani', 'Review and sign'), url: link! },
      footnote: byLocale(l, `Tautan berlaku sampai ${formatTime(v.expiresAt, l)}.`, `The link is valid until ${formatTime(v.expiresAt, l)}.`),
    }),
  }),
  INVESTOR_REMOTE_REGISTRATION: t({
    vars: z.object({ investorName: text, agentName: text, companyName: text, expiresAt: iso }),
    needsLink: true,
    content: (v, l, link) => ({
      subject: byLocale(l, `Lengkapi pendaftaran investor Anda di ${v.companyName}`, `Complete your investor registration at ${v.companyName}`),
      paragraphs: [byLocale(l, `Yth. ${v.investorName}, ${v.agentName} mengundang Anda untuk melengkapi data pendaftaran (KYC) secara daring.`, `Dear ${v.investorName}, ${v.agentName} invites you to complete your registration (KYC) online.`)],
      action: { label: byLocale(l, 'Lengkapi pendaftaran', 'Complete registration'), url: link! },
      footnote: byLocale(l, `Tautan berlaku sampai ${formatTime(v.expiresAt, l)}.`, `The link is valid until ${formatTime(v.expiresAt, l)}.`),
    }),
  }),
  INSTRUCTION_RECEIPT: t({
    // documentHash: the SHA-256 of the instruction as the investor saw it (the signing page shows the same value).
    vars: instruction.extend({ decision: z.enum(['SIGNED', 'REJECTED']), at: iso, documentHash: z.string().regex(/^[0-9a-f]{64}$/) }),
    needsLink: false,
    content: (v, l) => ({
      subject: v.decision === 'SIGNED' ? byLocale(l, 'Transaksi Anda telah disetujui', 'You approved your transaction') : byLocale(l, 'Transaksi Anda telah ditolak', 'You rejected your transaction'),
      paragraphs: [
        byLocale(l, `Yth. ${v.investorName}, kami mencatat keputusan Anda pada ${formatTime(v.at, l)}:`, `Dear ${v.investorName}, we recorded your decision on ${formatTime(v.at, l)}:`),
        instructionLine(v, l),
        v.decision === 'SIGNED'
          ? byLocale(l, 'Transaksi akan diteruskan untuk diproses.', 'The transaction will now be processed.')
          : byLocale(l, 'Transaksi tidak akan diproses.', 'The transaction will not be processed.'),
      ],
      footnote: byLocale(
        l,
        `Sidik dokumen (SHA-256) dari transaksi yang Anda putuskan: ${v.documentHash}. Simpan email ini sebagai bukti.`,
        `Document fingerprint (SHA-256) of the transaction you decided: ${v.documentHash}. Keep this email as your record.`,
      ),
    }),
  }),
  PASSWORD_CHANGED: t({
    vars: z.object({ fullname: text, at: iso }),
    needsLink: false,
    content: (v, l) => ({
      subject: byLocale(l, 'Kata sandi RMTools Anda telah diubah', 'Your RMTools password was changed'),
      paragraphs: [byLocale(l, `Halo ${v.fullname}, kata sandi Anda diubah pada ${formatTime(v.at, l)}. Sesi lain telah dikeluarkan.`, `Hello ${v.fullname}, your password was changed on ${formatTime(v.at, l)}. Other sessions were signed out.`)],
      footnote: byLocale(l, 'Jika bukan Anda, segera atur ulang kata sandi dan hubungi admin perusahaan Anda.', 'If this was not you, reset your password now and contact your company admin.'),
    }),
  }),
  NEW_DEVICE_LOGIN: t({
    vars: z.object({ fullname: text, deviceName: text, at: iso, ip: z.string().max(64).nullish() }),
    needsLink: false,
    content: (v, l) => ({
      subject: byLocale(l, 'Login dari perangkat baru', 'Sign-in from a new device'),
      paragraphs: [byLocale(l, `Halo ${v.fullname}, akun Anda digunakan untuk masuk dari ${v.deviceName} pada ${formatTime(v.at, l)}${v.ip ? ` (IP ${v.ip})` : ''}.`, `Hello ${v.fullname}, your account signed in from ${v.deviceName} on ${formatTime(v.at, l)}${v.ip ? ` (IP ${v.ip})` : ''}.`)],
      footnote: byLocale(l, 'Jika bukan Anda, segera ubah kata sandi Anda.', 'If this was not you, change your password now.'),
    }),
  }),
} satisfies Record<TemplateName, Template<z.ZodType>>;

export class TemplateInputError extends Error {}

/** Renders a template; missing or malformed variables, or a missing link, are a TemplateInputError. */
export function renderTemplate(name: TemplateName, variables: unknown, locale: Locale, link?: string): RenderedEmail {
  const tpl = templates[name] as Template<z.ZodType>;
  const vars = tpl.vars.safeParse(variables);
  if (!vars.success) throw new TemplateInputError(`${name}: ${vars.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  if (tpl.needsLink && !link) throw new TemplateInputError(`${name} needs a link`);
  return renderEmail(tpl.content(vars.data, locale, tpl.needsLink ? link : undefined), locale);
}
