/**
 * Compares the name on a bank account with the investor's name. Banks print names upper-case, cut
 * punctuation and add or drop titles, so both sides are reduced to the bare name before comparing.
 */

/** Forms of address, religious and academic titles, as their letters without dots ('S.Kom' is 'skom'). */
const titles = new Set([
  // forms of address
  'bapak', 'bpk', 'pak', 'ibu', 'bu', 'sdr', 'sdri', 'sdra', 'saudara', 'saudari', 'tn', 'tuan', 'ny', 'nyonya', 'nn', 'nona',
  'mr', 'mrs', 'ms', 'miss', 'h', 'hj', 'haji', 'hajah', 'hajjah', 'kh',
  // titles before the name
  'dr', 'ir', 'drs', 'dra', 'prof',
  // Indonesian degrees
  'amd', 'se', 'sh', 'skom', 'st', 'ssi', 'spd', 'spsi', 'sked', 'ssos', 'sag', 'sip', 'sikom', 'sak', 'sfarm', 'skep', 'sgz',
  'sp', 'spt', 'stp', 'ss', 'ssn', 'sds', 'str', 'mm', 'msi', 'mkom', 'mt', 'mh', 'mpd', 'mkes', 'mak', 'mag', 'mhum', 'mkn',
  'me', 'spa', 'sppd', 'spog', 'spb',
  // international degrees
  'mba', 'msc', 'ma', 'mph', 'meng', 'phd', 'bsc', 'ba', 'bba', 'beng', 'llb', 'llm',
]);

/** Legal forms of Indonesian companies, dropped so "PT. Maju Jaya Tbk" is the same as "Maju Jaya". */
const legalForms = new Set(['pt', 'cv', 'tbk', 'persero', 'perseroda', 'perum', 'ud']);

/** Titles that are also names (the surname Ma): removed only when written with dots, as titles are. */
const dottedOnly = new Set(['ma', 'ba', 'me', 'ss']);

interface Token {
  key: string;
  dotted: boolean;
}

/** A title is one token ('Dr.') or a few dotted pieces ('S. E.', 'M.B.A.' after splitting at dots). */
function titleLength(tokens: readonly Token[], at: number, leading: boolean): number {
  for (const length of [3, 2, 1]) {
    const run = leading ? tokens.slice(at, at + length) : tokens.slice(Math.max(0, at - length + 1), at + 1);
    if (run.length !== length) continue;
    if (run.slice(0, -1).some((t) => !t.dotted)) continue;
    const key = run.map((t) => t.key).join('');
    const dotted = run.some((t) => t.dotted);
    if (legalForms.has(key)) return length;
    if (!titles.has(key)) continue;
    // A lone trailing "H." is more likely an initial than the Haji title.
    if (key === 'h' && !leading) continue;
    if (dottedOnly.has(key) && !dotted) continue;
    return length;
  }
  return 0;
}

/** Drops titles from one end of the name until a token is not one. */
function stripEdge(tokens: Token[], leading: boolean): Token[] {
  const n = tokens.length === 0 ? 0 : titleLength(tokens, leading ? 0 : tokens.length - 1, leading);
  if (n === 0) return tokens;
  return stripEdge(leading ? tokens.slice(n) : tokens.slice(0, -n), leading);
}

/** The bare name: lower-case ASCII letters and digits, single spaces, no titles or legal forms at either end. */
export function normaliseName(name: string): string {
  const plain = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/\.(?=\S)/g, '. ');
  const tokens = plain
    .split(/[^a-z0-9.]+/)
    .map((raw) => ({ key: raw.replaceAll('.', ''), dotted: raw.includes('.') }))
    .filter((t) => t.key !== '');
  return stripEdge(stripEdge(tokens, true), false)
    .map((t) => t.key)
    .join(' ');
}

/**
 * Whether a bank account's holder is the investor: the same bare names, in any order (banks sometimes
 * print the family name first). A name that is only titles matches nothing.
 */
export function holderNameMatches(holder: string, investorName: string): boolean {
  const a = normaliseName(holder);
  const b = normaliseName(investorName);
  if (a === '' || b === '') return false;
  return a === b || a.split(' ').sort().join(' ') === b.split(' ').sort().join(' ');
}
