// The Referrals fieldset: what the advocate earns and what the friend gets.
import { numberOrNull, setIfIdle, toMajor, toMinor } from './form-fields.js';

export const referralSection = {
  render({ program, $, digits }) {
    setIfIdle($('referral-advocate'), program.referral?.advocate?.points ?? '');
    const friend = program.referral?.friend ?? {};
    const friendIsAmount = friend.type === 'amount_off';
    setIfIdle($('referral-friend-type'), friendIsAmount ? 'amount_off' : 'percent_off');
    $('referral-friend-unit').textContent = friendIsAmount
      ? `Amount (${program.currency ?? ''})`
      : '% off';
    $('referral-friend').dataset.path = `/referral/friend/${friendIsAmount ? 'amount' : 'percent'}`;
    setIfIdle(
      $('referral-friend'),
      friendIsAmount ? toMajor(friend.amount, digits()) : (friend.percent ?? ''),
    );
  },

  apply({ program, digits }, target) {
    const value = target.value;
    switch (target.id) {
      case 'referral-advocate':
        program.referral ??= {};
        program.referral.advocate = { points: numberOrNull(value) };
        return true;
      case 'referral-friend-type': {
        program.referral ??= {};
        const { minOrder } = program.referral.friend ?? {};
        program.referral.friend =
          value === 'amount_off'
            ? { type: value, amount: 500, minOrder }
            : { type: value, percent: 10, minOrder };
        return 'structure';
      }
      case 'referral-friend':
        program.referral ??= {};
        program.referral.friend ??= { type: 'percent_off' };
        if (program.referral.friend.type === 'amount_off') {
          program.referral.friend.amount = toMinor(value, digits());
        } else {
          program.referral.friend.percent = numberOrNull(value);
        }
        return true;
      default:
        return undefined;
    }
  },
};
