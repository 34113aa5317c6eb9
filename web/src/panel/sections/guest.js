// What a guest sees instead of the member sections: what joining gives, Join and Sign in.
import { h, safeUrl } from '../dom.js';

export function renderGuest(view, fmt, ui) {
  const join = view.join ?? {};
  const section = h(
    'section',
    {
      part: 'section guest',
      id: 'loyalty-section-guest',
      'aria-labelledby': 'loyalty-guest-title',
    },
    h(
      'h3',
      { id: 'loyalty-guest-title' },
      fmt.t('guest.title', { shop: { text: view.shop?.name ?? '' } }),
    ),
  );
  if (join.signupPoints > 0) {
    section.append(h('p', null, fmt.t('guest.welcome', { points: { points: join.signupPoints } })));
  }
  if (join.topReward) {
    section.append(h('p', null, fmt.t('guest.topReward', { reward: { message: join.topReward } })));
  }
  section.append(
    h(
      'p',
      { class: 'muted' },
      fmt.t('guest.summary', {
        rewards: { number: join.rewards ?? view.rewards?.length ?? 0 },
        ways: { number: join.waysToEarn ?? view.waysToEarn?.length ?? 0 },
      }),
    ),
  );
  const joinUrl = safeUrl(ui.joinUrl());
  const signInUrl = safeUrl(ui.signInUrl());
  section.append(
    h(
      'div',
      { class: 'actions' },
      joinUrl
        ? h(
            'a',
            { class: 'button', part: 'join', href: joinUrl, 'data-key': 'join' },
            fmt.t('guest.join'),
          )
        : null,
      signInUrl
        ? h(
            'a',
            { class: 'button secondary', part: 'sign-in', href: signInUrl, 'data-key': 'sign-in' },
            fmt.t('guest.signIn'),
          )
        : null,
    ),
  );
  return section;
}
