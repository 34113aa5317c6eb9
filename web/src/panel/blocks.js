// Pieces several sections share: the section frame and the progress bar.
import { h } from './dom.js';

/** A <section> with its heading, focusable so open(section) can move focus to it. */
export function sectionShell(name, fmt) {
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
