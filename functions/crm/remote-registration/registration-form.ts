import { kycOptionsView } from '../kyc/kyc-options.js';
import { questionnaireView } from '../kyc/risk-questionnaire.js';
import { esc, say, type PageLang } from '../links/link-page.js';
import { checkbox, field, input, radioGroup, select, type Option } from './form-controls.js';

/** What the form shows: only what the investor row already has in the clear (name and contacts), never an identity number. */
export interface RegistrationFormData {
  lang: PageLang;
  fullName: string;
  email: string | null;
  phone: string | null;
  banks: Option[];
  provinces: Option[];
  countries: Option[];
  /** Documents received already: their inputs are optional (a new file replaces the old one). */
  uploaded: { ktp: boolean; selfie: boolean };
}

export function registrationForm(d: RegistrationFormData): string {
  const l = d.lang;
  const s = (id: string, en: string) => say(l, id, en);
  const kyc = kycOptionsView(l);
  const risk = questionnaireView(l);
  const section = (title: string, html: string) => `<section><h2>${esc(title)}</h2>${html}</section>`;
  const file = (id: 'ktp' | 'selfie', label: string) =>
    field(
      id,
      label,
      input(id, { type: 'file', accept: 'image/jpeg,image/png', required: !d.uploaded[id] }),
      d.uploaded[id] ? s('Sudah diterima; pilih berkas baru hanya untuk menggantinya.', 'Received already; choose a new file only to replace it.') : s('JPEG atau PNG, paling besar 10 MB.', 'JPEG or PNG, at most 10 MB.'),
    );

  const personal = [
    field('fullName', s('Nama lengkap (sesuai KTP)', 'Full name (as on the KTP)'), input('fullName', { value: d.fullName, required: true, maxlength: 200, autocomplete: 'name' })),
    field('nik', 'NIK', input('nik', { required: true, inputmode: 'numeric', maxlength: 16, pattern: '[0-9]{16}', autocomplete: 'off' }), s('16 angka pada KTP Anda.', 'The 16 digits on your KTP.')),
    field('npwp', s('NPWP (jika ada)', 'NPWP tax number (if any)'), input('npwp', { inputmode: 'numeric', maxlength: 20, autocomplete: 'off' })),
    field('birthPlace', s('Tempat lahir', 'Place of birth'), input('birthPlace', { required: true, maxlength: 100 })),
    field('birthDate', s('Tanggal lahir', 'Date of birth'), input('birthDate', { type: 'date', required: true, autocomplete: 'bday' })),
    field('gender', s('Jenis kelamin', 'Gender'), select(l, 'gender', kyc.gender)),
    field('motherMaidenName', s('Nama gadis ibu kandung', 'Mother’s maiden name'), input('motherMaidenName', { required: true, maxlength: 200, autocomplete: 'off' })),
    field('nationality', s('Kewarganegaraan', 'Nationality'), select(l, 'nationality', d.countries, { selected: 'ID' })),
    field('religion', s('Agama', 'Religion'), select(l, 'religion', kyc.religion)),
    field('maritalStatus', s('Status perkawinan', 'Marital status'), select(l, 'maritalStatus', kyc.maritalStatus)),
    field('education', s('Pendidikan terakhir', 'Education'), select(l, 'education', kyc.education)),
  ];
  const work = [
    field('occupation', s('Pekerjaan', 'Occupation'), select(l, 'occupation', kyc.occupation)),
    field(
      'employer',
      s('Nama tempat bekerja', 'Employer'),
      input('employer', { maxlength: 100, autocomplete: 'organization' }),
      s('Wajib untuk PNS, TNI/Polri, guru/dosen dan pegawai swasta.', 'Required for civil servants, military or police, teachers and employees.'),
    ),
    field('annualIncome', s('Penghasilan per tahun', 'Annual income'), select(l, 'annualIncome', kyc.annualIncome)),
    field('sourceOfFunds', s('Sumber dana', 'Source of funds'), select(l, 'sourceOfFunds', kyc.sourceOfFunds)),
    field('investmentObjective', s('Tujuan investasi', 'Investment objective'), select(l, 'investmentObjective', kyc.investmentObjective)),
  ];
  const contact = [
    field('email', 'Email', input('email', { type: 'email', value: d.email ?? undefined, required: true, maxlength: 320, autocomplete: 'email' })),
    field('phone', s('Nomor ponsel', 'Mobile number'), input('phone', { type: 'tel', value: d.phone ?? undefined, required: true, placeholder: '+6281234567890', autocomplete: 'tel' })),
    field('addressLine', s('Alamat (sesuai KTP)', 'Address (as on the KTP)'), input('addressLine', { required: true, maxlength: 300, autocomplete: 'street-address' })),
    field('provinceCode', s('Provinsi', 'Province'), select(l, 'provinceCode', d.provinces)),
    field('cityCode', s('Kabupaten/kota', 'Regency/city'), select(l, 'cityCode', [], { disabled: true })),
    field('districtCode', s('Kecamatan', 'District'), select(l, 'districtCode', [], { disabled: true })),
    field('postalCode', s('Kode pos', 'Postal code'), input('postalCode', { required: true, inputmode: 'numeric', maxlength: 5, pattern: '[0-9]{5}', autocomplete: 'postal-code' })),
  ];
  const declarations = [
    checkbox('beneficialOwnerSelf', s('Dana yang saya investasikan adalah milik saya sendiri.', 'The money I invest is my own.'), true),
    `<div id="beneficial-owner" hidden>${field('beneficialOwnerName', s('Nama pemilik dana', 'Name of the owner of the money'), input('beneficialOwnerName', { maxlength: 200 }))}${field('beneficialOwnerRelationship', s('Hubungan dengan Anda', 'Their relationship to you'), input('beneficialOwnerRelationship', { maxlength: 50 }))}</div>`,
    checkbox('fatcaUsPerson', s('Saya warga negara atau wajib pajak Amerika Serikat (FATCA).', 'I am a US citizen or US taxpayer (FATCA).'), false),
    `<div id="us-tin" hidden>${field('usTin', s('Nomor wajib pajak AS (SSN/ITIN)', 'US taxpayer identification number (SSN/ITIN)'), input('usTin', { inputmode: 'numeric', maxlength: 11, autocomplete: 'off' }))}</div>`,
  ];
  const bank = [
    field('bankCode', 'Bank', select(l, 'bankCode', d.banks)),
    field('accountNumber', s('Nomor rekening', 'Account number'), input('accountNumber', { required: true, inputmode: 'numeric', maxlength: 24, autocomplete: 'off' })),
    field('accountHolderName', s('Nama pemilik rekening', 'Account holder'), input('accountHolderName', { required: true, maxlength: 100 }), s('Rekening atas nama Anda sendiri.', 'An account in your own name.')),
  ];
  const questions = risk.questions.map((q) => radioGroup(q.id, q.text, q.options)).join('');
  const submit = [
    `<p>${esc(s('Kami mengirim kode verifikasi ke ponsel atau email Anda yang terdaftar.', 'We send a verification code to your registered phone or email.'))}</p>`,
    `<button type="button" id="send-code" class="secondary">${esc(s('Kirim kode', 'Send code'))}</button><p id="otp-status" class="msg" aria-live="polite"></p>`,
    field('code', s('Kode verifikasi', 'Verification code'), input('code', { required: true, inputmode: 'numeric', maxlength: 6, pattern: '[0-9]{6}', autocomplete: 'one-time-code' })),
    `<button type="submit" id="submit">${esc(s('Kirim pendaftaran', 'Submit registration'))}</button><p id="message" class="msg" role="alert"></p>`,
  ];

  return `<form id="registration" novalidate>
${section(s('Data diri', 'About you'), personal.join(''))}
${section(s('Pekerjaan dan keuangan', 'Work and finances'), work.join(''))}
${section(s('Kontak dan alamat', 'Contact and address'), contact.join(''))}
${section(s('Pernyataan', 'Declarations'), declarations.join(''))}
${section(s('Rekening bank untuk pencairan', 'Bank account for redemptions'), bank.join(''))}
<section id="risk" data-version="${esc(risk.version)}"><h2>${esc(s('Profil risiko', 'Risk profile'))}</h2>${questions}</section>
${section(s('Dokumen', 'Documents'), file('ktp', s('Foto KTP', 'Photo of your KTP')) + file('selfie', s('Swafoto sambil memegang KTP', 'Selfie holding your KTP')))}
${section(s('Kirim', 'Submit'), submit.join(''))}
</form>`;
}
