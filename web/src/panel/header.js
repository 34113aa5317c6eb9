// The top of the panel: the header (title, greeting, balance, progress to the next reward) and
// the notices under it (expiring points, promotions, what the cart earns).
import { progressBar } from './blocks.js';
import { h } from './dom.js';
import { icon } from './icons.js';

export function renderHeader(view, fmt, ui) {
  // A div, not <header>: inside a dialog it must not become a second banner landmark.
  const header = h(
    'div',
    { part: 'header' },
    h(
      'div',
      { class: 'title-row' },
      h('h2', { id: 'loyalty-title', tabindex: -1, 'data-key': 'title' }, fmt.t('panel.title')),
      h(
        'button',
        {
          type: 'button',
          part: 'close',
          'data-key': 'close',
          'aria-label': fmt.t('panel.close'),
          onclick: ui.close,
        },
        '×',
      ),
    ),
  );
  if (view.state !== 'member' || !view.balance) return header;
  if (view.customer?.firstName) {
    header.append(
      h('p', { class: 'greeting' }, fmt.t('greeting', { name: { text: view.customer.firstName } })),
    );
  }
  header.append(
    h('p', { class: 'muted balance-label' }, fmt.t('balance.label')),
    h('div', { class: 'balance', part: 'balance' }, fmt.points(view.balance.points)),
  );
  if (view.balance.pending > 0 && view.pending?.length) {
    header.append(
      h(
        'p',
        { class: 'muted', part: 'pending' },
        fmt.t('balance.pending', {
          points: { points: view.balance.pending },
          date: { date: view.pending[0].availableAt },
        }),
      ),
    );
  }
  if (view.balance.owed > 0) {
    header.append(h('p', null, fmt.t('balance.owed', { points: { points: view.balance.owed } })));
  }
  const next = view.nextReward;
  if (next) {
    const reward = fmt.message(next.title);
    header.append(
      progressBar({
        value: view.balance.points,
        max: next.cost,
        permille: next.progressPermille,
        label: fmt.t('progress.label', { reward: { text: reward } }),
        valueText: fmt.t('progress.toGo', {
          points: { points: next.pointsToGo },
          reward: { text: reward },
        }),
      }),
      h(
        'p',
        { part: 'next-reward' },
        fmt.t('progress.toGo', { points: { points: next.pointsToGo }, reward: { text: reward } }),
      ),
    );
  } else if (view.rewards?.length) {
    header.append(h('p', { part: 'next-reward' }, fmt.t('progress.all')));
  }
  return header;
}

export function renderNotices(view, fmt) {
  const nodes = [];
  if (view.expiring) {
    nodes.push(
      // A warning: icon and warning colours (panel.css), with how many points and when.
      h(
        'p',
        { part: 'notice expiring', class: 'warning' },
        icon('warning'),
        h(
          'span',
          null,
          fmt.t('expiring.notice', {
            points: { points: view.expiring.points },
            date: { date: view.expiring.at },
          }),
        ),
      ),
    );
  }
  // Running promotions first, then the ones announced ahead (the core drops ended ones).
  const promotions = view.promotions ?? [];
  for (const promotion of [
    ...promotions.filter((p) => p.active),
    ...promotions.filter((p) => !p.active),
  ]) {
    const parts = [];
    if (promotion.multiplierPermille > 1000) {
      parts.push(
        fmt.t('promo.multiplier', { number: { text: fmt.permille(promotion.multiplierPermille) } }),
      );
    }
    if (promotion.bonusPoints > 0) {
      parts.push(fmt.t('promo.bonus', { points: { points: promotion.bonusPoints } }));
    }
    nodes.push(
      h(
        'div',
        {
          part: promotion.active ? 'promotion' : 'promotion upcoming',
          'data-promotion': promotion.id,
        },
        h('strong', null, promotion.name),
        parts.length ? h('p', null, parts.join(' · ')) : null,
        promotion.active
          ? promotion.endsAt &&
              h('p', { class: 'muted' }, fmt.t('promo.ends', { date: { date: promotion.endsAt } }))
          : h(
              'p',
              { class: 'muted' },
              fmt.t('promo.starts', { date: { date: promotion.startsAt } }),
            ),
      ),
    );
  }
  if (view.cartPreview?.refusal) {
    nodes.push(h('p', { part: 'notice cart' }, fmt.message(view.cartPreview.refusal)));
  } else if (view.cartPreview && view.cartPreview.points > 0) {
    nodes.push(
      h(
        'p',
        { part: 'notice cart' },
        fmt.t('cart.preview', { points: { points: view.cartPreview.points } }),
      ),
    );
  }
  return nodes;
}
