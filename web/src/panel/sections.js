// Rewards (with the redeem flow), ways to earn and referral sharing.
import { h, safeUrl } from './dom.js';
import { progressBar } from './summary.js';

function sectionShell(name, fmt) {
  return h(
    'section',
    {
      part: `section ${name}`,
      id: `loyalty-section-${name}`,
      tabindex: -1,
      'data-key': `section-${name}`,
      'aria-labelledby': `loyalty-${name}-title`,
    },
    h('h3', { id: `loyalty-${name}-title` }, fmt.t(`section.${name}`)),
  );
}

function costText(reward, fmt) {
  const step = reward.incremental;
  if (!step) return fmt.points(reward.cost);
  return fmt.t('reward.range', {
    min: { points: step.minPoints },
    max: { points: step.maxPoints },
    step: { points: step.pointsPerStep },
  });
}

function confirmBox(reward, title, fmt, ui) {
  const confirm = ui.state.confirm;
  const box = h('div', { class: 'confirm', part: 'confirm' });
  const step = reward.incremental;
  if (step) {
    const input = h('input', {
      type: 'number',
      inputmode: 'numeric',
      min: step.minPoints,
      max: Math.min(step.maxPoints, step.maxAffordablePoints ?? step.maxPoints),
      step: step.pointsPerStep,
      value: confirm.points,
      'data-key': `points-${reward.id}`,
      oninput: (event) => ui.setConfirmPoints(Number(event.target.value)),
    });
    box.append(h('label', null, fmt.t('reward.choosePoints'), input));
  }
  box.append(
    h(
      'p',
      { id: `loyalty-confirm-${reward.id}` },
      fmt.t('reward.confirm', { points: { points: confirm.points }, reward: { text: title } }),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          part: 'confirm-button',
          'data-key': `confirm-${reward.id}`,
          'aria-describedby': `loyalty-confirm-${reward.id}`,
          disabled: ui.state.busy === reward.id,
          onclick: () => ui.redeem(reward),
        },
        ui.state.busy === reward.id ? fmt.t('reward.working') : fmt.t('reward.confirmButton'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'data-key': `cancel-${reward.id}`,
          disabled: ui.state.busy === reward.id,
          onclick: ui.cancelConfirm,
        },
        fmt.t('reward.cancel'),
      ),
    ),
  );
  return box;
}

function couponBox(reward, redemption, fmt, ui) {
  const copyKey = `coupon-${reward.id}`;
  return h(
    'div',
    { class: 'coupon', part: 'coupon' },
    redemption.preview
      ? h('p', null, fmt.t('reward.previewOnly'))
      : [
          h('p', { class: 'muted' }, fmt.t('reward.yourCode')),
          h(
            'div',
            { class: 'row' },
            h('span', { class: 'code', part: 'coupon-code' }, redemption.code ?? ''),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                part: 'copy',
                'data-key': `copy-${reward.id}`,
                onclick: () => ui.copy(copyKey, redemption.code ?? '', 'reward.copied'),
              },
              fmt.t('reward.copy'),
            ),
          ),
          redemption.expiresAt
            ? h(
                'p',
                { class: 'muted' },
                fmt.t('reward.validUntil', { date: { date: redemption.expiresAt } }),
              )
            : null,
          h('p', { class: 'status', role: 'status' }, ui.state.copied[copyKey] ?? ''),
        ],
  );
}

