// The Tiers fieldset: what tiers are measured by and over, entry points, and a row per level.
import {
  element,
  fallbackOf,
  labelled,
  multiplierField,
  numberOrNull,
  redrawList,
  removeButton,
  setIfIdle,
  textOf,
  toMajor,
  toMinor,
  uniqueId,
  withText,
} from './form-fields.js';

/** The program's tiers, made (with no levels) when it has none. */
function tiersOf(program) {
  program.tiers ??= { metric: 'points_earned', window: 'lifetime', levels: [] };
  return program.tiers;
}

function tierRow(level, index, metric, digits, language) {
  const money = metric === 'amount_spent';
  return element(
    'div',
    { class: 'item', 'data-index': index, 'data-path': `/tiers/levels/${index}` },
    labelled(
      'Name',
      element('input', {
        type: 'text',
        'data-field': 'name',
        'data-path': `/tiers/levels/${index}/name`,
        value: textOf(level.name, language),
        placeholder: fallbackOf(level.name),
      }),
    ),
    labelled(
      money ? 'From (amount)' : 'From',
      element('input', {
        type: 'number',
        min: 0,
        step: money ? 1 / 10 ** digits : 1,
        class: 'short',
        'data-field': 'threshold',
        'data-path': `/tiers/levels/${index}/threshold`,
        value: money ? toMajor(level.threshold, digits) : (level.threshold ?? ''),
      }),
    ),
    multiplierField(`/tiers/levels/${index}`, level.multiplier),
    removeButton(index, `Remove tier ${index + 1}`),
  );
}

export const tiersSection = {
  render({ program, language, $, digits }, force) {
    const tiers = program.tiers ?? { levels: [] };
    setIfIdle($('tier-metric'), tiers.metric ?? 'points_earned');
    setIfIdle($('tier-window'), tiers.window ?? 'lifetime');
    $('tier-spend-label').hidden = tiers.metric !== 'amount_spent';
    setIfIdle($('tier-spend'), tiers.spendBasis ?? 'earn_basis');
    setIfIdle($('tier-entry'), tiers.entryPointsRepeat ?? 'once');
    $('tier-take-back').checked = tiers.entryPointsTakeBack === true;
    redrawList($('tiers'), force, () =>
      (tiers.levels ?? []).map((level, i) => tierRow(level, i, tiers.metric, digits(), language)),
    );
  },

  apply({ program }, target) {
    const value = target.value;
    switch (target.id) {
      case 'tier-spend':
      case 'tier-entry':
      case 'tier-take-back': {
        const tiers = tiersOf(program);
        const [key, fallback, chosen] =
          target.id === 'tier-spend'
            ? ['spendBasis', 'earn_basis', value]
            : target.id === 'tier-entry'
              ? ['entryPointsRepeat', 'once', value]
              : ['entryPointsTakeBack', false, target.checked];
        // Defaults stay implicit, so untouched programs keep their exact JSON.
        if (chosen === fallback) delete tiers[key];
        else tiers[key] = chosen;
        return true;
      }
      case 'tier-metric':
      case 'tier-window': {
        const tiers = tiersOf(program);
        tiers[target.id === 'tier-metric' ? 'metric' : 'window'] = value;
        if (tiers.window === 'rolling') tiers.rollingDays ??= 365;
        else delete tiers.rollingDays;
        if (tiers.metric !== 'amount_spent') {
          delete tiers.spendBasis;
          delete tiers.spendNetOfRefunds;
        }
        return true;
      }
      default:
        return undefined;
    }
  },

  list: {
    id: 'tiers',
    entries: (program) => program.tiers?.levels,
    addButton: 'add-tier',
    add(program) {
      const tiers = tiersOf(program);
      const top = Math.max(-1, ...tiers.levels.map((level) => level.threshold ?? 0));
      tiers.levels.push({
        id: uniqueId('tier-', tiers.levels),
        name: 'New tier',
        threshold: top < 0 ? 0 : top + 1000,
      });
    },
    applyField({ program, language, digits }, index, field, target) {
      const level = program.tiers.levels[index];
      if (field === 'name') level.name = withText(level.name, target.value, language);
      else if (field === 'threshold')
        level.threshold =
          program.tiers.metric === 'amount_spent'
            ? toMinor(target.value, digits())
            : numberOrNull(target.value);
      else if (field === 'multiplier') level.multiplier = Number(target.value);
      return true;
    },
  },
};
