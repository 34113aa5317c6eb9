// The Earning fieldset's "Ways to earn": a row for every earning rule besides the order rule and
// the sign-up bonus (form-earning.js), each at its index in `earning`.
import {
  checkbox,
  element,
  labelled,
  numberOrNull,
  redrawList,
  removeButton,
  select,
  setOrDefault,
  uniqueId,
} from './form-fields.js';
import { RULE_TYPES, orderRuleOf, signupRuleOf } from './form-earning.js';

// The order rule and the sign-up bonus have their own fields, one of each.
const ruleTypes = RULE_TYPES.filter(([type]) => type !== 'order' && type !== 'signup');

/**
 * The keys each way to earn has besides id, type, name, points and enabled, in the row's order
 * (the link last, so a narrow row wraps it rather than a select).
 */
const RULE_FIELDS = {
  birthday: ['waitDays', 'cooldownDays'],
  review: ['limit'],
  social_follow: ['platform', 'limit', 'url'],
  social_share: ['platform', 'limit', 'url'],
  referral: [],
  custom: ['limit', 'url'],
};

const NEW_RULE_NAME = 'New way to earn';

const ruleFields = (type) => (Object.hasOwn(RULE_FIELDS, type) ? RULE_FIELDS[type] : []);

const platforms = [
  ['facebook', 'Facebook'],
  ['instagram', 'Instagram'],
  ['x', 'X'],
  ['tiktok', 'TikTok'],
  ['pinterest', 'Pinterest'],
  ['youtube', 'YouTube'],
];

const limits = [
  ['once', 'Once'],
  ['per_day', 'Once a day'],
  ['per_week', 'Once a week'],
  ['per_month', 'Once a month'],
  ['per_year', 'Once a year'],
  ['unlimited', 'Every time'],
];

/** The input of one of a way to earn's own keys (RULE_FIELDS). */
function ruleField(rule, key, path) {
  const attrs = { 'data-field': key, 'data-path': `${path}/${key}` };
  switch (key) {
    case 'platform':
      return labelled('Platform', select(platforms, rule.platform, attrs));
    case 'limit':
      return labelled('How often', select(limits, rule.limit ?? 'once', attrs));
    case 'url':
      return labelled(
        'Link',
        element('input', { type: 'url', ...attrs, value: rule.url ?? '', placeholder: 'https://' }),
      );
    case 'waitDays':
      return labelled(
        'Wait after it is entered (days)',
        element('input', {
          type: 'number',
          min: 0,
          step: 1,
          class: 'short',
          ...attrs,
          value: rule.waitDays ?? 0,
        }),
      );
    default:
      // cooldownDays: without it, a birthday pays once per calendar year.
      return labelled(
        'Days between awards',
        element('input', {
          type: 'number',
          min: 1,
          step: 1,
          class: 'medium',
          ...attrs,
          value: rule.cooldownDays ?? '',
          placeholder: 'Once a year',
        }),
      );
  }
}

function ruleRow(rule, index) {
  const path = `/earning/${index}`;
  return element(
    'div',
    { class: 'item', 'data-index': index, 'data-path': path },
    labelled(
      'Type',
      select(ruleTypes, rule.type, { 'data-field': 'type', 'data-path': `${path}/type` }),
    ),
    labelled(
      'Points',
      element('input', {
        type: 'number',
        min: 1,
        step: 1,
        class: 'short',
        'data-field': 'points',
        'data-path': `${path}/points`,
        value: rule.points ?? '',
      }),
    ),
    ...ruleFields(rule.type).map((key) => ruleField(rule, key, path)),
    checkbox(
      'Enabled',
      { 'data-field': 'enabled', 'data-path': `${path}/enabled` },
      rule.enabled !== false,
    ),
    removeButton(index, `Remove way to earn “${rule.id}”`),
  );
}

/** The rule as `type`: keeps what both types read, and gives the new type what it requires. */
function retyped(rule, type) {
  const { id, name, points, enabled } = rule;
  const next = { id, type, name, points, enabled };
  for (const key of ruleFields(type)) next[key] = rule[key];
  // A custom rule is shown to shoppers by its name; a social one needs its platform. The
  // placeholder name goes with the custom type, so the new type keeps its own wording.
  if (type === 'custom') next.name ??= NEW_RULE_NAME;
  else if (next.name === NEW_RULE_NAME) delete next.name;
  if (ruleFields(type).includes('platform')) next.platform ??= 'facebook';
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return next;
}

export const waysToEarnSection = {
  render({ program, $ }, force) {
    const order = orderRuleOf(program);
    const signup = signupRuleOf(program);
    redrawList($('rules'), force, () =>
      (program.earning ?? []).flatMap((rule, i) =>
        rule && typeof rule === 'object' && rule !== order && rule !== signup
          ? [ruleRow(rule, i)]
          : [],
      ),
    );
  },

  list: {
    id: 'rules',
    entries: (program) => program.earning,
    addButton: 'add-rule',
    add(program) {
      program.earning ??= [];
      program.earning.push({ id: uniqueId('rule-', program.earning), type: 'review', points: 25 });
    },
    applyField({ program }, index, field, target) {
      const rule = program.earning[index];
      const value = target.value;
      if (field === 'type') {
        program.earning[index] = retyped(rule, value);
        return 'structure';
      }
      if (field === 'points') rule.points = numberOrNull(value);
      else if (field === 'enabled') setOrDefault(rule, 'enabled', target.checked, true);
      else if (field === 'platform') rule.platform = value;
      else if (field === 'url') setOrDefault(rule, 'url', value, '');
      else if (field === 'limit') setOrDefault(rule, 'limit', value, 'once');
      else if (field === 'waitDays') setOrDefault(rule, 'waitDays', numberOrNull(value) ?? 0, 0);
      // Empty means once per calendar year.
      else if (field === 'cooldownDays') setOrDefault(rule, 'cooldownDays', numberOrNull(value));
      return true;
    },
  },
};
