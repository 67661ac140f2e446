import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { AppError } from '../../../shared/errors.js';
import { hashPassword } from './password-hasher.js';
import {
  assertPasswordAcceptable,
  checkPasswordPolicy,
  isRecentPassword,
  passwordProblemMessage,
  type PasswordContext,
  type PasswordProblem,
} from './password-policy.js';

const noContext: PasswordContext = {};
// Not common, not a run, no personal data: only its length matters.
const filler = (n: number) => 'tq9#vLm2'.repeat(17).slice(0, n);
const emoji = [...'🔒🌵🎻🦊🚲🍋🧭🪁'];

async function expectProblems(cases: Array<[string, PasswordContext, PasswordProblem[]]>): Promise<void> {
  for (const [plain, ctx, expected] of cases) {
    assert.deepEqual(await checkPasswordPolicy(plain, ctx), expected, `${JSON.stringify(plain)} with ${JSON.stringify(ctx)}`);
  }
}

describe('password policy', () => {
  it('accepts 8 to 128 code points after NFKC', () =>
    expectProblems([
      [filler(7), noContext, ['TOO_SHORT']],
      [filler(8), noContext, []],
      [filler(128), noContext, []],
      [filler(129), noContext, ['TOO_LONG']],
      [emoji.slice(0, 7).join(''), noContext, ['TOO_SHORT']], // 14 UTF-16 units, 7 characters
      [emoji.join(''), noContext, []],
      [emoji.join('').repeat(16), noContext, []], // 128 code points, 256 UTF-16 units
      [`${filler(5)}\uFB00x`, noContext, []], // the ligature ﬀ is "ff" after NFKC: 8
    ]));

  it('rejects passwords from the common list, compared in lowercase', () =>
    expectProblems([
      ['password', noContext, ['COMMON']],
      ['PASSWORD', noContext, ['COMMON']],
      ['Password1', noContext, ['COMMON']],
      ['qwerty123', noContext, ['COMMON']],
      ['iloveyou', noContext, ['COMMON']],
      ['trustno1', noContext, ['COMMON']],
      ['p@ssw0rd', noContext, ['COMMON']],
      ['123456', noContext, ['TOO_SHORT', 'COMMON']],
      ['password-velvet', noContext, []], // only the whole password is compared
    ]));

  it('rejects one repeated character and whole ascending or descending runs', () =>
    expectProblems([
      ['aaaaaaaa', noContext, ['COMMON']],
      ['ZZZZZZZZZZZZ', noContext, ['COMMON']],
      ['%%%%%%%%%%', noContext, ['COMMON']],
      ['abcdefgh', noContext, ['COMMON']],
      ['aBcDeFgHiJ', noContext, ['COMMON']],
      ['hgfedcba', noContext, ['COMMON']],
      ['23456789', noContext, ['COMMON']],
      ['98765432', noContext, ['COMMON']],
      ['abcdefgj', noContext, []],
      ['abcdcbaz', noContext, []],
      ['acegikmo', noContext, []],
    ]));

  const person: PasswordContext = { email: 'Budi.Santoso@example.co.id', phone: '+6281234567890', fullname: 'Budi Santoso' };

  it('rejects passwords that contain the email, its local part, the phone or a name', () =>
    expectProblems([
      ['budi.santoso@example.co.id', person, ['CONTAINS_PERSONAL_DATA']],
      ['my budi.santoso pw!', person, ['CONTAINS_PERSONAL_DATA']],
      ['xxBUDIxx-velvet', person, ['CONTAINS_PERSONAL_DATA']],
      ['velvet-santoso-42', person, ['CONTAINS_PERSONAL_DATA']],
      ['+6281234567890!', person, ['CONTAINS_PERSONAL_DATA']],
      ['call 081234567890', person, ['CONTAINS_PERSONAL_DATA']],
      ['x81234567890x', person, ['CONTAINS_PERSONAL_DATA']],
      ['pin34567890', person, ['CONTAINS_PERSONAL_DATA']],
      ['0812-3456-7890 hp', person, ['CONTAINS_PERSONAL_DATA']],
      ['velvet-4567890-x', person, []], // 7 digits of the phone is not enough
      ['tangerine-velvet', person, []],
    ]));

  it('applies the personal-data rule only to long enough parts, ignoring case and accents', () =>
    expectProblems([
      ['bo-tangerine-9', { email: 'bo@example.com' }, []], // a 2-character local part is not checked
      ['bob-tangerine-9', { email: 'bob@example.com' }, ['CONTAINS_PERSONAL_DATA']],
      ['li-tangerine-9', { fullname: 'Li Wei' }, []],
      ['wei-tangerine-9', { fullname: 'Li Wei' }, ['CONTAINS_PERSONAL_DATA']],
      ['ramirez-rocks-77', { fullname: 'José Ramírez' }, ['CONTAINS_PERSONAL_DATA']],
      ['JOSÉ-rocks-77', { fullname: 'Jose Lim' }, ['CONTAINS_PERSONAL_DATA']],
      ['tangerine-velvet', { email: null, phone: null, fullname: null }, []],
      ['tangerine-velvet', { email: '', phone: '12', fullname: '  ' }, []],
    ]));

  it('accepts a passphrase', () => expectProblems([['correct horse battery staple', person, []]]));

  it('rejects any 8–128 code point string that contains the email local part', async () => {
    const localPart = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._-'), minLength: 3, maxLength: 24 });
    const text = fc.string({ unit: 'binary', maxLength: 50 });
    await fc.assert(
      fc.asyncProperty(localPart, text, text, fc.boolean(), async (local, before, after, upper) => {
        const plain = `${before}${upper ? local.toUpperCase() : local}${after}`;
        const length = [...plain].length;
        fc.pre(length >= 8 && length <= 128);
        const problems = await checkPasswordPolicy(plain, { email: `${local}@example.com` });
        return problems.includes('CONTAINS_PERSONAL_DATA');
      }),
      { numRuns: 300 },
    );
  });

  it('has a message for each problem', () => {
    const problems: PasswordProblem[] = ['TOO_SHORT', 'TOO_LONG', 'COMMON', 'CONTAINS_PERSONAL_DATA'];
    const messages = problems.map(passwordProblemMessage);
    assert.equal(new Set(messages).size, problems.length);
    for (const m of messages) assert.match(m, /^[A-Z].{10,}$/);
  });

  it('assertPasswordAcceptable throws PASSWORD_REJECTED with one error per problem', async () => {
    await assertPasswordAcceptable('tangerine-velvet', person);
    await assert.rejects(assertPasswordAcceptable('budi', person, 'newPassword'), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'PASSWORD_REJECTED');
      assert.deepEqual(err.extra, { reasons: ['TOO_SHORT', 'CONTAINS_PERSONAL_DATA'] });
      assert.deepEqual(err.errors, [
        { field: 'newPassword', message: passwordProblemMessage('TOO_SHORT') },
        { field: 'newPassword', message: passwordProblemMessage('CONTAINS_PERSONAL_DATA') },
      ]);
      return true;
    });
  });

  it('recognises a recent password among the stored hashes', async () => {
    const recent = await Promise.all(['old-velvet-1', 'old-velvet-2'].map(hashPassword));
    const cases: Array<[string, readonly string[], boolean]> = [
      ['old-velvet-2', recent, true],
      ['old-velvet-1', ['not a hash', ...recent], true],
      ['new-velvet-3', recent, false],
      ['old-velvet-1', [], false],
    ];
    for (const [plain, hashes, expected] of cases) assert.equal(await isRecentPassword(plain, hashes), expected, plain);
  });
});
