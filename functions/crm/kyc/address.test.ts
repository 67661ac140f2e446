import { strict as assert } from 'node:assert';
import { addressNestingErrors, addressSchema, type Address } from './address.js';

const jakarta: Address = { line: 'Jl. Medan Merdeka Barat No. 1', provinceCode: '31', cityCode: '31.71', districtCode: '31.71.01', postalCode: '10110' };

describe('crm kyc address', () => {
  const shapes: [string, unknown, boolean][] = [
    ['a Jakarta address', jakarta, true],
    ['a short line', { ...jakarta, line: 'Jl 1' }, false],
    ['a province of one digit', { ...jakarta, provinceCode: '3' }, false],
    ['a city without the dot', { ...jakarta, cityCode: '3171' }, false],
    ['a district of two levels', { ...jakarta, districtCode: '31.71' }, false],
    ['a 4-digit postal code', { ...jakarta, postalCode: '1011' }, false],
    ['a postal code from 0', { ...jakarta, postalCode: '01011' }, false],
    ['an unknown field', { ...jakarta, village: 'Gambir' }, false],
    ['no district', { ...jakarta, districtCode: undefined }, false],
  ];
  for (const [name, input, ok] of shapes) {
    it(`schema: ${name} ${ok ? 'passes' : 'fails'}`, () => assert.equal(addressSchema.safeParse(input).success, ok));
  }

  const nesting: [string, Address, string[]][] = [
    ['city and district nested', jakarta, []],
    ['a city of another province', { ...jakarta, cityCode: '32.71', districtCode: '32.71.01' }, ['body.address.cityCode']],
    ['a district of another city', { ...jakarta, districtCode: '31.72.01' }, ['body.address.districtCode']],
    ['both wrong', { ...jakarta, cityCode: '32.71', districtCode: '33.74.01' }, ['body.address.cityCode', 'body.address.districtCode']],
    ['a district of the same-numbered city of another province', { ...jakarta, districtCode: '32.71.01' }, ['body.address.districtCode']],
  ];
  for (const [name, address, fields] of nesting) {
    it(`nesting: ${name}`, () => {
      assert.deepEqual(addressNestingErrors(address, 'body.address').map((e) => e.field), fields);
    });
  }
});