export function renderRewards(view, fmt, ui) {
  const section = sectionShell('rewards', fmt);
  const list = h('ul', { class: 'rewards' });
  for (const reward of view.rewards ?? []) {
    const title = fmt.message(reward.title);
    const card = h(
      'li',
      { class: 'card', part: 'reward', 'data-reward': reward.id, 'data-state': reward.state },
      h(
        'div',
        { class: 'row' },
        h('h4', null, title),
        h('span', { class: 'muted' }, costText(reward, fmt)),
      ),
    );
    if (reward.incremental) {
      card.append(
        h(
          'p',
          { class: 'muted' },
          fmt.t('reward.incremental', {
            amount: reward.incremental.amountPerStep,
            points: { points: reward.incremental.pointsPerStep },
          }),
        ),
      );
    }
    if (reward.minOrder) {
      card.append(
        h('p', { class: 'muted' }, fmt.t('reward.minOrder', { amount: reward.minOrder })),
      );
    }
    const redemption = ui.state.redeemed[reward.id];
    if (reward.state === 'available') {
      if (ui.state.confirm?.rewardId === reward.id) {
        card.append(confirmBox(reward, title, fmt, ui));
      } else {
        card.append(
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                part: 'redeem',
                'data-key': `redeem-${reward.id}`,
                'aria-label': fmt.t('reward.redeemName', { reward: { text: title } }),
                onclick: () => ui.startConfirm(reward),
              },
              fmt.t('reward.redeem'),
            ),
          ),
        );
      }
    } else if (reward.state === 'insufficient') {
      const toGo = fmt.t('reward.state.insufficient', { points: { points: reward.pointsToGo } });
      card.append(
        progressBar({
          value: reward.cost - reward.pointsToGo,
          max: reward.cost,
          permille: reward.progressPermille,
          label: fmt.t('progress.label', { reward: { text: title } }),
          valueText: toGo,
          part: 'reward-progress',
        }),
        h('p', { class: 'muted' }, toGo),
      );
    } else if (reward.lockedReason) {
      card.append(h('p', { class: 'muted', part: 'locked' }, fmt.message(reward.lockedReason)));
    }
    if (redemption) card.append(couponBox(reward, redemption, fmt, ui));
    const error = ui.state.errors[reward.id];
    if (error) card.append(h('p', { role: 'alert', class: 'error' }, error));
    list.append(card);
  }
  section.append(list);
  return section;
}

function earnStateText(way, fmt) {
  if (way.state === 'done') return fmt.t('rule.alreadyDone');
  if (way.state === 'limit_reached')
    return fmt.t('rule.limitReached', { date: { date: way.nextEligibleAt } });
  if (way.state === 'waiting' && way.nextEligibleAt) {
    return fmt.t('rule.waiting', { date: { date: way.nextEligibleAt } });
  }
  return '';
}

export function renderEarn(view, fmt, ui) {
  const section = sectionShell('earn', fmt);
  const list = h('ul', { class: 'earn' });
  for (const way of view.waysToEarn ?? []) {
    const title = fmt.message(way.title);
    const card = h(
      'li',
      { class: 'card', part: 'way', 'data-rule': way.id, 'data-state': way.state },
      h(
        'div',
        { class: 'row' },
        h('h4', null, title),
        way.type === 'order' ? null : h('span', { class: 'plus' }, `+${fmt.points(way.points)}`),
      ),
    );
    if (way.multiplierPermille > 1000) {
      card.append(
        h(
          'p',
          { class: 'muted' },
          fmt.t('earn.multiplier', { number: { text: fmt.permille(way.multiplierPermille) } }),
        ),
      );
    }
    const stateText = earnStateText(way, fmt);
    if (stateText) card.append(h('p', { class: 'muted' }, stateText));
    if (way.claimable && way.state === 'available' && view.state === 'member') {
      card.append(
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              part: 'claim',
              'data-key': `claim-${way.id}`,
              'aria-label': fmt.t('earn.claimName', { rule: { text: title } }),
              disabled: ui.state.busy === way.id,
              onclick: () => ui.claim(way),
            },
            fmt.t('earn.claim'),
          ),
        ),
      );
    }
    const status = ui.state.claims[way.id];
    if (status) card.append(h('p', { role: 'status' }, status));
    const error = ui.state.errors[way.id];
    if (error) card.append(h('p', { role: 'alert', class: 'error' }, error));
    list.append(card);
  }
  section.append(list);
  return section;
}

const CHANNEL_NAMES = {
  facebook: 'Facebook',
  messenger: 'Messenger',
  pinterest: 'Pinterest',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  linkedin: 'LinkedIn',
  sms: 'SMS',
};

// The core leaves {friendReward} in the message (and %7BfriendReward%7D in share URLs) because
// only the web layer can word a reward in the shopper's language.
function withFriendReward(referral, fmt) {
  if (!referral.friendReward) return referral;
  const words = fmt.message(referral.friendReward);
  return {
    ...referral,
    message: (referral.message ?? '').replaceAll('{friendReward}', words),
    shares: (referral.shares ?? []).map((share) => ({
      ...share,
      url: share.url.replaceAll('%7BfriendReward%7D', encodeURIComponent(words)),
    })),
  };
}

export function renderReferral(view, fmt, ui) {
  if (!view.referral) return null;
  const referral = withFriendReward(view.referral, fmt);
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
        name,
      ),
    );
  }
  if (buttons.length) section.append(h('div', { class: 'actions', part: 'shares' }, buttons));
  return section;
}
