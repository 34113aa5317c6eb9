// The VIP section: the current tier, progress to the next, and every tier with its threshold.
import { progressBar } from '../blocks.js';
import { h } from '../dom.js';

// Level thresholds are bare counts in the metric's unit.
function metricAmount(metric, value) {
  if (metric === 'amount_spent') return { money: value };
  if (metric === 'orders') return { number: value };
  return { points: value };
}

// progress and toGo come typed like message parameters ({points}, {money, currency} or
// {number}); the bar's aria values only need the count.
const countOf = (amount) => amount?.points ?? amount?.money ?? amount?.number ?? 0;

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
    // The tier's own expiry ("Points never expire"), as the core worded it.
    if (tier.current.expiry) {
      card.append(h('p', { part: 'tier-expiry' }, fmt.message(tier.current.expiry)));
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
      amount: tier.toGo,
      tier: { text: tier.next.name },
    });
    card.append(
      h('p', null, fmt.t('tier.next', { tier: { text: tier.next.name } })),
      progressBar({
        value: countOf(tier.progress),
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
                  amount: metricAmount(metric, level.threshold),
                }),
              ),
              level.expiry
                ? h('span', { class: 'muted level-expiry' }, fmt.message(level.expiry))
                : null,
            ),
            h('span', { class: 'muted' }, fmt.t(`tier.state.${state}`)),
          );
        }),
      ),
    );
  }
  return section;
}
