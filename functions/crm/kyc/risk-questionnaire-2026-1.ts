import type { RiskQuestionnaire } from './risk-questionnaire.js';

const choice = (value: string, score: number, id: string, en: string) => ({ value, label: { id, en }, score });

/** Version 2026.1: seven questions, each answer scored 1 (most cautious) to 4. */
export const questionnaire2026v1: RiskQuestionnaire = {
  version: '2026.1',
  questions: [
    {
      id: 'age',
      text: { id: 'Berapa usia Anda saat ini?', en: 'How old are you?' },
      options: [
        choice('over-55', 1, 'Di atas 55 tahun', 'Over 55'),
        choice('46-55', 2, '46–55 tahun', '46–55'),
        choice('36-45', 3, '36–45 tahun', '36–45'),
        choice('under-36', 4, 'Di bawah 36 tahun', 'Under 36'),
      ],
    },
    {
      id: 'horizon',
      text: { id: 'Berapa lama Anda berencana menyimpan investasi ini?', en: 'How long do you plan to keep this investment?' },
      options: [
        choice('under-1y', 1, 'Kurang dari 1 tahun', 'Less than a year'),
        choice('1-3y', 2, '1–3 tahun', '1–3 years'),
        choice('3-5y', 3, '3–5 tahun', '3–5 years'),
        choice('over-5y', 4, 'Lebih dari 5 tahun', 'More than 5 years'),
      ],
    },
    {
      id: 'experience',
      text: { id: 'Produk investasi paling berisiko apa yang pernah Anda miliki?', en: 'What is the riskiest investment you have held?' },
      options: [
        choice('savings', 1, 'Hanya tabungan atau deposito', 'Only savings or time deposits'),
        choice('fixed-income', 2, 'Reksa dana pasar uang/pendapatan tetap, obligasi atau SBN', 'Money-market or fixed-income funds, bonds'),
        choice('balanced', 3, 'Reksa dana campuran', 'Balanced funds'),
        choice('equity', 4, 'Saham atau reksa dana saham', 'Shares or equity funds'),
      ],
    },
    {
      id: 'objective',
      text: { id: 'Apa tujuan utama investasi Anda?', en: 'What is the main goal of your investment?' },
      options: [
        choice('preserve', 1, 'Menjaga nilai pokok investasi', 'Keeping the capital safe'),
        choice('income', 2, 'Pendapatan rutin', 'A regular income'),
        choice('balanced-growth', 3, 'Pertumbuhan dengan risiko terukur', 'Growth at a moderate risk'),
        choice('max-growth', 4, 'Pertumbuhan setinggi mungkin', 'The highest possible growth'),
      ],
    },
    {
      id: 'incomeShare',
      text: { id: 'Berapa bagian dari penghasilan atau aset Anda yang akan diinvestasikan?', en: 'What share of your income or assets will you invest?' },
      options: [
        choice('over-50', 1, 'Lebih dari 50%', 'More than 50%'),
        choice('25-50', 2, '25–50%', '25–50%'),
        choice('10-25', 3, '10–25%', '10–25%'),
        choice('under-10', 4, 'Kurang dari 10%', 'Less than 10%'),
      ],
    },
    {
      id: 'lossReaction',
      text: {
        id: 'Jika nilai investasi Anda turun 20% dalam beberapa bulan, apa yang Anda lakukan?',
        en: 'If your investment lost 20% of its value within a few months, what would you do?',
      },
      options: [
        choice('sell-all', 1, 'Menjual seluruhnya', 'Sell all of it'),
        choice('sell-part', 2, 'Menjual sebagian', 'Sell part of it'),
        choice('hold', 3, 'Menahan sampai nilainya pulih', 'Hold until it recovers'),
        choice('buy-more', 4, 'Membeli lagi', 'Buy more'),
      ],
    },
    {
      id: 'emergencyFund',
      text: { id: 'Dana darurat Anda cukup untuk berapa bulan biaya hidup?', en: 'How many months of living costs does your emergency fund cover?' },
      options: [
        choice('none', 1, 'Tidak punya dana darurat', 'I have no emergency fund'),
        choice('under-3m', 2, 'Kurang dari 3 bulan', 'Less than 3 months'),
        choice('3-6m', 3, '3–6 bulan', '3–6 months'),
        choice('over-6m', 4, 'Lebih dari 6 bulan', 'More than 6 months'),
      ],
    },
  ],
  // Seven questions scored 1–4: 7–13 conservative, 14–21 moderate, 22–28 aggressive.
  categories: [
    { category: 'CONSERVATIVE', minScore: 0 },
    { category: 'MODERATE', minScore: 14 },
    { category: 'AGGRESSIVE', minScore: 22 },
  ],
};
