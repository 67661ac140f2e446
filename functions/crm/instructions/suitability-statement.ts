/**
 * The investor's acknowledgement an RM records when a product's risk is above the investor's risk profile
 * (POST /crm/instructions {riskAcknowledged: true}). The instruction keeps the text and version it was made
 * with, and the signing page shows that text to the investor, who confirms it by signing. Changing the
 * wording means a new version here; stored instructions keep theirs.
 */
export interface SuitabilityStatement {
  version: string;
  /** Indonesian, the binding text. */
  id: string;
  en: string;
}

export const suitabilityStatement: SuitabilityStatement = {
  version: '2026-1',
  id:
    'Saya memahami bahwa produk ini memiliki tingkat risiko di atas profil risiko saya. Agen penjual telah menjelaskan ' +
    'risiko produk ini kepada saya, termasuk kemungkinan kehilangan sebagian atau seluruh dana yang saya investasikan, ' +
    'dan saya tetap memilih untuk berinvestasi atas keputusan saya sendiri.',
  en:
    'I understand that this product carries a level of risk above my risk profile. The selling agent has explained ' +
    'its risks to me, including the possibility of losing part or all of the money I invest, and I choose to invest ' +
    'in it on my own decision.',
};
