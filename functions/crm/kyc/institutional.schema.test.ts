import { strict as assert } from 'node:assert';
import { institutionalRuleErrors, institutionalSchema, type InstitutionalKyc } from './institutional.schema.js';

/** Noon in Jakarta on 12 May 2026. */
const today = new Date('2026-05-12T12:00:00+07:00');

const director = { name: 'Budi Santoso', title: 'Direktur Utama', nik: '3171011205900001', phone: '+6281234567890', email: 'budi@majujaya.co.id' };
const majuJaya = {
  name: 'PT Maju Jaya Tbk',
  legalForm: '1',
  npwp: '01.234.567.8-901.000',
  nib: '9120001234567',
  deedNumber: '12',
  deedDate: '2020-03-01',
  establishedPlace: 'Jakarta',
  establishedDate: '2010-01-15',
  lineOfBusiness: 'Perdagangan besar',
  address: { line: 'Jl. Jend. Sudirman Kav. 52-53', provinceCode: '31', cityCode: '31.74', districtCode: '31.74.01', postalCode: '12190' },
  totalAssets: '2',
  sourceOfFunds: '2',
  investmentObjective: '2',
  contactPerson: { name: 'Rina Wijaya', title: 'Corporate Finance', phone: '+6281234567891', email: 'rina@majujaya.co.id' },
  authorizedPersons: [director],
  ultimateBeneficialOwner: { name: 'Andi Wijaya', nationality: 'ID', ownershipPercent: 60 },
};
const parsed = (change: Partial<InstitutionalKyc> = {}): InstitutionalKyc => ({ ...institutionalSchema.parse(majuJaya), ...change });

describe('crm kyc institutional', () => {
  it('parses a complete body into stored form', () => {
    const inst = institutionalSchema.parse(majuJaya);
    assert.equal(inst.npwp, '012345678901000');
    assert.deepEqual(institutionalRuleErrors(inst, today), []);
  });

  const shapes: [string, Record<string, unknown>, string | null][] = [
    ['a name with & and parentheses', { name: 'PT Bank Rakyat Indonesia (Persero) Tbk & Co.' }, null],
    ['ten authorized persons', { authorizedPersons: Array.from({ length: 10 }, () => director) }, null],
    ['a UBO owning everything', { ultimateBeneficialOwner: { ...majuJaya.ultimateBeneficialOwner, ownershipPercent: 100 } }, null],
    ['a UBO owning a fraction of a percent', { ultimateBeneficialOwner: { ...majuJaya.ultimateBeneficialOwner, ownershipPercent: 0.5 } }, null],
    ['no NPWP', { npwp: undefined }, 'npwp'],
    ['no NIB', { nib: undefined }, 'nib'],
    ['a 12-digit NIB', { nib: '912000123456' }, 'nib'],
    ['an unknown legal form', { legalForm: '9' }, 'legalForm'],
    ['an unknown asset band', { totalAssets: '6' }, 'totalAssets'],
    ['a name with a semicolon', { name: 'PT Maju; Jaya' }, 'name'],
    ['a one-letter line of business', { lineOfBusiness: 'X' }, 'lineOfBusiness'],
    ['no authorized person', { authorizedPersons: [] }, 'authorizedPersons'],
    ['eleven authorized persons', { authorizedPersons: Array.from({ length: 11 }, () => director) }, 'authorizedPersons'],
    ['an authorized person without NIK', { authorizedPersons: [{ ...director, nik: undefined }] }, 'authorizedPersons.0.nik'],
    ['an authorized person with an unknown field', { authorizedPersons: [{ ...director, npwp: '012345678901000' }] }, 'authorizedPersons.0'],
    ['a contact with a local phone', { contactPerson: { ...majuJaya.contactPerson, phone: '0211234567' } }, 'contactPerson.phone'],
    ['a UBO owning 0%', { ultimateBeneficialOwner: { ...majuJaya.ultimateBeneficialOwner, ownershipPercent: 0 } }, 'ultimateBeneficialOwner.ownershipPercent'],
    ['a UBO owning 101%', { ultimateBeneficialOwner: { ...majuJaya.ultimateBeneficialOwner, ownershipPercent: 101 } }, 'ultimateBeneficialOwner.ownershipPercent'],
    ['a UBO of an unknown country', { ultimateBeneficialOwner: { ...majuJaya.ultimateBeneficialOwner, nationality: 'XX' } }, 'ultimateBeneficialOwner.nationality'],
    ['an unknown field', { website: 'https://majujaya.co.id' }, ''],
  ];
  for (const [name, change, badPath] of shapes) {
    it(`schema: ${name} ${badPath === null ? 'passes' : 'fails'}`, () => {
      const r = institutionalSchema.safeParse({ ...majuJaya, ...change });
      assert.equal(r.success, badPath === null, r.success ? '' : JSON.stringify(r.error.issues));
      if (!r.success) assert.equal(r.error.issues[0]?.path.join('.'), badPath);
    });
  }

  const at = 'body.institutional';
  const rules: [string, InstitutionalKyc, { field: string; message: RegExp }[]][] = [
    ['a deed amended after establishment', parsed(), []],
    ['the deed of establishment itself (same day)', parsed({ deedDate: '2010-01-15' }), []],
    ['established today', parsed({ establishedDate: '2026-05-12', deedDate: '2026-05-12' }), []],
    ['a deed older than the establishment', parsed({ deedDate: '2009-12-31' }), [{ field: `${at}.deedDate`, message: /older than the establishment/ }]],
    ['a deed dated tomorrow', parsed({ deedDate: '2026-05-13' }), [{ field: `${at}.deedDate`, message: /future/ }]],
    [
      'established tomorrow',
      parsed({ establishedDate: '2026-05-13', deedDate: '2026-05-13' }),
      [
        { field: `${at}.establishedDate`, message: /future/ },
        { field: `${at}.deedDate`, message: /future/ },
      ],
    ],
    [
      'a domicile city outside its province',
      parsed({ address: { ...majuJaya.address, cityCode: '32.73', districtCode: '32.73.01' } }),
      [{ field: `${at}.address.cityCode`, message: /not in province/ }],
    ],
    [
      'two authorized persons with the same NIK',
      parsed({ authorizedPersons: [director, { ...director, name: 'Andi Wijaya' }] }),
      [{ field: `${at}.authorizedPersons.1.nik`, message: /authorizedPersons\.0/ }],
    ],
    ['two authorized persons with their own NIKs', parsed({ authorizedPersons: [director, { ...director, nik: '3171015205900002' }] }), []],
    ['an authorized NIK that is no NIK (31 February)', parsed({ authorizedPersons: [{ ...director, nik: '3171013102990001' }] }), [{ field: `${at}.authorizedPersons.0.nik`, message: /valid NIK/ }]],
  ];
  for (const [name, inst, expected] of rules) {
    it(`rules: ${name}`, () => {
      const errors = institutionalRuleErrors(inst, today);
      assert.equal(errors.length, expected.length, JSON.stringify(errors));
      expected.forEach((e, i) => {
        assert.equal(errors[i]?.field, e.field);
        assert.match(errors[i]?.message ?? '', e.message);
      });
    });
  }

  it('reports under the given field', () => {
    assert.deepEqual(institutionalRuleErrors(parsed({ deedDate: '2009-12-31' }), today, 'body').map((e) => e.field), ['body.deedDate']);
  });
});
