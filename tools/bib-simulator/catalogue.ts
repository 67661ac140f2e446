import type { BibProduct } from '../../shared/bib/contract.js';

type Row = [code: string, name: string, house: string, type: BibProduct['type'], risk: number, minSub: string, minRedUnits: string, subFee: string, redFee: string, swFee: string, nav: string];

const nusantara = 'Nusantara Asset Management';
const garuda = 'Garuda Investasi';
const navDate = '2026-11-20';

// The funds the product table of migration 0008 was seeded with (instruction tests rely on these codes,
// risk levels and minimums), now served by Bib.
const rows: Row[] = [
  ['MMF-KAS', 'Dana Kas Likuid', nusantara, 'MONEY_MARKET', 1, '10000.00', '0.0000', '0.00', '0.00', '0.00', '1823.4417'],
  ['FIF-OBLIGASI', 'Dana Obligasi Negara Plus', nusantara, 'FIXED_INCOME', 2, '100000.00', '10.0000', '1.00', '0.50', '0.50', '2456.1032'],
  ['BAL-SEIMBANG', 'Dana Seimbang Dinamis', nusantara, 'BALANCED', 3, '100000.00', '10.0000', '1.50', '1.00', '0.50', '3120.7785'],
  ['EQF-SAHAM', 'Dana Saham Unggulan', nusantara, 'EQUITY', 4, '100000.00', '10.0000', '2.00', '1.00', '1.00', '4987.2210'],
  ['EQF-SYARIAH', 'Dana Saham Syariah Berkembang', nusantara, 'EQUITY', 5, '100000.00', '10.0000', '2.00', '1.00', '1.00', '1345.6620'],
  ['MMF-PASAR-UANG', 'Pasar Uang Prima', garuda, 'MONEY_MARKET', 1, '10000.00', '0.0000', '0.00', '0.00', '0.00', '1502.9981'],
  ['FIF-SUKUK', 'Sukuk Pendapatan Tetap', garuda, 'FIXED_INCOME', 2, '50000.00', '10.0000', '0.50', '0.00', '0.00', '1210.5528'],
  ['EQF-INDEKS', 'Indeks LQ45 Garuda', garuda, 'EQUITY', 4, '100000.00', '10.0000', '1.00', '0.50', '0.50', '987.3309'],
];

/** A fresh copy of the seed catalogue (callers may change it). */
export function seedProducts(): BibProduct[] {
  return rows.map(([code, name, productHouse, type, riskLevel, minSubscription, minRedemptionUnits, subscriptionFeePct, redemptionFeePct, switchingFeePct, nav]) => ({
    code,
    name,
    productHouse,
    type,
    riskLevel,
    currency: 'IDR',
    minSubscription,
    minRedemptionUnits,
    subscriptionFeePct,
    redemptionFeePct,
    switchingFeePct,
    nav,
    navDate,
    active: true,
  }));
}
