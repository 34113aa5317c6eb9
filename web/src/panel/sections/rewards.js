// The rewards section: each reward's cost and state, and the redeem flow (confirm, coupon).
import { progressBar, sectionShell } from '../blocks.js';
import { h } from '../dom.js';

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
