import { strict as assert } from 'node:assert';
import { nibSchema, nikSchema, npwpSchema } from './tax-ids.js';

describe('crm kyc tax and identity numbers', () => {
  const npwp: [string, string | null][] = [
    ['012345678901000', '012345678901000'],
    ['01.234.567.8-901.000', '012345678901000'],
    [' 01.234.567.8-901.000 ', '012345678901000'],
    ['3171011205900001', '3171011205900001'],
    ['0123456789012000', '0123456789012000'],
    ['3171 0112 0590 0001', '3171011205900001'],
    ['01234567890100', null],
    ['01234567890100000', null],
    ['01.234.567.8-901.00', null],
    ['01/234/567/8-901/000', null],
    ['01.234.567.8-901.00A', null],
    ['', null],
  ];
  for (const [input, out] of npwp) {
    it(`npwp ${JSON.stringify(input)} ${out ? `is ${out}` : 'is refused'}`, () => {
      const r = npwpSchema.safeParse(input);
      assert.equal(r.success, out !== null);
      if (r.success) assert.equal(r.data, out);
    });
  }

  const nib: [string, string | null][] = [
    ['9120001234567', '9120001234567'],
    [' 9120001234567 ', '9120001234567'],
    ['912000123456', null],
    ['91200012345678', null],
    ['912000123456A', null],
  ];
  for (const [input, out] of nib) {
    it(`nib ${JSON.stringify(input)} ${out ? 'is accepted' : 'is refused'}`, () => {
      const r = nibSchema.safeParse(input);
      assert.equal(r.success, out !== null);
      if (r.success) assert.equal(r.data, out);
    });
  }

  const nik: [string, string | null][] = [
    ['3171011205900001', '3171011205900001'],
    ['3171 0112 0590 0001', '3171011205900001'],
    ['317101120590000', null],
    ['31710112059000011', null],
    ['3171-0112-0590-0001', null],
  ];
  for (const [input, out] of nik) {
    it(`nik ${JSON.stringify(input)} ${out ? 'is accepted' : 'is refused'}`, () => {
      const r = nikSchema.safeParse(input);
      assert.equal(r.success, out !== null);
      if (r.success) assert.equal(r.data, out);
    });
  }
});
