// The Earning fieldset's order rule and sign-up bonus: the fixed fields at its top, each bound to
// the one rule of its type in `earning`, wherever that rule stands in the list.
import { fallbackOf, numberOrNull, setIfIdle, textOf, toMajor, toMinor } from './form-fields.js';

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

export const earningSection = {
  render({ program, $, digits }) {
    const order = orderRuleOf(program);
    $('order-rule').hidden = !order;
    $('order-rule-missing').hidden = Boolean(order);
    const index = (program.earning ?? []).indexOf(order);
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
    const signup = signupRuleOf(program);
    $('signup-points').dataset.path = `/earning/${(program.earning ?? []).indexOf(signup)}/points`;
    setIfIdle($('signup-points'), signup?.points ?? 0);
  },

  apply({ program, digits }, target) {
    const value = target.value;
    const order = orderRuleOf(program);
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
      case 'signup-points': {
        program.earning ??= [];
        let signup = signupRuleOf(program);
        if (!signup && Number(value) > 0)
          program.earning.unshift((signup = { id: 'signup', type: 'signup' }));
        if (signup && Number(value) > 0) signup.points = numberOrNull(value);
        else if (signup) program.earning.splice(program.earning.indexOf(signup), 1);
        return true;
      }
      default:
        return undefined;
    }
  },
};
