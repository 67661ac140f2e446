import { strict as assert } from 'node:assert';
import { preferredLocale } from './locale.js';

describe('preferredLocale', () => {
  const cases: Array<[string | undefined, 'id' | 'en']> = [
    [undefined, 'id'],
    ['', 'id'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['id-ID,id;q=0.9,en;q=0.8', 'id'],
    ['fr-FR,en;q=0.5', 'en'],
    ['en;q=0.3,id;q=0.7', 'id'],
    ['id;q=0,en;q=0.1', 'en'],
    ['de, fr', 'id'],
  ];
  for (const [header, locale] of cases) {
    it(`${JSON.stringify(header)} → ${locale}`, () => assert.equal(preferredLocale({ 'accept-language': header }), locale));
  }
});
