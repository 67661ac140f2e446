import { strict as assert } from 'node:assert';
import { individualRuleErrors, individualSchema, type IndividualKyc } from './individual.schema.js';
import { femaleGender, maleGender } from './kyc-options.js';

/** Noon in Jakarta on 12 May 2026. */
const today = new Date('2026-05-12T12:00:00+07:00');

/** A consistent body: a man born 12 May 1990 in Gambir, Jakarta Pusat, with the NIK to match. */
const budi = {
  fullName: 'Budi Santoso',
  nik: '3171011205900001',
  npwp: '01.234.567.8-901.000',
  birthPlace: 'Jakarta',
  birthDate: '1990-05-12',
  gender: maleGender,
  motherMaidenName: 'Siti Aminah',
  nationality: 'ID',
  religion: '1',
  maritalStatus: '2',
  education: '6',
  occupation: '8',
  employer: 'PT Maju Jaya',
  annualIncome: '4',
  sourceOfFunds: '1',
  investmentObjective: '2',
  email: 'Budi.Santoso@example.com',
  phone: '+6281234567890',
  address: { line: 'Jl. Medan Merdeka Barat No. 1', provinceCode: '31', cityCode: '31.71', districtCode: '31.71.01', postalCode: '10110' },
  beneficialOwner: { self: true },
  fatcaUsPerson: false,
};

/** `budi` born on another day, with the NIK re-encoded so only the rule under test can fail. */
function bornOn(birthDate: string): IndividualKyc {
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  return individualSchema.parse({ ...budi, birthDate, nik: `317101${d}${m}${y.slice(2)}0001` });
}

