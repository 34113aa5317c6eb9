// The activity section: the shopper's recent points history.
import { h } from '../dom.js';

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
            entry.pendingUntil
              ? [
                  h('br'),
                  h(
                    'span',
                    { class: 'muted', part: 'activity-pending' },
                    fmt.t('activity.pendingUntil', { date: { date: entry.pendingUntil } }),
                  ),
                ]
              : null,
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
