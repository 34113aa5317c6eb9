// The referral card: what the friend and the shopper get, the link, and share buttons.
import { sectionShell } from '../blocks.js';
import { h, safeUrl } from '../dom.js';
import { icon } from '../icons.js';

const CHANNEL_NAMES = {
  facebook: 'Facebook',
  messenger: 'Messenger',
  pinterest: 'Pinterest',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  linkedin: 'LinkedIn',
  sms: 'SMS',
};

export function renderReferral(view, fmt, ui) {
  // The core fills the friend's reward, worded here, into the message and share URLs
  // (load.js passes the words in as the context's friendRewardText).
  const referral = view.referral;
  if (!referral) return null;
  const section = sectionShell('referral', fmt);
  if (referral.friendReward) {
    section.append(
      h(
        'p',
        null,
        fmt.t('referral.friendGets', { reward: { text: fmt.message(referral.friendReward) } }),
      ),
    );
  }
  if (referral.advocateReward) section.append(h('p', null, fmt.message(referral.advocateReward)));
  section.append(
    h('p', { class: 'muted' }, fmt.t('referral.link')),
    h(
      'div',
      { class: 'row' },
      h('span', { class: 'link', part: 'referral-link' }, referral.link),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          part: 'copy',
          'data-key': 'copy-referral',
          onclick: () => ui.copy('referral', referral.link, 'referral.copied', 'copy'),
        },
        fmt.t('referral.copy'),
      ),
    ),
    h('p', { class: 'status', role: 'status' }, ui.state.copied.referral ?? ''),
  );
  const buttons = [];
  for (const share of referral.shares ?? []) {
    if (share.channel === 'copy') continue;
    if (share.channel === 'native') {
      if (typeof navigator.share !== 'function') continue;
      buttons.push(
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            part: 'share',
            'data-channel': 'native',
            'data-key': 'share-native',
            onclick: () => ui.shareNative(referral),
          },
          icon('native'),
          fmt.t('referral.shareNative'),
        ),
      );
      continue;
    }
    const url = safeUrl(share.url);
    if (!url) continue;
    const name =
      share.channel === 'email' || share.channel === 'x'
        ? fmt.t(`referral.channel.${share.channel}`)
        : (CHANNEL_NAMES[share.channel] ?? share.channel);
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          part: 'share',
          'data-channel': share.channel,
          'data-key': `share-${share.channel}`,
          'aria-label': fmt.t('referral.shareOn', { channel: { text: name } }),
          onclick: () => ui.share(share.channel, url),
        },
        icon(share.channel),
        name,
      ),
    );
  }
  if (buttons.length) section.append(h('div', { class: 'actions', part: 'shares' }, buttons));
  return section;
}
