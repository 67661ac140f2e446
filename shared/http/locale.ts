import type { IncomingHttpHeaders } from 'node:http';

/** Indonesian unless the client prefers English before Indonesian (Accept-Language, q-values honoured). */
export function preferredLocale(headers: IncomingHttpHeaders): 'id' | 'en' {
  const ranked = (headers['accept-language'] ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { lang: tag.split('-')[0], q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((l) => (l.lang === 'id' || l.lang === 'en') && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.lang === 'en' ? 'en' : 'id';
}
