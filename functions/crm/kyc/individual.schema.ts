import { z } from 'zod';
import type { FieldError } from '../../../shared/errors.js';
import { emailSchema, phoneSchema } from '../../../shared/validation/contact.js';
import { addressNestingErrors, addressSchema } from './address.js';
import { hasReachedAge, jakartaDate } from './calendar.js';
import { countryCodeSchema } from './country.js';
import { employeeOccupations, optionSchema } from './kyc-options.js';
import { nikRuleErrors } from './nik.js';
import { personNameSchema } from './person-name.js';
import { nikSchema, npwpSchema } from './tax-ids.js';

/** The age at which an Indonesian gets a KTP, and so can open an investment account on their own. */
export const adultAge = 17;
/** Older than this is a typo (1890 for 1990), which the NIK cannot catch: it holds two digits of the year. */
export const oldestAge = 120;

const beneficialOwnerSchema = z.discriminatedUnion('self', [
  z.strictObject({ self: z.literal(true) }),
  z.strictObject({ self: z.literal(false), name: personNameSchema, relationship: z.string().trim().min(2).max(50) }),
]);

/** The KYC data of an individual investor (S-INVEST individual static data). */
export const individualSchema = z.strictObject({
  fullName: personNameSchema,
  nik: nikSchema,
  npwp: npwpSchema.optional(),
  birthPlace: z.string().trim().min(2).max(100),
  birthDate: z.iso.date(),
  gender: optionSchema('gender'),
  motherMaidenName: personNameSchema,
  nationality: countryCodeSchema,
  religion: optionSchema('religion'),
  maritalStatus: optionSchema('maritalStatus'),
  education: optionSchema('education'),
  occupation: optionSchema('occupation'),
  /** Required for the employee occupations (employeeOccupations), optional otherwise. */
  employer: z.string().trim().min(2).max(100).optional(),
  annualIncome: optionSchema('annualIncome'),
  sourceOfFunds: optionSchema('sourceOfFunds'),
  investmentObjective: optionSchema('investmentObjective'),
  email: emailSchema,
  phone: phoneSchema,
  /** The address on the KTP. */
  address: addressSchema,
  /** Where letters go; absent means the KTP address. */
  correspondenceAddress: addressSchema.optional(),
  /** Whose money it is: the investor's own, or someone else's (then named for the AML checks). */
  beneficialOwner: beneficialOwnerSchema,
  fatcaUsPerson: z.boolean(),
  /** US taxpayer identification number (SSN or ITIN), only for a US person. */
  usTin: z
    .string()
    .overwrite((v) => v.replace(/[\s-]/g, ''))
    .regex(/^\d{9}$/, 'A US TIN has 9 digits')
    .optional(),
});
export type IndividualKyc = z.infer<typeof individualSchema>;

/** Rules across fields, after the schema has passed; empty when the data is consistent. */
export function individualRuleErrors(ind: IndividualKyc, today: Date, field = 'body.individual'): FieldError[] {
  const errors: FieldError[] = [];
  const todayDate = jakartaDate(today);
  if (ind.birthDate > todayDate) {
    errors.push({ field: `${field}.birthDate`, message: 'The birth date is in the future' });
  } else if (!hasReachedAge(ind.birthDate, adultAge, todayDate)) {
    errors.push({ field: `${field}.birthDate`, message: `The investor must be ${adultAge} or older` });
  } else if (hasReachedAge(ind.birthDate, oldestAge + 1, todayDate)) {
    errors.push({ field: `${field}.birthDate`, message: `The birth date is more than ${oldestAge} years ago` });
  }
  errors.push(...nikRuleErrors({ nik: ind.nik, birthDate: ind.birthDate, gender: ind.gender, provinceCode: ind.address.provinceCode }, field));
  errors.push(...addressNestingErrors(ind.address, `${field}.address`));
  if (ind.correspondenceAddress) errors.push(...addressNestingErrors(ind.correspondenceAddress, `${field}.correspondenceAddress`));
  if (ind.fatcaUsPerson && !ind.usTin) {
    errors.push({ field: `${field}.usTin`, message: 'A US person gives their US TIN' });
  }
  if (!ind.fatcaUsPerson && ind.usTin) {
    errors.push({ field: `${field}.usTin`, message: 'Only a US person has a US TIN here; set fatcaUsPerson or remove it' });
  }
  if (employeeOccupations.includes(ind.occupation) && !ind.employer) {
    errors.push({ field: `${field}.employer`, message: 'Name the employer for this occupation' });
  }
  return errors;
}
