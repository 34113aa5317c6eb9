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

/** The most a flexible reward can take now: its cap, within what the shopper can afford. */
function mostPoints(step) {
  const affordable = step.maxAffordablePoints ?? step.maxPoints;
  return step.maxPoints > 0 ? Math.min(step.maxPoints, affordable) : affordable;
}

/** Fewer / the points / more, in the reward's steps; every change asks the core what it buys. */
function pointsStepper(reward, fmt, ui) {
  const step = reward.incremental;
  const { points } = ui.state.confirm;
  const most = mostPoints(step);
  const inputId = `loyalty-points-${reward.id}`;
  const stepButton = (delta, key, label, symbol, disabled) =>
    h(
      'button',
      {
        type: 'button',
        class: 'secondary step',
        'data-key': `${key}-${reward.id}`,
        'aria-label': fmt.t(label),
        'aria-controls': inputId,
        disabled,
        onclick: () => ui.setConfirmPoints(reward, points + delta),
      },
      symbol,
    );
  return h(
    'div',
    { class: 'stepper', part: 'points-stepper' },
    h('label', { for: inputId }, fmt.t('reward.choosePoints')),
    h(
      'div',
      { class: 'row' },
      stepButton(-step.pointsPerStep, 'fewer', 'reward.fewerPoints', '−', points <= step.minPoints),
      h('input', {
        id: inputId,
        type: 'number',
        inputmode: 'numeric',
        min: step.minPoints,
        max: most,
        step: step.pointsPerStep,
        value: points,
        'data-key': `points-${reward.id}`,
        oninput: (event) => ui.setConfirmPoints(reward, Number(event.target.value)),
      }),
      stepButton(step.pointsPerStep, 'more', 'reward.morePoints', '+', points >= most),
    ),
  );
}

/** "Spend 1,100 points for $11.00 off?": the value as the core decided it, when it could. */
function confirmText(reward, title, fmt, ui) {
  const { points, quote } = ui.state.confirm;
  const value = quote?.value;
  if (reward.incremental && value?.money > 0 && quote.refusal !== 'redeem.invalidPoints') {
    const key = `reward.confirmValue.${reward.type === 'store_credit' ? 'store_credit' : 'amount_off'}`;
    // The points the value was quoted for (the stepper may be one answer ahead).
    return fmt.t(key, { points: { points: quote.points ?? points }, amount: value });
  }
  return fmt.t('reward.confirm', { points: { points }, reward: { text: title } });
}

function confirmBox(reward, title, caps, fmt, ui) {
  const box = h('div', { class: 'confirm', part: 'confirm' });
  if (reward.incremental) box.append(pointsStepper(reward, fmt, ui));
  // The program's caps ("Points can pay up to 10% of an order"), as the core worded them.
  if (caps.length) {
    box.append(
      h(
        'ul',
        { class: 'caps muted', part: 'redeem-caps' },
        caps.map((cap) => h('li', null, fmt.message(cap))),
      ),
    );
  }
  box.append(
    // Read out as the shopper steps through the points.
    h(
      'p',
      { id: `loyalty-confirm-${reward.id}`, 'aria-live': 'polite', part: 'confirm-text' },
      confirmText(reward, title, fmt, ui),
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
        card.append(confirmBox(reward, title, view.redemptionCaps ?? [], fmt, ui));
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
