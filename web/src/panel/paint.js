// Draws the controller's state into the panel: all at once (an open panel), or one piece per
// task in the background (a closed one), keeping scroll position and focus across redraws.
import { directionFor, shownLanguage } from '../i18n.js';
import { h } from './dom.js';
import { renderHeader, renderNotices } from './header.js';
import { renderFriend } from './sections/friend.js';
import { renderGuest, SECTION_RENDERERS } from './sections/index.js';
import { SECTIONS } from '../section-names.js';
import { firstLoadBody, statusNotice } from './status.js';
import { yieldToMain } from './tasks.js';

/** Header and status notice, pinned together at the top of the panel's scroll area. */
const pinnedTop = (header, notice) => h('div', { class: 'top', 'data-top': '' }, header, notice);

/**
 * The panel's content as a list of builders (header, notices, nav, one per section), so that
 * paint() can run them at once and paintInSteps() one task each. `ui` holds the handlers and
 * the per-reward state the sections draw.
 */
function contentBuilders(state, fmt, ui) {
  const { view } = state;
  if (!view) {
    return [
      () => pinnedTop(renderHeader({ state: 'loading' }, fmt, ui), statusNotice(state, fmt, ui)),
      () => firstLoadBody(state, fmt, ui),
    ];
  }
  const member = view.state === 'member';
  const sections = []; // [name, node] of the sections with content, for the nav
  const steps = [
    () => pinnedTop(renderHeader(view, fmt, ui), statusNotice(state, fmt, ui)),
    () => renderNotices(view, fmt),
    () => renderFriend(view, fmt, ui), // a visitor through a referral link: greeted first
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

/** Still loading the first view: nothing to show but the skeleton. */
export const isBusy = (state) => !state.view && !state.failure;

/** The painter of one panel node inside `shadowRoot`. */
export function createPainter({ panel, shadowRoot, host }) {
  let job = 0; // bumped by every paint; a stepped paint that sees it move gives up

  /** Language and direction of the panel for `locale`. */
  function setLanguage(locale) {
    panel.lang = shownLanguage(locale);
    panel.dir = directionFor(locale); // the catalog's direction, after any fallback
  }

  /**
   * Puts built content in the panel, keeping its scroll position and the focused control (by
   * its data-key; a focused text field is kept as it is, so typing and caret survive).
   */
  function commit(children, { locale, keepFocus, busy }) {
    const active = shadowRoot.activeElement;
    const focusKey = active?.closest?.('[data-key]')?.getAttribute('data-key');
    // Focus inside the panel must survive the redraw, or Escape and Tab stop working.
    const focusWasInside = Boolean(active) && panel.contains(active) && active !== panel;
    const scrollTop = panel.scrollTop;
    setLanguage(locale);
    // Still loading its first view: assistive technology waits for it (the skeleton says so).
    if (busy) panel.setAttribute('aria-busy', 'true');
    else panel.removeAttribute('aria-busy');
    const nodes = children.flat(Infinity).filter(Boolean);
    // A field being typed in stays the same node: its value, caret and input method survive.
    if (focusWasInside && active.tagName === 'INPUT' && focusKey) {
      const selector = `[data-key="${CSS.escape(focusKey)}"]`;
      for (const node of nodes) {
        const twin = node.matches?.(selector) ? node : node.querySelector?.(selector);
        if (twin) {
          twin.replaceWith(active);
          break;
        }
      }
    }
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
      commit(built, { locale, keepFocus: state.isOpen, busy: isBusy(state) });
    },
    /**
     * Draws one builder per task, then puts the content in at once: the closed panel is neither
     * styled nor laid out (content-visibility: hidden), so inserting it is cheap even on a slow
     * phone. Resolves true once drawn, false when another paint started meanwhile.
     */
    async paintInSteps(state, { fmt, ui, locale }) {
      const mine = ++job;
      const children = [];
      for (const build of contentBuilders(state, fmt, ui)) {
        await yieldToMain();
        if (mine !== job) return false;
        children.push(build());
      }
      await yieldToMain();
      if (mine !== job) return false;
      commit(children, { locale, keepFocus: state.isOpen, busy: isBusy(state) });
      return true;
    },
  };
}
