// Header, notices, VIP tier, activity and the guest call to action.
import { h, safeUrl } from './dom.js';

/** A progress bar with its aria values; `value` and `max` are in the same unit. */
export function progressBar({ value, max, permille, label, valueText, part = 'progress' }) {
  const bar = h('div', {
    part,
    class: 'meter',
    role: 'progressbar',
    'aria-valuemin': 0,
    'aria-valuemax': max,
    'aria-valuenow': Math.min(Math.max(value, 0), max),
    'aria-label': label,
    'aria-valuetext': valueText,
  });
  const fill = h('div', { class: 'fill' });
  fill.style.setProperty('--fill', `${Math.min(Math.max(permille, 0), 1000) / 10}%`);
  bar.append(fill);
  return bar;
}

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
    header.append(h('p', null, fmt.t('greeting', { name: { text: view.customer.firstName } })));
  }
  header.append(
    h('p', { class: 'muted' }, fmt.t('balance.label')),
    h('div', { class: 'balance', part: 'balance' }, fmt.points(view.balance.points)),
  );
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
      h(
        'p',
        { part: 'notice expiring' },
        fmt.t('expiring.notice', {
          points: { points: view.expiring.points },
          date: { date: view.expiring.at },
        }),
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

function metricAmount(metric, value, fmt) {
  if (metric === 'amount_spent') return { money: value };
  if (metric === 'orders') return { number: value };
  return { points: value };
}

export function renderTier(view, fmt) {
  const tier = view.tier;
  if (!tier) return null;
  const metric = ['points_earned', 'amount_spent', 'orders'].includes(tier.metric)
    ? tier.metric
    : 'points_earned';
  const section = h(
    'section',
    {
      part: 'section vip',
      id: 'loyalty-section-vip',
      tabindex: -1,
      'aria-labelledby': 'loyalty-vip-title',
    },
    h('h3', { id: 'loyalty-vip-title' }, fmt.t('section.vip')),
  );
  const card = h('div', { class: 'card', part: 'tier-card' });
  if (tier.current) {
    card.append(h('h4', null, fmt.t('tier.current', { tier: { text: tier.current.name } })));
    if (tier.current.multiplierPermille > 1000) {
      card.append(
        h(
          'p',
          null,
          fmt.t('tier.multiplier', {
            number: { text: fmt.permille(tier.current.multiplierPermille) },
          }),
        ),
      );
    }
    if (tier.current.perks?.length) {
      card.append(
        h('p', { class: 'muted' }, fmt.t('tier.perks')),
        h(
          'ul',
          { class: 'perks' },
          tier.current.perks.map((perk) => h('li', null, `• ${perk}`)),
        ),
      );
    }
  }
  if (tier.next) {
    const toGo = fmt.t(`tier.toGo.${metric}`, {
      amount: metricAmount(metric, tier.toGo, fmt),
      tier: { text: tier.next.name },
    });
    card.append(
      h('p', null, fmt.t('tier.next', { tier: { text: tier.next.name } })),
      progressBar({
        value: tier.progress,
        max: tier.next.threshold,
        permille: tier.progressPermille,
        label: fmt.t('tier.progressLabel', { tier: { text: tier.next.name } }),
        valueText: toGo,
        part: 'tier-progress',
      }),
      h('p', { part: 'tier-to-go' }, toGo),
    );
  } else if (tier.current) {
    card.append(h('p', null, fmt.t('tier.top')));
  }
  if (tier.retainedUntil) {
    card.append(
      h('p', { class: 'muted' }, fmt.t('tier.retained', { date: { date: tier.retainedUntil } })),
    );
  }
  if (tier.windowEnd) {
    card.append(
      h('p', { class: 'muted' }, fmt.t('tier.windowEnd', { date: { date: tier.windowEnd } })),
    );
  }
  section.append(card);
  if (tier.all?.length) {
    section.append(
      h('h4', null, fmt.t('tier.all')),
      h(
        'ul',
        { class: 'tier-list', part: 'tier-list' },
        tier.all.map((level) => {
          const isCurrent = level.id === tier.current?.id;
          const state = isCurrent ? 'current' : level.state === 'achieved' ? 'achieved' : 'locked';
          return h(
            'li',
            { 'aria-current': isCurrent ? 'true' : null, 'data-tier': level.id },
            h(
              'span',
              null,
              level.name,
              ' ',
              h(
                'span',
                { class: 'muted' },
                fmt.t(`tier.threshold.${metric}`, {
                  amount: metricAmount(metric, level.threshold, fmt),
                }),
              ),
            ),
            h('span', { class: 'muted' }, fmt.t(`tier.state.${state}`)),
          );
        }),
      ),
    );
  }
  return section;
}

export function renderActivity(view, fmt) {
  const section = h(
    'section',
    {
      part: 'section activity',
      id: 'loyalty-section-activity',
      tabindex: -1,
      'aria-labelledby': 'loyalty-activity-title',
    },
    h('h3', { id: 'loyalty-activity-title' }, fmt.t('section.activity')),
  );
  const entries = view.activity ?? [];
  if (!entries.length) {
    section.append(h('p', { class: 'muted' }, fmt.t('activity.empty')));
    return section;
  }
  section.append(
    h(
      'ul',
      { class: 'activity' },
      entries.map((entry) =>
        h(
          'li',
          { 'data-activity': entry.id },
          h(
            'span',
            null,
            fmt.message(entry.title),
            h('br'),
            h('span', { class: 'muted' }, fmt.date(entry.at)),
          ),
          entry.points
            ? h(
                'span',
                { class: entry.points > 0 ? 'plus' : 'minus' },
                `${entry.points > 0 ? '+' : '−'}${fmt.number(Math.abs(entry.points))}`,
              )
            : null,
        ),
      ),
    ),
  );
  return section;
}
