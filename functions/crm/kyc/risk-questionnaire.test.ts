import { strict as assert } from 'node:assert';
import { AppError, type FieldError } from '../../../shared/errors.js';
import {
  currentQuestionnaireVersion,
  questionnaireView,
  riskProfileSchema,
  riskQuestionnaires,
  scoreRiskProfile,
  type RiskCategory,
} from './risk-questionnaire.js';

const current = riskQuestionnaires.find((q) => q.version === currentQuestionnaireVersion)!;
type Answer = { questionId: string; value: string };

/** Answers to the current questionnaire adding up to `score`: the cautious answers, raised one step at a time. */
function answersScoring(score: number): Answer[] {
  const picks = current.questions.map(() => 0);
  let total = current.questions.reduce((sum, q) => sum + q.options[0]!.score, 0);
  for (let i = 0; total < score; i = (i + 1) % picks.length) {
    const q = current.questions[i]!;
    if (picks[i]! + 1 < q.options.length) {
      total += q.options[picks[i]! + 1]!.score - q.options[picks[i]!]!.score;
      picks[i]! += 1;
    }
  }
  assert.equal(total, score, `cannot reach ${score}`);
  return current.questions.map((q, i) => ({ questionId: q.id, value: q.options[picks[i]!]!.value }));
}

function validationErrors(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'VALIDATION_FAILED');
    return err.errors ?? [];
  }
  assert.fail('expected VALIDATION_FAILED');
}

