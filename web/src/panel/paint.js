// Draws the controller's state into the panel: all at once (an open panel), or one piece per
// task in the background (a closed one), keeping scroll position and focus across redraws.
import { directionFor } from '../i18n.js';
import { h } from './dom.js';
import { errorKey } from './errors.js';
import { renderHeader, renderNotices } from './header.js';
import { renderGuest, SECTION_RENDERERS } from './sections/index.js';
import { SECTIONS } from '../section-names.js';
import { yieldToMain } from './tasks.js';

function errorBlock(state, fmt) {
  const { failure, view } = state;
  return h(
    'div',
    { role: 'alert', part: 'error', class: 'error-block' },
    h('p', null, h('strong', null, view ? fmt.t('error.stale') : fmt.t('error.title'))),
    h('p', null, fmt.t(errorKey(failure.kind), { status: { number: failure.status ?? 0 } })),
    failure.details?.length
      ? h(
          'ul',
          { class: 'details' },
          failure.details.map((text) => h('li', null, text)),
        )
      : null,
  );
}

function retryButton(fmt, ui) {
  return h(
    'button',
    { type: 'button', part: 'retry', 'data-key': 'retry', onclick: ui.retry },
    fmt.t('error.retry'),
  );
}

/**
 * The panel's content as a list of builders (header, notices, nav, one per section), so that
 * paint() can run them at once and paintInSteps() one task each. `ui` holds the handlers and
 * the per-reward state the sections draw.
 */
function contentBuilders(state, fmt, ui) {
  const { view, failure } = state;
  if (!view) {
    return [
      () => renderHeader({ state: 'loading' }, fmt, ui),
      () =>
        failure
          ? h('section', { part: 'section error' }, errorBlock(state, fmt), retryButton(fmt, ui))
          : h('section', null, h('p', { role: 'status' }, fmt.t('panel.loading'))),
    ];
  }
  const member = view.state === 'member';
  const sections = []; // [name, node] of the sections with content, for the nav
  const steps = [
    () => renderHeader(view, fmt, ui),
    () =>
      failure
        ? h('div', { part: 'notice stale' }, errorBlock(state, fmt), retryButton(fmt, ui))
        : null,
    () => renderNotices(view, fmt),
  ];
  // Each section is its own step; the nav and the sections are placed after all are built.
  for (const name of SECTIONS) {
    const { render, membersOnly } = SECTION_RENDERERS[name];
    if (membersOnly && !member) continue;
    steps.push(() => {
      const node = render(view, fmt, ui);
      if (node) sections.push([name, node]);
      return null;
    });
  }
  steps.push(() => [
    h(
      'nav',
      { 'aria-label': fmt.t('panel.sections'), part: 'nav' },
      sections.map(([name]) =>
        h(
          'button',
          {
            type: 'button',
            'data-key': `nav-${name}`,
            'data-section': name,
            onclick: () => ui.showSection(name),
          },
          fmt.t(`section.${name}`),
        ),
      ),
    ),
    member ? null : renderGuest(view, fmt, ui),
    ...sections.map(([, node]) => node),
  ]);
  return steps;
}

/** The painter of one panel node inside `shadowRoot`. */
export function createPainter({ panel, shadowRoot, host }) {
  let job = 0; // bumped by every paint; a stepped paint that sees it move gives up

  /** Language and direction of the panel for `locale`. */
  function setLanguage(locale) {
    panel.lang = locale;
    // An explicit locale decides; otherwise the page's direction, then the language's.
    panel.dir =
      host.getAttribute('locale') || getComputedStyle(host).direction !== 'rtl'
        ? directionFor(locale)
        : 'rtl';
  }

  /**
   * Puts built content in the panel, keeping its scroll position and the focused control (by
   * its data-key; a focused text field is kept as it is, so typing and caret survive).
   */
  function commit(children, { locale, keepFocus }) {
    const active = shadowRoot.activeElement;
    const focusKey = active?.closest?.('[data-key]')?.getAttribute('data-key');
    // Focus inside the panel must survive the redraw, or Escape and Tab stop working.
    const focusWasInside = Boolean(active) && panel.contains(active) && active !== panel;
    const scrollTop = panel.scrollTop;
    setLanguage(locale);
    const nodes = children.flat(Infinity).filter(Boolean);
    panel.replaceChildren(...nodes);
    panel.scrollTop = scrollTop;
    if (focusWasInside && keepFocus) {
      const again = focusKey && panel.querySelector(`[data-key="${CSS.escape(focusKey)}"]`);
      (again || panel.querySelector('#loyalty-title'))?.focus({ preventScroll: true });
    }
  }

  return {
    /** Draws now (an open panel, or a handler that focuses what it drew). */
    paint(state, { fmt, ui, locale }) {
      job += 1;
      const built = contentBuilders(state, fmt, ui).map((build) => build());
      commit(built, { locale, keepFocus: state.isOpen });
    },
    /**
     * Draws one builder per task, then inserts a few nodes per task (one big insertion is a long
     * task on a slow phone). Resolves true once drawn, false when another paint started meanwhile.
     */
    async paintInSteps(state, { fmt, ui, locale }) {
      const mine = ++job;
      const children = [];
      for (const build of contentBuilders(state, fmt, ui)) {
        await yieldToMain();
        if (mine !== job) return false;
        children.push(build());
      }
      const [first, ...rest] = children.flat(Infinity).filter(Boolean);
      await yieldToMain();
      if (mine !== job) return false;
      const scrollTop = panel.scrollTop;
      commit([first], { locale, keepFocus: state.isOpen });
      for (const node of rest) {
        await yieldToMain();
        if (mine !== job) return false;
        panel.append(node);
      }
      panel.scrollTop = scrollTop;
      return true;
    },
  };
}
