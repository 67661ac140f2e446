import { z } from 'zod';

/**
 * The choice lists of the KYC forms. Values are the codes of KSEI's S-INVEST investor static data, so a
 * stored answer goes to S-INVEST unchanged; labels are what the mobile app shows.
 */
export interface KycOption {
  value: string;
  label: { id: string; en: string };
}

const option = (value: string, id: string, en: string): KycOption => ({ value, label: { id, en } });

export const maleGender = '1';
export const femaleGender = '2';

export const kycOptions = {
  gender: [option(maleGender, 'Laki-laki', 'Male'), option(femaleGender, 'Perempuan', 'Female')],
  religion: [
    option('1', 'Islam', 'Islam'),
    option('2', 'Kristen Protestan', 'Protestant'),
    option('3', 'Katolik', 'Catholic'),
    option('4', 'Hindu', 'Hindu'),
    option('5', 'Buddha', 'Buddhist'),
    option('6', 'Konghucu', 'Confucian'),
    option('7', 'Lainnya', 'Other'),
  ],
  education: [
    option('1', 'Lainnya', 'Other'),
    option('2', 'SD', 'Primary school'),
    option('3', 'SMP', 'Junior high school'),
    option('4', 'SMA/D1/D2', 'Senior high school / D1 / D2'),
    option('5', 'D3', 'Diploma (D3)'),
    option('6', 'S1', 'Bachelor’s degree'),
    option('7', 'S2', 'Master’s degree'),
    option('8', 'S3', 'Doctorate'),
  ],
  maritalStatus: [
    option('1', 'Belum menikah', 'Single'),
    option('2', 'Menikah', 'Married'),
    option('3', 'Cerai/janda/duda', 'Divorced or widowed'),
  ],
  occupation: [
    option('1', 'Pelajar/mahasiswa', 'Student'),
    option('2', 'Ibu rumah tangga', 'Homemaker'),
    option('3', 'Wiraswasta', 'Self-employed / business owner'),
    option('4', 'Pegawai negeri sipil', 'Civil servant'),
    option('5', 'TNI/Polri', 'Military / police'),
    option('6', 'Pensiunan', 'Retired'),
    option('7', 'Guru/dosen', 'Teacher / lecturer'),
    option('8', 'Pegawai swasta', 'Private-sector employee'),
    option('9', 'Lainnya', 'Other'),
  ],
  annualIncome: [
    option('1', 'Di bawah Rp10 juta per tahun', 'Below IDR 10 million a year'),
    option('2', 'Rp10–50 juta per tahun', 'IDR 10–50 million a year'),
    option('3', 'Rp50–100 juta per tahun', 'IDR 50–100 million a year'),
    option('4', 'Rp100–500 juta per tahun', 'IDR 100–500 million a year'),
    option('5', 'Rp500 juta–1 miliar per tahun', 'IDR 500 million–1 billion a year'),
    option('6', 'Di atas Rp1 miliar per tahun', 'Above IDR 1 billion a year'),
  ],
  sourceOfFunds: [
    option('1', 'Penghasilan', 'Income'),
    option('2', 'Keuntungan usaha', 'Business profit'),
    option('3', 'Bunga simpanan', 'Savings interest'),
    option('4', 'Warisan', 'Inheritance'),
    option('5', 'Dana dari orang tua/anak', 'Funds from parents or children'),
    option('6', 'Hibah', 'Grant'),
    option('7', 'Dana dari suami/istri', 'Funds from spouse'),
    option('8', 'Undian', 'Lottery or prize'),
    option('9', 'Hasil investasi', 'Investment returns'),
    option('10', 'Lainnya', 'Other'),
  ],
  investmentObjective: [
    option('1', 'Kenaikan harga', 'Price appreciation'),
    option('2', 'Investasi jangka panjang', 'Long-term investment'),
    option('3', 'Spekulasi', 'Speculation'),
    option('4', 'Memperoleh pendapatan', 'Income'),
    option('5', 'Lainnya', 'Other'),
  ],
  // Institutional investors: the S-INVEST company type and the asset band of the last three years.
  legalForm: [
    option('1', 'Perusahaan (korporasi)', 'Corporation'),
    option('2', 'Yayasan', 'Foundation'),
    option('3', 'Lembaga keuangan', 'Financial institution'),
    option('4', 'Asuransi', 'Insurance company'),
    option('5', 'Reksa dana', 'Mutual fund'),
    option('6', 'Dana pensiun', 'Pension fund'),
    option('7', 'Perusahaan efek', 'Securities company'),
    option('8', 'Lainnya', 'Other'),
  ],
  totalAssets: [
    option('1', 'Sampai dengan Rp100 miliar', 'Up to IDR 100 billion'),
    option('2', 'Rp100–500 miliar', 'IDR 100–500 billion'),
    option('3', 'Rp500 miliar–1 triliun', 'IDR 500 billion–1 trillion'),
    option('4', 'Rp1–5 triliun', 'IDR 1–5 trillion'),
    option('5', 'Di atas Rp5 triliun', 'Above IDR 5 trillion'),
  ],
} as const satisfies Record<string, readonly KycOption[]>;

export type KycOptionKey = keyof typeof kycOptions;

/** Occupations of someone on a payroll: the KYC form then names the employer (PNS, TNI/Polri, teacher, private). */
export const employeeOccupations: readonly string[] = ['4', '5', '7', '8'];

/** The lists for GET /crm/kyc-options, labels in the caller's language. */
export function kycOptionsView(locale: 'id' | 'en'): Record<KycOptionKey, { value: string; label: string }[]> {
  const entries = Object.entries(kycOptions).map(([key, list]) => [
    key,
    list.map((o: KycOption) => ({ value: o.value, label: o.label[locale] })),
  ]);
  return Object.fromEntries(entries) as Record<KycOptionKey, { value: string; label: string }[]>;
}

/** Accepts exactly the codes of one list; an enum so the OpenAPI document lists them too. */
export function optionSchema(key: KycOptionKey) {
  const values = kycOptions[key].map((o: KycOption) => o.value) as [string, ...string[]];
  return z.enum(values, { error: `One of ${values.join(', ')}` });
}
