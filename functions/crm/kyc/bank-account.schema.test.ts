import { strict as assert } from 'node:assert';
import { bankAccountRuleErrors, bankAccountSchema, bankAccountsSchema, type BankAccount } from './bank-account.schema.js';

const bca: BankAccount = { bankCode: '014', accountNumber: '1234567890', accountHolderName: 'Budi Santoso', isPrimary: true };
const mandiri: BankAccount = { bankCode: '008', accountNumber: '1230004567890', accountHolderName: 'Budi Santoso', isPrimary: false };

describe('crm kyc bank accounts', () => {
  const shapes: [string, unknown, string | null][] = [
    ['a BCA account', bca, '1234567890'],
    ['a number with spaces and dashes', { ...bca, accountNumber: '123-456 7890' }, '1234567890'],
    ['6 digits', { ...bca, accountNumber: '123456' }, '123456'],
    ['20 digits', { ...bca, accountNumber: '1'.repeat(20) }, '1'.repeat(20)],
    ['5 digits', { ...bca, accountNumber: '12345' }, null],
    ['21 digits', { ...bca, accountNumber: '1'.repeat(21) }, null],
    ['a letter in the number', { ...bca, accountNumber: '12345678A0' }, null],
    ['a 2-digit bank code', { ...bca, bankCode: '14' }, null],
    ['a one-letter holder', { ...bca, accountHolderName: 'B' }, null],
    ['isPrimary as a string', { ...bca, isPrimary: 'true' }, null],
    ['an unknown field', { ...bca, branch: 'Sudirman' }, null],
  ];
  for (const [name, input, number] of shapes) {
    it(`schema: ${name} ${number ? 'passes' : 'fails'}`, () => {
      const r = bankAccountSchema.safeParse(input);
      assert.equal(r.success, number !== null);
      if (r.success) assert.equal(r.data.accountNumber, number);
    });
  }

  const lists: [string, unknown[], boolean][] = [
    ['none', [], false],
    ['one', [bca], true],
    ['five', Array.from({ length: 5 }, (_, i) => ({ ...bca, accountNumber: `12345678${i}` })), true],
    ['six', Array.from({ length: 6 }, (_, i) => ({ ...bca, accountNumber: `12345678${i}` })), false],
  ];
  for (const [name, input, ok] of lists) {
    it(`list of ${name} ${ok ? 'passes' : 'fails'}`, () => assert.equal(bankAccountsSchema.safeParse(input).success, ok));
  }

  const rules: [string, BankAccount[], { field: string; message: RegExp }[]][] = [
    ['one primary', [bca, mandiri], []],
    ['no primary', [{ ...bca, isPrimary: false }, mandiri], [{ field: 'body.bankAccounts', message: /exactly one.*not 0/ }]],
    ['two primaries', [bca, { ...mandiri, isPrimary: true }], [{ field: 'body.bankAccounts', message: /exactly one.*not 2/ }]],
    ['the same account twice', [bca, { ...bca, isPrimary: false }], [{ field: 'body.bankAccounts.1.accountNumber', message: /account 1/ }]],
    ['the same number at another bank', [bca, { ...mandiri, accountNumber: bca.accountNumber }], []],
    [
      'a duplicate and two primaries',
      [bca, mandiri, { ...mandiri, isPrimary: true }],
      [
        { field: 'body.bankAccounts', message: /not 2/ },
        { field: 'body.bankAccounts.2.accountNumber', message: /account 2/ },
      ],
    ],
  ];
  for (const [name, accounts, expected] of rules) {
    it(`rules: ${name}`, () => {
      const errors = bankAccountRuleErrors(accounts);
      assert.equal(errors.length, expected.length, JSON.stringify(errors));
      expected.forEach((e, i) => {
        assert.equal(errors[i]?.field, e.field);
        assert.match(errors[i]?.message ?? '', e.message);
      });
    });
  }

  it('rules report under the given field', () => {
    assert.deepEqual(bankAccountRuleErrors([], 'body.accounts').map((e) => e.field), ['body.accounts']);
  });
});
