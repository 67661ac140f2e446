import { z } from 'zod';
import { AppError, type FieldError } from '../../../shared/errors.js';
import { questionnaire2026v1 } from './risk-questionnaire-2026-1.js';

/**
 * The risk-profile questionnaire an investor answers before the first subscription (POJK suitability).
 * Questions and weights are data; a new wording or weighting is a new version, and old versions stay here
 * so a stored profile can be scored again exactly as it was.
 */
export type RiskCategory = 'CONSERVATIVE' | 'MODERATE' | 'AGGRESSIVE';
type Text = { id: string; en: string };

export interface RiskQuestionnaire {
  version: string;
  questions: readonly { id: string; text: Text; options: readonly { value: string; label: Text; score: number }[] }[];
  /** A score falls in the category with the highest minScore it reaches. */
  categories: readonly { category: RiskCategory; minScore: number }[];
}

/** Every version ever used, oldest first; the current one is what new profiles answer. */
export const riskQuestionnaires: readonly RiskQuestionnaire[] = [questionnaire2026v1];

export const currentQuestionnaireVersion = '2026.1';

export const riskProfileSchema = z.strictObject({
  questionnaireVersion: z.string().trim().min(1).max(20),
  answers: z
    .array(z.strictObject({ questionId: z.string().trim().min(1).max(50), value: z.string().trim().min(1).max(50) }))
    .min(1)
    .max(50),
});
export type RiskProfileInput = z.infer<typeof riskProfileSchema>;

export interface ScoredRiskProfile {
  questionnaireVersion: string;
  /** In the questionnaire's order. */
  answers: { questionId: string; value: string }[];
  score: number;
  category: RiskCategory;
}

function questionnaire(version: string): RiskQuestionnaire | undefined {
  return riskQuestionnaires.find((q) => q.version === version);
}

/** The current questionnaire for GET /crm/risk-questionnaire, in the caller's language. */
export function questionnaireView(locale: 'id' | 'en') {
  const current = questionnaire(currentQuestionnaireVersion);
  if (!current) throw new Error(`risk questionnaire ${currentQuestionnaireVersion} is missing`);
  return {
    version: current.version,
    questions: current.questions.map((q) => ({
      id: q.id,
      text: q.text[locale],
      options: q.options.map((o) => ({ value: o.value, label: o.label[locale], score: o.score })),
    })),
  };
}

/**
 * Scores answers against the version they were given for. Every question answered once with one of its
 * options, or VALIDATION_FAILED listing each problem at `${field}.…`.
 */
export function scoreRiskProfile(input: RiskProfileInput, field = 'body.riskProfile'): ScoredRiskProfile {
  const q = questionnaire(input.questionnaireVersion);
  if (!q) {
    const known = riskQuestionnaires.map((r) => r.version).join(', ');
    throw new AppError('VALIDATION_FAILED', {
      errors: [{ field: `${field}.questionnaireVersion`, message: `Unknown questionnaire version; known: ${known}` }],
    });
  }
  const errors: FieldError[] = [];
  const chosen = new Map<string, { value: string; score: number }>();
  const firstAt = new Map<string, number>();
  for (const [i, a] of input.answers.entries()) {
    const question = q.questions.find((x) => x.id === a.questionId);
    const earlier = firstAt.get(a.questionId);
    if (!question) {
      errors.push({ field: `${field}.answers.${i}.questionId`, message: `Unknown question ${a.questionId}` });
    } else if (earlier !== undefined) {
      errors.push({ field: `${field}.answers.${i}.questionId`, message: `Question ${a.questionId} is answered already at answers.${earlier}` });
    } else {
      firstAt.set(a.questionId, i);
      const option = question.options.find((o) => o.value === a.value);
      if (option) chosen.set(a.questionId, { value: option.value, score: option.score });
      else errors.push({ field: `${field}.answers.${i}.value`, message: `One of ${question.options.map((o) => o.value).join(', ')}` });
    }
  }
  for (const question of q.questions) {
    if (!firstAt.has(question.id)) errors.push({ field: `${field}.answers`, message: `Question ${question.id} is not answered` });
  }
  if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
  const answers = q.questions.map((question) => ({ questionId: question.id, value: chosen.get(question.id)?.value ?? '' }));
  const score = q.questions.reduce((sum, question) => sum + (chosen.get(question.id)?.score ?? 0), 0);
  const category = [...q.categories].sort((a, b) => b.minScore - a.minScore).find((c) => score >= c.minScore);
  if (!category) throw new Error(`risk questionnaire ${q.version} has no category for score ${score}`);
  return { questionnaireVersion: q.version, answers, score, category: category.category };
}
