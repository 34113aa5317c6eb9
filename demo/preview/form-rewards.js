// The Rewards fieldset: a row per reward (fixed cost or pay what you like) and the redemption
// caps under it.
import {
  element,
  fallbackOf,
  labelled,
  numberOrNull,
  redrawList,
  removeButton,
  select,
  setIfIdle,
  setOrDefault,
  textOf,
  toMajor,
  toMinor,
  uniqueId,
  withText,
} from './form-fields.js';

/** The redemption caps' inputs and their keys under `redemption`. */
const REDEMPTION_CAPS = new Map([
  ['cap-share', 'maxOrderPercent'],
  ['cap-per-order', 'maxPointsPerOrder'],
  ['cap-minimum', 'minPoints'],
]);

const rewardTypes = [
  ['amount_off', 'Amount off'],
  ['percent_off', 'Percent off'],
  ['free_shipping', 'Free shipping'],
  ['free_product', 'Free product'],
  ['store_credit', 'Store credit'],
];

// Only these reward types can be pay-what-you-like (`incremental`).
const FLEXIBLE_TYPES = new Set(['amount_off', 'store_credit']);

/** How each pay-what-you-like input writes `incremental` (money in major units). */
const INCREMENTAL_FIELDS = {
  pointsPerStep: (incremental, value) => {
    incremental.pointsPerStep = numberOrNull(value);
  },
  amountPerStep: (incremental, value, digits) => {
    incremental.amountPerStep = toMinor(value, digits);
  },
  // One step is the default minimum, and 0 (or none) the default maximum: no cap.
  minPoints: (incremental, value) =>
    setOrDefault(
      incremental,
      'minPoints',
      numberOrNull(value) ?? incremental.pointsPerStep,
      incremental.pointsPerStep,
    ),
  maxPoints: (incremental, value) =>
    setOrDefault(incremental, 'maxPoints', numberOrNull(value) ?? 0, 0),
};

const pricings = [
  ['fixed', 'Fixed cost'],
  ['flexible', 'Pay what you like'],
];

/** The reward row's "value" field depends on its type. */
function rewardValueField(reward, index, digits, language) {
  switch (reward.type) {
    case 'percent_off':
      return labelled(
        '% off',
        element('input', {
          type: 'number',
          min: 1,
          max: 100,
          step: 1,
          class: 'short',
          'data-field': 'percent',
          'data-path': `/rewards/${index}/percent`,
          value: reward.percent ?? '',
        }),
      );
    case 'free_product':
      return labelled(
        'Product',
        element('input', {
          type: 'text',
          'data-field': 'product',
          'data-path': `/rewards/${index}/product`,
          value: textOf(reward.product?.name, language),
          placeholder: fallbackOf(reward.product?.name),
        }),
      );
    case 'free_shipping':
      return element('span', { class: 'muted' }, 'No value needed');
    default:
      return labelled(
        'Amount',
        element('input', {
          type: 'number',
          min: 0,
          step: 1 / 10 ** digits,
          class: 'short',
          'data-field': 'amount',
          'data-path': `/rewards/${index}/amount`,
          value: toMajor(reward.amount, digits),
        }),
      );
  }
}

/** A pay-what-you-like reward's steps: points per step buy amount per step, within the bounds. */
function incrementalFields(incremental, index, digits) {
  const path = `/rewards/${index}/incremental`;
  const step = incremental.pointsPerStep;
  const number = (label, field, value, attrs = {}) =>
    labelled(
      label,
      element('input', {
        type: 'number',
        min: 1,
        step: 1,
        class: 'short',
        'data-field': field,
        'data-path': `${path}/${field}`,
        value,
        ...attrs,
      }),
    );
  return [
    number('Points per step', 'pointsPerStep', step ?? ''),
    number('Amount per step', 'amountPerStep', toMajor(incremental.amountPerStep, digits), {
      min: 0,
      step: 1 / 10 ** digits,
    }),
    // The minimum is one step unless set; no maximum (or 0) is no cap.
    number('Minimum points', 'minPoints', incremental.minPoints ?? step ?? '', { step }),
    number('Maximum points', 'maxPoints', incremental.maxPoints || '', {
      min: 0,
      step,
      placeholder: 'No cap',
    }),
  ];
}