describe('crm kyc individual', () => {
  it('parses a complete body into stored form', () => {
    const ind = individualSchema.parse({ ...budi, nationality: 'id', usTin: undefined });
    assert.equal(ind.npwp, '012345678901000');
    assert.equal(ind.email, 'budi.santoso@example.com');
    assert.equal(ind.nationality, 'ID');
    assert.deepEqual(individualRuleErrors(ind, today), []);
  });

  const shapes: [string, Record<string, unknown>, string | null][] = [
    ['no NPWP', { npwp: undefined }, null],
    ['a correspondence address', { correspondenceAddress: { ...budi.address, line: 'Jl. Sudirman Kav. 1' } }, null],
    ['a beneficial owner other than the investor', { beneficialOwner: { self: false, name: 'Andi Santoso', relationship: 'Ayah' } }, null],
    ['a name with an apostrophe and a dot', { fullName: "Muh. Ma'ruf" }, null],
    ['a name with a digit', { fullName: 'Budi 2' }, 'fullName'],
    ['a one-letter name', { fullName: 'B' }, 'fullName'],
    ['a NIK of 15 digits', { nik: '317101120590000' }, 'nik'],
    ['a date-time birth date', { birthDate: '1990-05-12T00:00:00Z' }, 'birthDate'],
    ['gender M', { gender: 'M' }, 'gender'],
    ['an unknown religion code', { religion: '8' }, 'religion'],
    ['an unknown country', { nationality: 'XX' }, 'nationality'],
    ['a region that is not a country', { nationality: 'EU' }, 'nationality'],
    ['a three-letter country', { nationality: 'IDN' }, 'nationality'],
    ['a local phone number', { phone: '081234567890' }, 'phone'],
    ['a bad email', { email: 'budi' }, 'email'],
    ['a beneficial owner without a name', { beneficialOwner: { self: false, relationship: 'Ayah' } }, 'beneficialOwner.name'],
    ['self with a name', { beneficialOwner: { self: true, name: 'Andi' } }, 'beneficialOwner'],
    ['a US TIN of 8 digits', { fatcaUsPerson: true, usTin: '12345678' }, 'usTin'],
    ['no FATCA answer', { fatcaUsPerson: undefined }, 'fatcaUsPerson'],
    ['an unknown field', { nickname: 'Bud' }, ''],
  ];
  for (const [name, change, badPath] of shapes) {
    it(`schema: ${name} ${badPath === null ? 'passes' : 'fails'}`, () => {
      const r = individualSchema.safeParse({ ...budi, ...change });
      assert.equal(r.success, badPath === null, r.success ? '' : JSON.stringify(r.error.issues));
      if (!r.success) assert.equal(r.error.issues[0]?.path.join('.'), badPath);
    });
  }

  const rules: [string, IndividualKyc, { field: string; message: RegExp }[]][] = [
    ['17 today', bornOn('2009-05-12'), []],
    ['one day short of 17', bornOn('2009-05-13'), [{ field: 'body.individual.birthDate', message: /17 or older/ }]],
    ['born tomorrow', bornOn('2026-05-13'), [{ field: 'body.individual.birthDate', message: /future/ }]],
    ['born today', bornOn('2026-05-12'), [{ field: 'body.individual.birthDate', message: /17 or older/ }]],
    ['120, a day short of 121', bornOn('1905-05-13'), []],
    ['121 today', bornOn('1905-05-12'), [{ field: 'body.individual.birthDate', message: /120 years/ }]],
    ['a NIK for another birth date', { ...bornOn('1990-05-12'), birthDate: '1990-06-12' }, [{ field: 'body.individual.nik', message: /birth date/ }]],
    ['a NIK for the other gender', { ...bornOn('1990-05-12'), gender: femaleGender }, [{ field: 'body.individual.nik', message: /gender/ }]],
    [
      'a KTP address in another province than the NIK',
      { ...bornOn('1990-05-12'), address: { ...budi.address, provinceCode: '32', cityCode: '32.73', districtCode: '32.73.01' } },
      [{ field: 'body.individual.nik', message: /province 31/ }],
    ],
    [
      'a KTP city outside its province',
      { ...bornOn('1990-05-12'), address: { ...budi.address, cityCode: '32.73', districtCode: '32.73.01' } },
      [{ field: 'body.individual.address.cityCode', message: /not in province/ }],
    ],
    [
      'a correspondence district outside its city',
      { ...bornOn('1990-05-12'), correspondenceAddress: { ...budi.address, districtCode: '31.72.01' } },
      [{ field: 'body.individual.correspondenceAddress.districtCode', message: /not in city/ }],
    ],
    ['a US person with a TIN', { ...bornOn('1990-05-12'), fatcaUsPerson: true, usTin: '123456789' }, []],
    ['a US person without a TIN', { ...bornOn('1990-05-12'), fatcaUsPerson: true }, [{ field: 'body.individual.usTin', message: /US person/ }]],
    ['a TIN without being a US person', { ...bornOn('1990-05-12'), usTin: '123456789' }, [{ field: 'body.individual.usTin', message: /Only a US person/ }]],
    ['a private employee without an employer', { ...bornOn('1990-05-12'), employer: undefined }, [{ field: 'body.individual.employer', message: /employer/ }]],
    ['a civil servant without an employer', { ...bornOn('1990-05-12'), occupation: '4', employer: undefined }, [{ field: 'body.individual.employer', message: /employer/ }]],
    ['a homemaker without an employer', { ...bornOn('1990-05-12'), occupation: '2', employer: undefined }, []],
    ['a business owner without an employer', { ...bornOn('1990-05-12'), occupation: '3', employer: undefined }, []],
    ['someone else’s money', { ...bornOn('1990-05-12'), beneficialOwner: { self: false, name: 'Andi Santoso', relationship: 'Ayah' } }, []],
  ];
  for (const [name, ind, expected] of rules) {
    it(`rules: ${name}`, () => {
      const errors = individualRuleErrors(ind, today);
      assert.equal(errors.length, expected.length, JSON.stringify(errors));
      expected.forEach((e, i) => {
        assert.equal(errors[i]?.field, e.field);
        assert.match(errors[i]?.message ?? '', e.message);
      });
    });
  }

  it('judges the age on the Jakarta calendar: 17 at 00:30 WIB while UTC is still the day before', () => {
    const ind = bornOn('2009-05-12');
    assert.deepEqual(individualRuleErrors(ind, new Date('2026-05-11T17:30:00Z')), []);
    assert.equal(individualRuleErrors(ind, new Date('2026-05-11T16:30:00Z')).length, 1);
  });

  it('someone born on 29 February turns 17 on 1 March of a common year', () => {
    const ind = bornOn('2008-02-29');
    assert.equal(individualRuleErrors(ind, new Date('2025-02-28T12:00:00+07:00')).length, 1);
    assert.deepEqual(individualRuleErrors(ind, new Date('2025-03-01T12:00:00+07:00')), []);
  });

  it('reports under the given field', () => {
    const errors = individualRuleErrors({ ...bornOn('1990-05-12'), fatcaUsPerson: true }, today, 'body');
    assert.deepEqual(errors.map((e) => e.field), ['body.usTin']);
  });
});
