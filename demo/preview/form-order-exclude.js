// The order rule's exclusions (`exclude`): product and collection ids typed as lists, and the
// kinds of order line that earn nothing as checkboxes. Untouched, they write nothing, so a
// program without exclusions keeps its exact JSON.
import { checkbox } from './form-fields.js';
import { orderRuleOf } from './form-earning.js';

/** The kinds of order line, in the contract's order, with their labels. */
const KINDS = [
  ['product', 'Every product'],
  ['gift_card', 'Gift cards'],
  ['shipping', 'Shipping'],
  ['tax', 'Tax'],
  ['tip', 'Tips'],
];

// Without `kinds`, gift cards earn nothing; a list given replaces this one.
const DEFAULT_KINDS = ['gift_card'];

// As many ids as the core reads in one list.
const MAX_IDS = 10000;

/** The id lists' text areas: element id → [key under `exclude`, what one id is called]. */
const ID_LISTS = new Map([
  ['exclude-products', ['products', 'product']],
  ['exclude-collections', ['collections', 'collection']],
]);

/**
 * The ids in `text`, separated by commas or line breaks and trimmed, as {ids} or, when the text
 * can't be meant as a list of ids, {error} saying what to change.
 */
export function parseIds(text, noun) {
  const ids = text
    .split(/[,\r\n]/)
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const quoted = ids.find((id) => /^["'[\]]|["'[\]]$/.test(id));
  if (quoted !== undefined)
    return { error: `Write each ${noun} id without quotes or brackets: ${quoted}` };
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) return { error: `The ${noun} id ${twice} is listed twice.` };
  if (ids.length > MAX_IDS)
    return { error: `At most ${MAX_IDS.toLocaleString('en')} ${noun} ids (got ${ids.length}).` };
  return { ids };
}

/** Shows or clears a list's problem: the message under it and the field marked invalid. */
function showProblem(field, message) {
  const note = field.ownerDocument.getElementById(`${field.id}-error`);
  note.textContent = message;
  if (message) {
    field.setAttribute('aria-invalid', 'true');
    field.dataset.formInvalid = '';
  } else {
    field.removeAttribute('aria-invalid');
    delete field.dataset.formInvalid;
  }
}

/** The rule's exclusions with `key` set to `value`, or left out where it is the default. */
function setExclusion(rule, key, value) {
  const { exclude: old } = rule;
  const exclude = old && typeof old === 'object' && !Array.isArray(old) ? old : {};
  if (value === undefined) delete exclude[key];
  else exclude[key] = value;
  if (Object.keys(exclude).length === 0) delete rule.exclude;
  else rule.exclude = exclude;
}

export const orderExcludeSection = {
  setup({ $ }) {
    $('exclude-kinds').append(
      ...KINDS.map(([kind, label]) => checkbox(label, { 'data-kind': kind }, false)),
    );
  },

  render({ program, $ }) {
    const rules = program.earning ?? [];
    const order = orderRuleOf(program);
    $('order-exclude').hidden = !order;
    const path = `/earning/${rules.indexOf(order)}/exclude`;
    const exclude = order?.exclude ?? {};
    for (const [id, [key]] of ID_LISTS) {
      const field = $(id);
      field.dataset.path = `${path}/${key}`;
      // The text stays as the merchant typed it (even with a problem) while the document's list
      // is the one it last wrote; a list changed elsewhere (the JSON tab) replaces it.
      const ids = Array.isArray(exclude[key]) ? exclude[key] : [];
      const shown = JSON.stringify(ids);
      if (field.dataset.ids !== shown) {
        field.value = ids.join(', ');
        field.dataset.ids = shown;
        showProblem(field, '');
      }
    }
    $('exclude-kinds').dataset.path = `${path}/kinds`;
    const kinds = Array.isArray(exclude.kinds) ? exclude.kinds : DEFAULT_KINDS;
    for (const box of $('exclude-kinds').querySelectorAll('[data-kind]'))
      box.checked = kinds.includes(box.dataset.kind);
  },

  apply({ program, $ }, target) {
    const order = orderRuleOf(program);
    if (ID_LISTS.has(target.id)) {
      if (!order) return false;
      const [key, noun] = ID_LISTS.get(target.id);
      const { ids, error } = parseIds(target.value, noun);
      showProblem(target, error ?? '');
      // A list with a problem stays out of the document until it is fixed.
      if (error) return false;
      setExclusion(order, key, ids.length ? ids : undefined);
      target.dataset.ids = JSON.stringify(ids);
      return true;
    }
    if (target.dataset.kind) {
      if (!order) return false;
      const ticked = [...$('exclude-kinds').querySelectorAll('[data-kind]')]
        .filter((box) => box.checked)
        .map((box) => box.dataset.kind);
      const isDefault = JSON.stringify(ticked) === JSON.stringify(DEFAULT_KINDS);
      setExclusion(order, 'kinds', isDefault ? undefined : ticked);
      return true;
    }
    return undefined;
  },
};
