// The settings form: reads the common settings out of a program document and writes edits back
// into it. Everything the form does not show stays in the document untouched (the JSON tab edits
// it), so the two views never disagree.
//
// This file holds the form's state and its events; each fieldset is a section module that draws
// its fields from the document (render), writes an edited control back (apply, and applyField for
// a row of its list), adds rows to its list and carries out its buttons' actions.
import { currencyDigits } from './form-fields.js';
import { earningSection } from './form-earning.js';
import { expirySection } from './form-expiry.js';
import { orderExcludeSection } from './form-order-exclude.js';
import { programSection } from './form-program.js';
import { promotionsSection } from './form-promotions.js';
import { referralSection } from './form-referral.js';
import { rewardsSection } from './form-rewards.js';
import { tiersSection } from './form-tiers.js';
import { waysToEarnSection } from './form-ways-to-earn.js';

const SECTIONS = [
  programSection,
  earningSection,
  orderExcludeSection,
  waysToEarnSection,
  rewardsSection,
  tiersSection,
  promotionsSection,
  referralSection,
  expirySection,
];

/** The section whose list has the element id `id`. */
const listSection = (id) => SECTIONS.find((section) => section.list?.id === id);

export function createProgramForm(form, onEdit) {
  const state = {
    form,
    program: {},
    language: 'en', // the language whose texts the form shows and edits
    $: (id) => form.querySelector(`#${id}`),
    digits: () => currencyDigits(state.program.currency),
  };
  for (const section of SECTIONS) section.setup?.(state);

  /** Draws the form from `program`; `force` redraws the lists even where the focus is. */
  function render(program, force = false) {
    state.program = program;
    for (const section of SECTIONS) section.render(state, force);
  }

  /** Applies the edited control to the document; truthy when something changed. */
  function apply(target) {
    for (const section of SECTIONS) {
      const changed = section.apply?.(state, target);
      if (changed !== undefined) return changed;
    }
    const item = target.closest('.item');
    const field = target.dataset.field;
    const section = item && field ? listSection(item.parentElement.id) : null;
    if (!section) return false;
    return section.list.applyField(state, Number(item.dataset.index), field, target);
  }

  form.addEventListener('input', (event) => {
    const changed = apply(event.target);
    if (changed === 'structure') render(state.program, true);
    if (changed) onEdit(state.program);
  });
  form.addEventListener('change', (event) => {
    if (event.target.id === 'text-language') state.language = event.target.value;
    if (event.target.tagName === 'SELECT') render(state.program, true);
  });
  form.addEventListener('click', (event) => {
    const { program } = state;
    const remove = event.target.closest('[data-remove]');
    const adding = SECTIONS.find((section) => section.list?.addButton === event.target.id);
    const action = SECTIONS.find((section) => Object.hasOwn(section.actions ?? {}, event.target.id))
      ?.actions[event.target.id];
    let focus = null;
    if (remove) {
      listSection(remove.closest('.list').id)
        .list.entries(program)
        .splice(Number(remove.dataset.remove), 1);
      // No promotions is the default: the key leaves rather than staying as an empty list.
      if (program.promotions?.length === 0) delete program.promotions;
    } else if (adding) {
      adding.list.add(program);
    } else if (action) {
      focus = action(state);
    } else {
      return;
    }
    render(program, true);
    onEdit(program);
    // The button pressed may be hidden now: the keyboard goes on from where the change is, a
    // new value selected so that typing replaces it.
    if (focus) {
      state.$(focus).focus();
      if (state.$(focus).matches('input')) state.$(focus).select();
    }
  });

  return { render };
}
