import { withTransaction } from '../../../shared/db/tx.js';
import { objectStorage } from '../../../shared/storage/object-storage.js';
import { findLatestDocuments } from '../documents/document.repo.js';
import { findInvestor } from '../investors/investor.repo.js';
import { listActiveBanks, listCountries, listLocations } from '../master-data/master-data.repo.js';
import { esc, LinkClosed, say, type LinkPageContext, type PageContent, type PageLang } from '../links/link-page.js';
import { formStyle, type Option } from './form-controls.js';
import { canRegister } from './investor-link.js';
import { requiredDocuments } from './registration-documents.js';
import { registrationForm } from './registration-form.js';
import { registrationScript } from './registration-script.js';

/**
 * The remote registration page of an investor link (GET /crm/links/{token}): the KYC form of POST /crm/investors
 * for the investor to fill in, the risk questionnaire, the KTP and selfie uploads and the step-up code. Once the
 * investor was submitted (by this page or by the agent) or decided, the link shows the "decided" page.
 */
export async function renderRegistrationPage(ctx: LinkPageContext): Promise<PageContent> {
  const { opened, lang } = ctx;
  const { investor, documents } = await withTransaction(opened.actor, async (tx) => {
    const found = await findInvestor(tx, opened.link.subjectId);
    return { investor: found, documents: found ? await findLatestDocuments(tx, found.id, requiredDocuments) : [] };
  });
  if (!investor || investor.type !== 'INDIVIDUAL' || !canRegister(investor.status)) throw new LinkClosed('decided');
  const [banks, provinces, countries] = await Promise.all([listActiveBanks(), listLocations('province', undefined), listCountries()]);
  const received = (kind: string) => documents.some((d) => d.kind === kind && d.status === 'UPLOADED');
  const title = say(lang, 'Lengkapi pendaftaran investor', 'Complete your investor registration');
  const intro = investor.status === 'REJECTED'
    ? say(lang, 'Pendaftaran Anda sebelumnya belum dapat disetujui. Periksa dan perbaiki data Anda, lalu kirim kembali.', 'Your earlier registration could not be approved. Check and correct your details, then submit again.')
    : say(lang, 'Agen Anda meminta Anda melengkapi data pendaftaran (KYC) sendiri. Data dikirim dengan aman dan diperiksa sebelum disetujui.', 'Your agent asked you to complete your registration (KYC) yourself. Your details travel securely and are reviewed before approval.');
  const form = registrationForm({
    lang,
    fullName: investor.fullName,
    email: investor.email,
    phone: investor.phone,
    banks: banks.map((b) => ({ value: b.code, label: b.name })),
    provinces: provinces.map((p) => ({ value: p.code, label: p.name })),
    countries: countryOptions(countries, lang),
    uploaded: { ktp: received('KTP'), selfie: received('SELFIE') },
  });
  const result = `<section id="result" tabindex="-1" hidden><h1>${esc(say(lang, 'Terima kasih', 'Thank you'))}</h1><p>${esc(
    say(lang, 'Pendaftaran Anda telah dikirim dan menunggu persetujuan. Agen Anda akan menghubungi Anda.', 'Your registration was submitted and awaits approval. Your agent will be in touch.'),
  )}</p></section>`;
  return {
    title,
    body: `<h1>${esc(title)}</h1><p>${esc(say(lang, `Halo ${investor.fullName}.`, `Hello ${investor.fullName}.`))} ${esc(intro)}</p>${form}${result}`,
    script: registrationScript,
    style: formStyle,
    // The uploads go straight to object storage with the signed URLs.
    connectSrc: [objectStorage().origin],
  };
}

/** Countries named in the page's language, Indonesia first. */
function countryOptions(countries: { code: string; name: string }[], lang: PageLang): Option[] {
  const names = new Intl.DisplayNames([lang], { type: 'region' });
  const options = countries.map((c) => ({ value: c.code, label: names.of(c.code) ?? c.name }));
  options.sort((a, b) => (a.value === 'ID' ? -1 : b.value === 'ID' ? 1 : a.label.localeCompare(b.label, lang)));
  return options;
}
