import { strict as assert } from 'node:assert';
import { employeeOccupations, femaleGender, kycOptions, kycOptionsView, maleGender, optionSchema, type KycOptionKey } from './kyc-options.js';

const keys = Object.keys(kycOptions) as KycOptionKey[];

describe('crm kyc options', () => {
  it('has every list the forms need', () => {
    assert.deepEqual(
      [...keys].sort(),
      ['annualIncome', 'education', 'gender', 'investmentObjective', 'legalForm', 'maritalStatus', 'occupation', 'religion', 'sourceOfFunds', 'totalAssets'],
    );
  });

  for (const key of keys) {
    it(`${key}: non-empty, unique numeric codes, both labels`, () => {
      const list = kycOptions[key];
      assert.ok(list.length > 0);
      const values = list.map((o) => o.value);
      assert.equal(new Set(values).size, values.length, `duplicate value in ${key}`);
      for (const o of list) {
        assert.match(o.value, /^\d{1,2}$/);
        assert.ok(o.label.id.trim().length > 0, `${key} ${o.value} has no Indonesian label`);
        assert.ok(o.label.en.trim().length > 0, `${key} ${o.value} has no English label`);
      }
    });
  }

  const codes: [KycOptionKey, string, string][] = [
    ['gender', maleGender, 'Male'],
    ['gender', femaleGender, 'Female'],
    ['religion', '1', 'Islam'],
    ['religion', '6', 'Confucian'],
    ['education', '1', 'Other'],
    ['education', '6', 'Bachelor’s degree'],
    ['maritalStatus', '2', 'Married'],
    ['occupation', '8', 'Private-sector employee'],
    ['annualIncome', '1', 'Below IDR 10 million a year'],
  ];
  for (const [key, value, en] of codes) {
    it(`${key} ${value} is ${en} (S-INVEST code)`, () => {
      assert.equal(kycOptions[key].find((o) => o.value === value)?.label.en, en);
    });
  }

  it('the employee occupations are codes of the occupation list', () => {
    for (const code of employeeOccupations) assert.ok(kycOptions.occupation.some((o) => o.value === code));
  });

  for (const locale of ['id', 'en'] as const) {
    it(`kycOptionsView(${locale}) gives every list with labels in that language`, () => {
      const view = kycOptionsView(locale);
      assert.deepEqual(Object.keys(view).sort(), [...keys].sort());
      for (const key of keys) {
        assert.deepEqual(view[key], kycOptions[key].map((o) => ({ value: o.value, label: o.label[locale] })));
      }
    });
  }

  const parses: [KycOptionKey, unknown, boolean][] = [
    ['gender', '1', true],
    ['gender', '2', true],
    ['gender', '3', false],
    ['gender', 1, false],
    ['gender', 'M', false],
    ['sourceOfFunds', '10', true],
    ['sourceOfFunds', '11', false],
    ['religion', '', false],
    ['totalAssets', '5', true],
    ['totalAssets', '6', false],
  ];
  for (const [key, value, ok] of parses) {
    it(`optionSchema(${key}) ${ok ? 'accepts' : 'refuses'} ${JSON.stringify(value)}`, () => {
      const result = optionSchema(key).safeParse(value);
      assert.equal(result.success, ok);
      if (!result.success) assert.equal(result.error.issues[0]?.message, `One of ${kycOptions[key].map((o) => o.value).join(', ')}`);
    });
  }
});
