import { strict as assert } from 'node:assert';
import { canonicalJson, sha256Hex } from './canonical-json.js';

/** The canonical JSON the signing evidence hashes: one text per value, whatever the key order. */
describe('signatures: canonicalJson', () => {
  const cases: Array<[string, unknown, string]> = [
    ['null', null, 'null'],
    ['booleans', [true, false], '[true,false]'],
    ['a string with quotes, a backslash and a line separator', 'a"b\\c\u2028', '"a\\"b\\\\c\u2028"'],
    ['non-ASCII kept as is', 'Rp 1.500.000 — ©', '"Rp 1.500.000 — ©"'],
    ['control characters escaped', 'a\nb\u0001', '"a\\nb\\u0001"'],
    ['numbers as JSON writes them', [1, 1.5, -0, 1e21, 0.000001], '[1,1.5,0,1e+21,0.000001]'],
    ['keys sorted', { b: 1, a: 2 }, '{"a":2,"b":1}'],
    ['keys sorted at every depth, arrays kept in order', { z: [{ y: 1, x: 2 }, 3], a: { d: null, c: 'c' } }, '{"a":{"c":"c","d":null},"z":[{"x":2,"y":1},3]}'],
    ['keys sorted by UTF-16 code units', { é: 1, z: 2, A: 3, '10': 4, '9': 5 }, '{"10":4,"9":5,"A":3,"z":2,"é":1}'],
    ['no whitespace', { a: [1, { b: 'x y' }] }, '{"a":[1,{"b":"x y"}]}'],
    ['undefined members left out, undefined array items null', { a: undefined, b: [undefined] }, '{"b":[null]}'],
    ['empty containers', { a: {}, b: [] }, '{"a":{},"b":[]}'],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { b: 1, a: 1 }), '{"a":1,"b":1}'],
  ];
  for (const [name, value, expected] of cases) {
    it(name, () => assert.equal(canonicalJson(value), expected));
  }

  const refused: Array<[string, unknown]> = [
    ['NaN', NaN],
    ['Infinity', { a: Infinity }],
    ['a bigint', 1n],
    ['a Date (its JSON form would hide the type)', new Date(0)],
    ['a Map', new Map()],
    ['a function', { f: () => 1 }],
    ['undefined itself', undefined],
  ];
  for (const [name, value] of refused) {
    it(`refuses ${name}`, () => assert.throws(() => canonicalJson(value), TypeError));
  }

  it('gives the same text for the same data whatever the key order, and JSON.parse reads it back', () => {
    const a = { instructionId: 'x', product: { code: 'MMF-KAS', riskLevel: 1 }, amount: '1500000.00' };
    const b = { amount: '1500000.00', product: { riskLevel: 1, code: 'MMF-KAS' }, instructionId: 'x' };
    assert.equal(canonicalJson(a), canonicalJson(b));
    assert.deepEqual(JSON.parse(canonicalJson(a)), a);
  });

  it('hashes with SHA-256 as lowercase hex', () => {
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex('{"a":1}'), sha256Hex(canonicalJson({ a: 1 })));
    assert.match(sha256Hex('é'), /^[0-9a-f]{64}$/);
  });
});
