// The Earning fieldset's order rule and sign-up bonus: the fixed fields at its top, each bound to
// the one rule of its type in `earning`, wherever that rule stands in the list.
import {
  fallbackOf,
  numberOrNull,
  setIfIdle,
  setOrDefault,
  textOf,
  toMajor,
  toMinor,
  uniqueId,
} from './form-fields.js';

/** Every type of earning rule, with its label. */
export const RULE_TYPES = [
  ['order', 'Orders'],
  ['signup', 'Sign-up bonus'],
  ['birthday', 'Birthday'],
  ['review', 'Review'],
  ['social_follow', 'Social follow'],
  ['social_share', 'Social share'],
  ['referral', 'Referral'],
  ['custom', 'Custom'],
];

/** A rule as a merchant knows it: its name (else its type) and its id, "Birthday (bday)". */
export function ruleLabel(rule, language) {
  const name = textOf(rule.name, language) || fallbackOf(rule.name);
  const type = RULE_TYPES.find(([value]) => value === rule.type)?.[1] ?? rule.type;
  return `${name || type} (${rule.id})`;
}

export const orderRuleOf = (program) =>
  (program.earning ?? []).find((rule) => rule?.type === 'order');
export const signupRuleOf = (program) =>
  (program.earning ?? []).find((rule) => rule?.type === 'signup');

/** `id` unless a rule has it already, else the first free `id-N`. */
const freeId = (id, earning) =>
  earning.some((rule) => rule?.id === id) ? uniqueId(`${id}-`, earning) : id;

export const earningSection = {
  render({ program, $, digits }) {
    const earning = program.earning ?? [];
    const order = orderRuleOf(program);
    $('order-rule').hidden = !order;
    $('order-rule-missing').hidden = Boolean(order);
    const index = earning.indexOf(order);
    $('order-points').dataset.path = `/earning/${index}/points`;
    $('order-per').dataset.path = `/earning/${index}/per`;
    $('order-min').dataset.path = `/earning/${index}/minOrder`;
    $('order-currency').textContent = program.currency ?? '';
    setIfIdle($('order-points'), order?.points ?? '');
    setIfIdle($('order-per'), toMajor(order?.per, digits()));
    setIfIdle($('order-min'), toMajor(order?.minOrder ?? 0, digits()));
    $('order-rounding').dataset.path = `/earning/${index}/rounding`;
    $('order-refund-rounding').dataset.path = `/earning/${index}/refundRounding`;
    setIfIdle($('order-rounding'), order?.rounding ?? 'proportional');
    setIfIdle($('order-refund-rounding'), order?.refundRounding ?? 'taken_back');
    $('order-enabled').dataset.path = `/earning/${index}/enabled`;
    $('order-enabled').checked = order?.enabled !== false;
    const signup = signupRuleOf(program);
    $('signup-rule').hidden = !signup;
    $('signup-rule-missing').hidden = Boolean(signup);
    const signupIndex = earning.indexOf(signup);
    $('signup-points').dataset.path = `/earning/${signupIndex}/points`;
    setIfIdle($('signup-points'), signup?.points ?? '');
    $('signup-enabled').dataset.path = `/earning/${signupIndex}/enabled`;
    $('signup-enabled').checked = signup?.enabled !== false;
  },

  apply({ program, digits }, target) {
    const value = target.value;
    const order = orderRuleOf(program);
    const signup = signupRuleOf(program);
    switch (target.id) {
      case 'order-points':
        if (order) order.points = numberOrNull(value);
        return Boolean(order);
      case 'order-per':
        if (order) order.per = toMinor(value, digits());
        return Boolean(order);
      case 'order-min':
        if (!order) return false;
        if (Number(value) > 0) order.minOrder = toMinor(value, digits());
        else delete order.minOrder;
        return true;
      case 'order-rounding':
      case 'order-refund-rounding': {
        if (!order) return false;
        const [key, fallback] =
          target.id === 'order-rounding'
            ? ['rounding', 'proportional']
            : ['refundRounding', 'taken_back'];
        // The default stays implicit, so untouched programs keep their exact JSON.
        if (value === fallback) delete order[key];
        else order[key] = value;
        return true;
      }
      case 'order-enabled':
      case 'signup-enabled': {
        const rule = target.id === 'order-enabled' ? order : signup;
        if (rule) setOrDefault(rule, 'enabled', target.checked, true);
        return Boolean(rule);
      }
      case 'signup-points':
        if (signup) signup.points = numberOrNull(value);
        return Boolean(signup);
      default:
        return undefined;
    }
  },

  // Each returns the id of the field to focus once the form is drawn again.
  actions: {
    'add-order-rule'({ program, digits }) {
      program.earning ??= [];
      // After the sign-up bonus, where the sample programs have it.
      const after = program.earning.indexOf(signupRuleOf(program));
      // 1 point per one unit of the currency, as in "1 point per $1".
      const id = freeId('orders', program.earning);
      program.earning.splice(after + 1, 0, { id, type: 'order', points: 1, per: 10 ** digits() });
      return 'order-points';
    },
    'remove-order-rule'({ program }) {
      program.earning.splice(program.earning.indexOf(orderRuleOf(program)), 1);
      return 'add-order-rule';
    },
    'add-signup-rule'({ program }) {
      program.earning ??= [];
      const id = freeId('signup', program.earning);
      program.earning.unshift({ id, type: 'signup', points: 100 });
      return 'signup-points';
    },
    'remove-signup-rule'({ program }) {
      program.earning.splice(program.earning.indexOf(signupRuleOf(program)), 1);
      return 'add-signup-rule';
    },
  },
};
