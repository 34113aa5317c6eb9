// The referred friend's greeting: who sent them, what they get, and the email form that claims
// it (a coupon code from the backend, which runs the fraud checks).
import { h } from '../dom.js';

const EMAIL_FIELD = 'friend-email';

export function renderFriend(view, fmt, ui) {
  const offer = view.friendOffer;
  if (!offer) return null;
  const name = { text: offer.advocateFirstName };
  const section = h(
    'section',
    {
      part: 'section friend',
      id: 'loyalty-section-friend',
      tabindex: -1,
      'data-key': 'section-friend',
      'aria-labelledby': 'loyalty-friend-title',
    },
    h('h3', { id: 'loyalty-friend-title' }, fmt.t('friend.title', { name })),
    h(
      'p',
      { part: 'friend-reward', class: 'friend-reward' },
      fmt.t('friend.reward', { reward: { message: offer.reward } }),
    ),
    offer.minOrder
      ? h('p', { class: 'muted' }, fmt.t('reward.minOrder', { amount: offer.minOrder }))
      : null,
  );
  const { friend } = ui.state;
  const coupon = friend.coupon ?? ui.friendCoupon();
  if (friend.preview) {
    section.append(h('p', { role: 'status' }, fmt.t('friend.previewOnly')));
  } else if (coupon) {
    section.append(
      h(
        'div',
        { class: 'coupon', part: 'coupon' },
        h('p', { class: 'muted' }, fmt.t('reward.yourCode')),
        h(
          'div',
          { class: 'row' },
          h('span', { class: 'code', part: 'coupon-code' }, coupon.code),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              part: 'copy',
              'data-key': 'copy-friend',
              onclick: () => ui.copy('friend', coupon.code, 'reward.copied'),
            },
            fmt.t('reward.copy'),
          ),
        ),
        h('p', null, fmt.t('friend.useAtCheckout')),
        h('p', { class: 'status', role: 'status' }, ui.state.copied.friend ?? ''),
      ),
    );
  } else {
    const errorId = 'loyalty-friend-error';
    const field = h('input', {
      type: 'email',
      id: 'loyalty-friend-email',
      name: 'email',
      autocomplete: 'email',
      inputmode: 'email',
      maxlength: 254,
      required: true,
      value: friend.email ?? null, // what was typed survives a refusal's redraw
      'data-key': EMAIL_FIELD,
      'aria-invalid': friend.error ? 'true' : null,
      'aria-describedby': friend.error ? errorId : null,
    });
    section.append(
      h(
        'form',
        {
          class: 'friend-form',
          part: 'friend-form',
          novalidate: true, // our own message, in the shopper's language, not the browser's
          onsubmit: (event) => {
            event.preventDefault();
            ui.claimFriendReward(offer, field.value);
          },
        },
        h('label', { for: 'loyalty-friend-email' }, fmt.t('friend.email')),
        field,
        h(
          'button',
          {
            type: 'submit',
            part: 'friend-claim',
            'data-key': 'friend-claim',
            disabled: ui.state.busy === 'friend',
          },
          fmt.t('friend.claim'),
        ),
        friend.error ? h('p', { id: errorId, class: 'error', role: 'alert' }, friend.error) : null,
      ),
    );
  }
  return section;
}
