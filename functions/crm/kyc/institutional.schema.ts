import { z } from 'zod';
import type { FieldError } from '../../../shared/errors.js';
import { emailSchema, phoneSchema } from '../../../shared/validation/contact.js';
import { addressNestingErrors, addressSchema } from './address.js';
import { jakartaDate } from './calendar.js';
import { countryCodeSchema } from './country.js';
import { optionSchema } from './kyc-options.js';
import { parseNik } from './nik.js';
import { personNameSchema } from './person-name.js';
import { nibSchema, nikSchema, npwpSchema } from './tax-ids.js';

const titleSchema = z.string().trim().min(2).max(100);

const officerSchema = z.strictObject({ name: personNameSchema, title: titleSchema, phone: phoneSchema, email: emailSchema });

/** The KYC data of a company, foundation or other institution (S-INVEST institutional static data). */
export const institutionalSchema = z.strictObject({
  /** As written in the deed, legal form included ("PT Maju Jaya Tbk"). */
  name: z
    .string()
    .trim()
    .overwrite((v) => v.replace(/\s+/g, ' '))
    .min(2)
    .max(150)
    .regex(/^[\p{L}\d .,&'()/-]+$/u, 'Letters, digits, spaces and . , & \' ( ) / - only'),
  legalForm: optionSchema('legalForm'),
  npwp: npwpSchema,
  nib: nibSchema,
  /** The articles of association in force: the deed of establishment or its latest amendment. */
  deedNumber: z.string().trim().min(1).max(50),
  deedDate: z.iso.date(),
  establishedPlace: z.string().trim().min(2).max(100),
  /** Date of the deed of establishment. */
  establishedDate: z.iso.date(),
  lineOfBusiness: z.string().trim().min(2).max(100),
  /** The domicile per the deed. */
  address: addressSchema,
  totalAssets: optionSchema('totalAssets'),
  sourceOfFunds: optionSchema('sourceOfFunds'),
  investmentObjective: optionSchema('investmentObjective'),
  contactPerson: officerSchema,
  /** Directors or attorneys who may instruct on the account. */
  authorizedPersons: z
    .array(officerSchema.extend({ nik: nikSchema }))
    .min(1)
    .max(10),
  ultimateBeneficialOwner: z.strictObject({
    name: personNameSchema,
    nationality: countryCodeSchema,
    ownershipPercent: z.number().gt(0).lte(100),
  }),
});
export type InstitutionalKyc = z.infer<typeof institutionalSchema>;

/**
 * Rules across fields, after the schema has passed. The deed in force is the deed of establishment or a
 * later amendment, so its date is on or after the establishment date (equal when never amended).
 */
export function institutionalRuleErrors(inst: InstitutionalKyc, today: Date, field = 'body.institutional'): FieldError[] {
  const errors: FieldError[] = [];
  const todayDate = jakartaDate(today);
  if (inst.establishedDate > todayDate) errors.push({ field: `${field}.establishedDate`, message: 'The date is in the future' });
  if (inst.deedDate > todayDate) errors.push({ field: `${field}.deedDate`, message: 'The date is in the future' });
  if (inst.deedDate < inst.establishedDate) {
    errors.push({ field: `${field}.deedDate`, message: 'The deed cannot be older than the establishment' });
  }
  errors.push(...addressNestingErrors(inst.address, `${field}.address`));
  const firstAt = new Map<string, number>();
  inst.authorizedPersons.forEach((p, i) => {
    const at = `${field}.authorizedPersons.${i}.nik`;
    const earlier = firstAt.get(p.nik);
    if (earlier !== undefined) errors.push({ field: at, message: `The same NIK as authorizedPersons.${earlier}` });
    else firstAt.set(p.nik, i);
    // Birth date and gender are not asked for officers, so only the NIK's own structure is checked.
    if (!parseNik(p.nik, today)) errors.push({ field: at, message: 'Not a valid NIK (region, birth date or serial)' });
  });
  return errors;
}
