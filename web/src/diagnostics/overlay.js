// The diagnostics overlay: a small labelled region in its own shadow root at the top of the
// page, text only (findings are rendered as text nodes, never HTML), dismissible. It is for the
// theme developer who turned diagnostics on, so it is in English whatever the shop's language.
import { h } from '../panel/dom.js';

const CSS = `
:host { all: initial; }
section {
  position: fixed; inset-block-start: 8px; inset-inline-start: 8px; z-index: 2147483647;
  box-sizing: border-box; width: min(30rem, calc(100vw - 16px)); max-height: min(60vh, 32rem);
  overflow: auto; padding: 12px 14px; border: 2px solid #b3261e; border-radius: 10px;
  background: #ffffff; color: #1d1b22; box-shadow: 0 6px 24px rgb(0 0 0 / 0.3);
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
}
section.clear { border-color: #1b6e3a; }
h2 { margin: 0 0 4px; font-size: 15px; }
p { margin: 0 0 6px; }
ol { margin: 0 0 8px; padding-inline-start: 20px; }
li { margin-block-end: 8px; overflow-wrap: anywhere; }
li p { margin: 2px 0 0; }
.hint { color: #45424d; }
button {
  min-height: 44px; min-width: 44px; padding: 0 16px; border: 2px solid currentColor;
  border-radius: 8px; background: transparent; color: inherit; font: inherit; font-weight: 600;
  cursor: pointer;
}
button:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
@media (prefers-color-scheme: dark) {
  section { background: #1d1b22; color: #f1eff6; border-color: #ffb4ab; }
  section.clear { border-color: #7ddc9a; }
  .hint { color: #c4c0cf; }
}
@media (forced-colors: active) {
  section, section.clear { border-color: CanvasText; background: Canvas; color: CanvasText; }
}
`;

/**
 * Adds the overlay to the page and returns {show(findings, summary), remove()}. `onDismiss`
 * runs when the developer closes it (button or Escape).
 */
export function createOverlay(onDismiss) {
  const host = document.createElement('div');
  host.setAttribute('data-loyalty-diagnostics', '');
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];
  const summary = h('p', { role: 'status' });
  const list = h('ol');
  const dismiss = h(
    'button',
    { type: 'button', onclick: () => onDismiss() },
    'Dismiss diagnostics',
  );
  const region = h(
    'section',
    {
      role: 'region',
      'aria-labelledby': 'loyalty-diagnostics-title',
      lang: 'en',
      dir: 'ltr',
      onkeydown: (event) => event.key === 'Escape' && onDismiss(),
    },
    h('h2', { id: 'loyalty-diagnostics-title' }, 'Loyalty launcher diagnostics'),
    summary,
    list,
    dismiss,
  );
  root.append(region);
  (document.body ?? document.documentElement).append(host);

  return {
    host,
    /** Draws the findings (in the order found) and the one-line summary. */
    show(findings, summaryText) {
      region.classList.toggle('clear', findings.length === 0);
      summary.textContent = summaryText;
      list.hidden = findings.length === 0;
      list.replaceChildren(
        ...findings.map((finding) =>
          h(
            'li',
            { 'data-finding': finding.id },
            h('strong', null, finding.title),
            h('p', null, finding.detail),
            finding.hint ? h('p', { class: 'hint' }, finding.hint) : null,
          ),
        ),
      );
    },
    remove() {
      host.remove();
    },
  };
}