function rewardRow(reward, index, digits, language) {
  const type = select(rewardTypes, reward.type, {
    'data-field': 'type',
    'data-path': `/rewards/${index}/type`,
  });
  const pricing = FLEXIBLE_TYPES.has(reward.type)
    ? labelled(
        'Pricing',
        select(pricings, reward.incremental ? 'flexible' : 'fixed', {
          'data-field': 'pricing',
          'data-path': `/rewards/${index}/incremental`,
        }),
      )
    : null;
  const cost =
    reward.incremental && typeof reward.incremental === 'object'
      ? incrementalFields(reward.incremental, index, digits)
      : [
          labelled(
            'Cost',
            element('input', {
              type: 'number',
              min: 1,
              step: 1,
              class: 'short',
              'data-field': 'cost',
              'data-path': `/rewards/${index}/cost`,
              value: reward.cost ?? '',
            }),
          ),
        ];
  return element(
    'div',
    { class: 'item', 'data-index': index, 'data-path': `/rewards/${index}` },
    labelled('Type', type),
    reward.incremental ? null : rewardValueField(reward, index, digits, language),
    pricing,
    ...cost,
    removeButton(index, `Remove reward ${index + 1}`),
  );
}

/** The reward as `type`, keeping its cost, options and (where it can) pay-what-you-like. */
function retyped(reward, type) {
  const { id, name, cost, incremental, tiers, minOrder, couponDays } = reward;
  // A pay-what-you-like reward stays one where it can; elsewhere it gets a fixed cost.
  const flexible = Boolean(incremental) && FLEXIBLE_TYPES.has(type);
  const fixedCost = cost ?? incremental?.minPoints ?? incremental?.pointsPerStep;
  const next = flexible
    ? { id, type, name, incremental, tiers, minOrder, couponDays }
    : { id, type, name, cost: fixedCost, tiers, minOrder, couponDays };
  if (type === 'percent_off') next.percent = 10;
  else if (type === 'free_product') next.product = { id: `sku-${id}`, name: 'Gift' };
  else if (type !== 'free_shipping' && !flexible) next.amount = 500;
  return next;
}

/** Switches a reward between a fixed cost and pay what you like. */
function repriced(reward, pricing, digits) {
  if (pricing === 'flexible') {
    delete reward.cost;
    delete reward.amount;
    // 100 points per one unit of the currency, until the merchant says otherwise.
    reward.incremental = { pointsPerStep: 100, amountPerStep: 10 ** digits };
  } else {
    const { pointsPerStep: step, amountPerStep, minPoints = step } = reward.incremental ?? {};
    delete reward.incremental;
    // Its smallest redemption becomes the fixed reward.
    reward.amount = (minPoints / step) * amountPerStep || 500;
    reward.cost = minPoints || 500;
  }
}

export const rewardsSection = {
  render({ program, language, $, digits }, force) {
    redrawList($('rewards'), force, () =>
      (program.rewards ?? []).map((reward, i) => rewardRow(reward, i, digits(), language)),
    );
    for (const [id, key] of REDEMPTION_CAPS) setIfIdle($(id), program.redemption?.[key] ?? '');
  },

  apply({ program }, target) {
    const key = REDEMPTION_CAPS.get(target.id);
    if (!key) return undefined;
    const value = target.value;
    program.redemption ??= {};
    // Empty means no cap: the key leaves the document, and the object when it is empty.
    if (value === '') delete program.redemption[key];
    else program.redemption[key] = numberOrNull(value);
    if (Object.keys(program.redemption).length === 0) delete program.redemption;
    return true;
  },

  list: {
    id: 'rewards',
    entries: (program) => program.rewards,
    addButton: 'add-reward',
    add(program) {
      program.rewards ??= [];
      const top = Math.max(0, ...program.rewards.map((reward) => reward.cost ?? 0));
      program.rewards.push({
        id: uniqueId('reward-', program.rewards),
        type: 'amount_off',
        amount: 1000,
        cost: top + 500,
      });
    },
    applyField({ program, language, digits }, index, field, target) {
      const reward = program.rewards[index];
      if (field === 'type') {
        program.rewards[index] = retyped(reward, target.value);
        return 'structure';
      }
      if (field === 'pricing') {
        repriced(reward, target.value, digits());
        return 'structure';
      }
      if (Object.hasOwn(INCREMENTAL_FIELDS, field) && reward.incremental) {
        INCREMENTAL_FIELDS[field](reward.incremental, target.value, digits());
        return true;
      }
      if (field === 'amount') reward.amount = toMinor(target.value, digits());
      else if (field === 'percent') reward.percent = numberOrNull(target.value);
      else if (field === 'cost') reward.cost = numberOrNull(target.value);
      else if (field === 'product')
        reward.product = {
          ...reward.product,
          name: withText(reward.product?.name, target.value, language),
        };
      return true;
    },
  },
};
