import { esc, say, type PageLang } from '../links/link-page.js';

/**
 * Form controls of the registration page. Each control's id and name are the API field names the page's
 * script reads (and the browser tests address); every value and label is escaped here.
 */
export interface Option {
  value: string;
  label: string;
}

type Attrs = Record<string, string | number | boolean | undefined>;

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${esc(v)}"`))
    .join('');
}

/** A label, an optional hint, the control, and the slot the script writes this field's error into. */
export function field(id: string, label: string, control: string, hint?: string): string {
  return `<label for="${id}">${esc(label)}</label>${hint ? `<small class="hint" id="${id}-hint">${esc(hint)}</small>` : ''}${control}<small class="field-err" data-error-for="${id}"></small>`;
}

export function input(id: string, a: Attrs = {}): string {
  return `<input${attrs({ id, name: id, type: 'text', ...a })}>`;
}

export function select(lang: PageLang, id: string, options: readonly Option[], a: Attrs & { selected?: string } = {}): string {
  const { selected, ...rest } = a;
  const choose = `<option value="">${esc(say(lang, '— pilih —', '— choose —'))}</option>`;
  const items = options.map((o) => `<option value="${esc(o.value)}"${o.value === selected ? ' selected' : ''}>${esc(o.label)}</option>`).join('');
  return `<select${attrs({ id, name: id, required: true, ...rest })}>${choose}${items}</select>`;
}

/** A checkbox with its label beside it. */
export function checkbox(id: string, label: string, checked: boolean): string {
  return `<label class="check" for="${id}"><input${attrs({ id, name: id, type: 'checkbox', checked })}><span>${esc(label)}</span></label><small class="field-err" data-error-for="${id}"></small>`;
}

/** One question of the risk questionnaire: a radio group named risk-<questionId>. */
export function radioGroup(questionId: string, text: string, options: readonly Option[]): string {
  const name = `risk-${questionId}`;
  const radios = options
    .map((o) => `<label class="check"><input${attrs({ type: 'radio', name, id: `${name}-${o.value}`, value: o.value, required: true })}><span>${esc(o.label)}</span></label>`)
    .join('');
  return `<fieldset data-question="${esc(questionId)}"><legend>${esc(text)}</legend>${radios}</fieldset>`;
}

export const formStyle = `fieldset{border:0;padding:0;margin:1rem 0 0}legend{font-weight:600;margin-bottom:.25rem}
.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400;margin:.4rem 0}.check input{width:auto;margin-top:.2rem}
.hint{display:block;color:#57606a;margin-bottom:.25rem}.field-err{display:block;color:#b00020;min-height:0}
[aria-invalid="true"]{border-color:#b00020}h2{font-size:1.1rem;margin:0 0 .25rem}`;
