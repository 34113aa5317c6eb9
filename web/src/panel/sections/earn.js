// Ways to earn: what each action gives, when it can be done again, and a claim button.
import { sectionShell } from '../blocks.js';
import { h } from '../dom.js';

function earnStateText(way, fmt) {
  if (way.state === 'done') return fmt.t('rule.alreadyDone');
  if (way.state === 'limit_reached')
    return fmt.t('rule.limitReached', { date: { date: way.nextEligibleAt } });
  if (way.state === 'waiting' && way.nextEligibleAt) {
    return fmt.t('rule.waiting', { date: { date: way.nextEligibleAt } });
  }
  return '';
}

// Actions done elsewhere than in the panel, so no link or claim button can start them.
const HOW_TO = new Set(['review', 'birthday', 'referral']);

/** For an action with no link and no claim button: how to earn it, when the catalog says. */
function howToEarn(way, view, fmt) {
  if (way.url || way.state !== 'available' || !HOW_TO.has(way.type)) return '';
  if (way.claimable && view.state === 'member') return '';
  return fmt.t(`earn.how.${way.type}`);
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
    const howTo = howToEarn(way, view, fmt);
    if (howTo) card.append(h('p', { class: 'muted', part: 'how-to' }, howTo));
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