describe('crm kyc risk questionnaire', () => {
  for (const q of riskQuestionnaires) {
    it(`version ${q.version}: 6–8 questions, unique ids and values, both languages, every score categorised`, () => {
      assert.ok(q.questions.length >= 6 && q.questions.length <= 8);
      assert.equal(new Set(q.questions.map((x) => x.id)).size, q.questions.length);
      for (const question of q.questions) {
        assert.ok(question.text.id && question.text.en);
        assert.ok(question.options.length >= 2);
        assert.equal(new Set(question.options.map((o) => o.value)).size, question.options.length);
        for (const o of question.options) assert.ok(o.label.id && o.label.en && Number.isInteger(o.score));
      }
      const lowest = q.questions.reduce((sum, x) => sum + Math.min(...x.options.map((o) => o.score)), 0);
      assert.ok(q.categories.some((c) => c.minScore <= lowest), 'the lowest score has no category');
      assert.deepEqual(new Set(q.categories.map((c) => c.category)), new Set(['CONSERVATIVE', 'MODERATE', 'AGGRESSIVE']));
    });
  }

  it('the versions are unique and include the current one', () => {
    assert.equal(new Set(riskQuestionnaires.map((q) => q.version)).size, riskQuestionnaires.length);
    assert.ok(current);
  });

  for (const locale of ['id', 'en'] as const) {
    it(`questionnaireView(${locale}) shows the current version in that language`, () => {
      const view = questionnaireView(locale);
      assert.equal(view.version, currentQuestionnaireVersion);
      assert.deepEqual(
        view.questions,
        current.questions.map((q) => ({ id: q.id, text: q.text[locale], options: q.options.map((o) => ({ value: o.value, label: o.label[locale], score: o.score })) })),
      );
    });
  }

  const boundaries: [number, RiskCategory][] = [
    [7, 'CONSERVATIVE'],
    [13, 'CONSERVATIVE'],
    [14, 'MODERATE'],
    [21, 'MODERATE'],
    [22, 'AGGRESSIVE'],
    [28, 'AGGRESSIVE'],
  ];
  for (const [score, category] of boundaries) {
    it(`a score of ${score} is ${category}`, () => {
      const answers = answersScoring(score);
      const result = scoreRiskProfile({ questionnaireVersion: currentQuestionnaireVersion, answers });
      assert.deepEqual(result, { questionnaireVersion: currentQuestionnaireVersion, answers, score, category });
    });
  }

  it('returns the answers in the questionnaire’s order whatever order they came in', () => {
    const answers = answersScoring(18);
    const result = scoreRiskProfile({ questionnaireVersion: currentQuestionnaireVersion, answers: [...answers].reverse() });
    assert.deepEqual(result.answers, answers);
    assert.equal(result.score, 18);
  });

  const [first, second] = answersScoring(7) as [Answer, Answer, ...Answer[]];
  const rest = answersScoring(7).slice(2);
  const failures: [string, { questionnaireVersion: string; answers: Answer[] }, FieldError[]][] = [
    [
      'an unknown version',
      { questionnaireVersion: '1999.1', answers: answersScoring(7) },
      [{ field: 'body.riskProfile.questionnaireVersion', message: `Unknown questionnaire version; known: ${riskQuestionnaires.map((q) => q.version).join(', ')}` }],
    ],
    [
      'an unknown question',
      { questionnaireVersion: currentQuestionnaireVersion, answers: [...answersScoring(7), { questionId: 'zodiac', value: 'leo' }] },
      [{ field: 'body.riskProfile.answers.7.questionId', message: 'Unknown question zodiac' }],
    ],
    [
      'an unknown option',
      { questionnaireVersion: currentQuestionnaireVersion, answers: [{ ...first, value: 'under-18' }, second, ...rest] },
      [{ field: 'body.riskProfile.answers.0.value', message: `One of ${current.questions[0]!.options.map((o) => o.value).join(', ')}` }],
    ],
    [
      'an option of another question',
      { questionnaireVersion: currentQuestionnaireVersion, answers: [{ ...first, value: second.value }, second, ...rest] },
      [{ field: 'body.riskProfile.answers.0.value', message: `One of ${current.questions[0]!.options.map((o) => o.value).join(', ')}` }],
    ],
    [
      'a question answered twice',
      { questionnaireVersion: currentQuestionnaireVersion, answers: [first, second, ...rest, first] },
      [{ field: 'body.riskProfile.answers.7.questionId', message: `Question ${first.questionId} is answered already at answers.0` }],
    ],
    [
      'a missing answer',
      { questionnaireVersion: currentQuestionnaireVersion, answers: [second, ...rest] },
      [{ field: 'body.riskProfile.answers', message: `Question ${first.questionId} is not answered` }],
    ],
    [
      'every problem at once',
      { questionnaireVersion: currentQuestionnaireVersion, answers: [{ ...second, value: 'x' }, { questionId: 'zodiac', value: 'leo' }, second, ...rest.slice(1)] },
      [
        { field: 'body.riskProfile.answers.0.value', message: `One of ${current.questions[1]!.options.map((o) => o.value).join(', ')}` },
        { field: 'body.riskProfile.answers.1.questionId', message: 'Unknown question zodiac' },
        { field: 'body.riskProfile.answers.2.questionId', message: `Question ${second.questionId} is answered already at answers.0` },
        { field: 'body.riskProfile.answers', message: `Question ${first.questionId} is not answered` },
        { field: 'body.riskProfile.answers', message: `Question ${rest[0]!.questionId} is not answered` },
      ],
    ],
  ];
  for (const [name, input, errors] of failures) {
    it(`refuses ${name}`, () => assert.deepEqual(validationErrors(() => scoreRiskProfile(input)), errors));
  }

  it('reports under the given field', () => {
    const errors = validationErrors(() => scoreRiskProfile({ questionnaireVersion: 'x', answers: [] }, 'body'));
    assert.deepEqual(errors.map((e) => e.field), ['body.questionnaireVersion']);
  });

  const shapes: [string, unknown, boolean][] = [
    ['a full profile', { questionnaireVersion: currentQuestionnaireVersion, answers: answersScoring(7) }, true],
    ['no answers', { questionnaireVersion: currentQuestionnaireVersion, answers: [] }, false],
    ['no version', { answers: answersScoring(7) }, false],
    ['an extra field', { questionnaireVersion: currentQuestionnaireVersion, answers: answersScoring(7), score: 28 }, false],
    ['an answer with a score', { questionnaireVersion: currentQuestionnaireVersion, answers: [{ ...first, score: 4 }] }, false],
    ['a numeric value', { questionnaireVersion: currentQuestionnaireVersion, answers: [{ ...first, value: 4 }] }, false],
  ];
  for (const [name, input, ok] of shapes) {
    it(`riskProfileSchema: ${name} ${ok ? 'passes' : 'fails'}`, () => assert.equal(riskProfileSchema.safeParse(input).success, ok));
  }
});
