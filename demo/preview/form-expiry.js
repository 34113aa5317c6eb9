// The Expiry fieldset: never, after inactivity, or a period after earning, and the warning.
import { element, numberOrNull, setIfIdle } from './form-fields.js';

/** Per expiry mode, the periods it counts in: value → [option label, amount label]. */
const EXPIRY_PERIODS = {
  inactivity: { days: ['Days', 'After (days)'], months: ['Months', 'After (months)'] },
  lots: {
    month: ['Months', 'Months after the month earned'],
    quarter: ['Quarters', 'Quarters after the quarter earned'],
    year: ['Years', 'Years after the year earned'],
  },
};

/** The period the expiry counts in, or null when it has none. */
function expiryUnit(expiry) {
  if (expiry.mode === 'lots') return expiry.period ?? 'month';
  if (expiry.mode === 'inactivity') return expiry.months !== undefined ? 'months' : 'days';
  return null;
}

/** The document key of the expiry's amount: days, months or periods. */
function expiryAmountKey(expiry) {
  const unit = expiryUnit(expiry);
  if (unit === 'quarter' || unit === 'year') return 'periods';
  return unit === 'days' ? 'days' : 'months';
}

export const expirySection = {
  render({ program, $ }) {
    const expiry = program.expiry ?? { mode: 'none' };
    const unit = expiryUnit(expiry);
    setIfIdle($('expiry-mode'), expiry.mode ?? 'none');
    $('expiry-amount-label').hidden = !unit;
    $('expiry-period-label').hidden = !unit;
    $('expiry-activity-label').hidden = expiry.mode !== 'inactivity';
    if (unit) {
      const periods = EXPIRY_PERIODS[expiry.mode];
      if ($('expiry-period').dataset.mode !== expiry.mode) {
        $('expiry-period').replaceChildren(
          ...Object.entries(periods).map(([value, [label]]) => element('option', { value }, label)),
        );
        $('expiry-period').dataset.mode = expiry.mode;
      }
      setIfIdle($('expiry-period'), unit);
      $('expiry-unit').textContent = periods[unit][1];
      $('expiry-amount').min = unit === 'quarter' || unit === 'year' ? 0 : 1;
      $('expiry-amount').dataset.path = `/expiry/${expiryAmountKey(expiry)}`;
      setIfIdle($('expiry-amount'), expiry[expiryAmountKey(expiry)] ?? '');
      setIfIdle($('expiry-activity'), expiry.activity ?? 'any');
    }
    setIfIdle($('expiry-warning'), expiry.warningDays ?? '');
  },

  apply({ program }, target) {
    const value = target.value;
    switch (target.id) {
      case 'expiry-mode':
        program.expiry =
          value === 'none'
            ? { mode: 'none' }
            : value === 'lots'
              ? { mode: 'lots', months: 12, warningDays: program.expiry?.warningDays ?? 30 }
              : { mode: 'inactivity', days: 365, warningDays: program.expiry?.warningDays ?? 30 };
        return true;
      case 'expiry-amount':
        program.expiry[expiryAmountKey(program.expiry)] = numberOrNull(value);
        return true;
      case 'expiry-period': {
        const { mode, warningDays, activity } = program.expiry;
        const defaults = {
          days: { days: 365 },
          months: { months: 12 },
          month: { months: 12 },
          quarter: { period: 'quarter', periods: 1 },
          year: { period: 'year', periods: 1 },
        };
        program.expiry = { mode, ...defaults[value], activity, warningDays };
        for (const key of ['activity', 'warningDays'])
          if (program.expiry[key] === undefined) delete program.expiry[key];
        return true;
      }
      case 'expiry-activity':
        if (value === 'any') delete program.expiry.activity;
        else program.expiry.activity = value;
        return true;
      case 'expiry-warning':
        program.expiry ??= { mode: 'none' };
        if (value === '') delete program.expiry.warningDays;
        else program.expiry.warningDays = numberOrNull(value);
        return true;
      default:
        return undefined;
    }
  },
};
