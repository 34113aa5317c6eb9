// The Promotions fieldset: a row per promotion (when, how much, how it meets the tier bonus).
import {
  checkbox,
  element,
  labelled,
  multiplierField,
  numberOrNull,
  redrawList,
  removeButton,
  select,
  setOrDefault,
  uniqueId,
} from './form-fields.js';
import { ruleLabel } from './form-earning.js';

const combines = [
  ['add', 'Adds to the tier bonus'],
  ['multiply', 'Multiplies with the tier rate'],
  ['greater', 'Better of event and tier rate'],
];

/**
 * Which ways to earn the promotion applies to: a box per earning rule, none ticked for all. An id
 * no rule has (the core says so) gets a box of its own, ticked, so it can be cleared.
 */
function rulesField(promotion, path, earning, language) {
  const chosen = Array.isArray(promotion.rules) ? promotion.rules : [];
  const rules = earning.filter((rule) => typeof rule?.id === 'string');
  const unknown = chosen.filter((id) => !rules.some((rule) => rule.id === id));
  const box = (id, label) =>
    checkbox(label, { 'data-field': 'rules', 'data-rule': id }, chosen.includes(id));
  return element(
    'fieldset',
    { class: 'choices', 'data-path': `${path}/rules` },
    element('legend', {}, 'Only on (none ticked: every way to earn)'),
    element(
      'div',
      { class: 'checks' },
      ...rules.map((rule) => box(rule.id, ruleLabel(rule, language))),
      ...unknown.map((id) => box(id, `${id} (no such way to earn)`)),
    ),
  );
}

function promotionRow(promotion, index, earning, language) {
  const path = `/promotions/${index}`;
  const instant = (label, key) =>
    labelled(
      label,
      element('input', {
        type: 'text',
        class: 'instant',
        spellcheck: 'false',
        'aria-describedby': 'promotions-hint',
        'data-field': key,
        'data-path': `${path}/${key}`,
        value: promotion[key] ?? '',
        placeholder: '2026-11-27T00:00:00-05:00',
      }),
    );
  return element(
    'div',
    { class: 'item', 'data-index': index, 'data-path': path },
    instant('Starts', 'starts'),
    instant('Ends', 'ends'),
    multiplierField(path, promotion.multiplier),
    labelled(
      'With tier bonuses',
      select(combines, promotion.combine ?? 'add', {
        'data-field': 'combine',
        'data-path': `${path}/combine`,
      }),
    ),
    labelled(
      'Bonus points',
      element('input', {
        type: 'number',
        min: 0,
        step: 1,
        class: 'short',
        'data-field': 'bonusPoints',
        'data-path': `${path}/bonusPoints`,
        value: promotion.bonusPoints ?? 0,
      }),
    ),
    removeButton(index, `Remove promotion “${promotion.id}”`),
    rulesField(promotion, path, earning, language),
  );
}

/** `epochMs` down to the hour in `offset` ("-05:00"), as an RFC 3339 instant (Z with none). */
function hourInstant(epochMs, offset) {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(offset ?? '');
  const minutes = match
    ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]))
    : 0;
  const hour = 3600000;
  const local = new Date(Math.floor((epochMs + minutes * 60000) / hour) * hour);
  return `${local.toISOString().slice(0, 13)}:00:00${match ? offset : 'Z'}`;
}

export const promotionsSection = {
  render({ program, language, $ }, force) {
    const earning = Array.isArray(program.earning) ? program.earning : [];
    redrawList($('promotions'), force, () =>
      (program.promotions ?? []).flatMap((promotion, i) =>
        promotion && typeof promotion === 'object'
          ? [promotionRow(promotion, i, earning, language)]
          : [],
      ),
    );
  },

  list: {
    id: 'promotions',
    entries: (program) => program.promotions,
    addButton: 'add-promotion',
    add(program) {
      program.promotions ??= [];
      const starts = hourInstant(Date.now(), program.utcOffset);
      program.promotions.push({
        id: uniqueId('promotion-', program.promotions),
        name: 'New promotion',
        starts,
        ends: hourInstant(Date.parse(starts) + 7 * 24 * 3600000, program.utcOffset),
        multiplier: 2,
      });
    },
    applyField({ program }, index, field, target) {
      const promotion = program.promotions[index];
      const value = target.value;
      // The core reads the instants, offset and all; the form passes them on as typed.
      if (field === 'starts' || field === 'ends') promotion[field] = value;
      else if (field === 'multiplier')
        setOrDefault(promotion, 'multiplier', numberOrNull(value) ?? 1, 1);
      else if (field === 'combine') setOrDefault(promotion, 'combine', value, 'add');
      else if (field === 'bonusPoints')
        setOrDefault(promotion, 'bonusPoints', numberOrNull(value) ?? 0, 0);
      else if (field === 'rules') {
        // None ticked is the default, every way to earn: the key leaves.
        const ticked = [...target.closest('.choices').querySelectorAll('[data-rule]:checked')];
        const rules = ticked.map((box) => box.dataset.rule);
        if (rules.length) promotion.rules = rules;
        else delete promotion.rules;
      }
      return true;
    },
  },
};
