import { randomInt } from 'node:crypto';

/**
 * Sample KYC of an individual investor that the validation accepts (the tests' bodies and `npm run demo:links`):
 * a KTP address in a real district of the master data, and a NIK consistent with it, the birth date and the gender.
 */

/** A real Jakarta Pusat district (Gambir) of the master data, and its parents. */
export const gambir = { provinceCode: '31', cityCode: '31.71', districtCode: '31.71.01' } as const;
export const ktpAddress = { line: 'Jl. Medan Merdeka Barat No. 12', ...gambir, postalCode: '10110' };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A NIK registered in Gambir for this birth date and gender, with a random serial. */
export function nikFor(birthDate: string, gender: 'MALE' | 'FEMALE', districtCode: string = gambir.districtCode): string {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  return `${districtCode.replaceAll('.', '')}${pad(gender === 'FEMALE' ? d + 40 : d)}${pad(m)}${pad(y % 100)}${pad(randomInt(1, 10_000), 4)}`;
}

/** A birth date in [fromYear, toYear), on one of the first 28 days of a month. */
export function randomBirthDate(fromYear = 1960, toYear = 2000): string {
  return `${randomInt(fromYear, toYear)}-${pad(randomInt(1, 13))}-${pad(randomInt(1, 29))}`;
}

export interface SampleIndividual {
  fullName: string;
  birthDate: string;
  gender: 'MALE' | 'FEMALE';
  email: string;
  phone: string;
}

/**
 * The `individual` of a POST /crm/investors body: the NIK to match, fixed option codes, the Gambir KTP address;
 * without an NPWP unless one is given (an undefined `npwp` is left out of the JSON).
 */
export function sampleIndividual<N extends string | undefined = undefined>(o: SampleIndividual & { npwp?: N }) {
  return {
    fullName: o.fullName,
    nik: nikFor(o.birthDate, o.gender),
    npwp: o.npwp as N,
    birthPlace: 'Jakarta',
    birthDate: o.birthDate,
    gender: o.gender === 'MALE' ? '1' : '2',
    motherMaidenName: 'Siti Aminah',
    nationality: 'ID',
    religion: '1',
    maritalStatus: '2',
    education: '6',
    occupation: '8',
    employer: 'PT Sinar Abadi',
    annualIncome: '3',
    sourceOfFunds: '2',
    investmentObjective: '3',
    email: o.email,
    phone: o.phone,
    address: ktpAddress,
    beneficialOwner: { self: true },
    fatcaUsPerson: false,
  };
}
