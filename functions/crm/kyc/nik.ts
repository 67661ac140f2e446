import type { FieldError } from '../../../shared/errors.js';
import { isCalendarDate, isoDate, jakartaDate } from './calendar.js';
import { femaleGender, maleGender } from './kyc-options.js';

/**
 * The NIK (KTP number): province (2) + regency or city (2) + district (2) + birth date DDMMYY, with 40
 * added to the day for women + a 4-digit serial from 0001.
 */
export interface ParsedNik {
  provinceCode: string;
  /** 'PP.CC', as the master-data tables spell it. */
  cityCode: string;
  /** 'PP.CC.DD'. */
  districtCode: string;
  birthDate: string;
  gender: typeof maleGender | typeof femaleGender;
}

/**
 * Reads a NIK, or null when it cannot be one. The two-digit year takes the latest century that does not
 * put it after today's year (in 2026, '05 is 2005 and '30 is 1930).
 */
export function parseNik(nik: string, today: Date = new Date()): ParsedNik | null {
  return readNik(nik, Number(jakartaDate(today).slice(0, 4)));
}

function readNik(nik: string, latestYear: number): ParsedNik | null {
  if (!/^[1-9][1-9]\d{14}$/.test(nik)) return null;
  const [province, city, district, dd, mm, yy] = [0, 2, 4, 6, 8, 10].map((at) => nik.slice(at, at + 2)) as [string, string, string, string, string, string];
  if (city === '00' || district === '00' || nik.endsWith('0000')) return null;
  const female = Number(dd) > 40;
  const day = female ? Number(dd) - 40 : Number(dd);
  const month = Number(mm);
  let year = Math.floor(latestYear / 100) * 100 + Number(yy);
  if (year > latestYear) year -= 100;
  if (!isCalendarDate(year, month, day)) return null;
  return {
    provinceCode: province,
    cityCode: `${province}.${city}`,
    districtCode: `${province}.${city}.${district}`,
    birthDate: isoDate(year, month, day),
    gender: female ? femaleGender : maleGender,
  };
}

/**
 * A NIK against the rest of the KYC data: it must be well formed and encode the given birth date, gender
 * and the province of the KTP address.
 *
 * Caveat: a NIK is issued once for life, so someone who moved to another province keeps the old prefix on
 * a KTP with the new address, and the province rule refuses them.
 */
export function nikRuleErrors(
  o: { nik: string; birthDate: string; gender: string; provinceCode: string },
  field = 'body.individual',
): FieldError[] {
  // The century comes from the stated birth year, so a centenarian's '25 reads 1925, not 2025.
  const parsed = readNik(o.nik, Number(o.birthDate.slice(0, 4)) || 9999);
  if (!parsed) return [{ field: `${field}.nik`, message: 'Not a valid NIK (region, birth date or serial)' }];
  const errors: FieldError[] = [];
  if (parsed.birthDate !== o.birthDate) {
    errors.push({ field: `${field}.nik`, message: `The NIK encodes the birth date ${parsed.birthDate}, not ${o.birthDate}` });
  }
  if (parsed.gender !== o.gender) {
    errors.push({ field: `${field}.nik`, message: 'The NIK encodes the other gender' });
  }
  if (parsed.provinceCode !== o.provinceCode) {
    errors.push({ field: `${field}.nik`, message: `The NIK is from province ${parsed.provinceCode}, the KTP address is in ${o.provinceCode}` });
  }
  return errors;
}
