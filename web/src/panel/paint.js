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

/** The sections `view` has content for, in SECTIONS order. */
function shownSections(view) {
  const member = view.state === 'member';
  return SECTIONS.filter((name) => {
    const { shows, membersOnly } = SECTION_RENDERERS[name];
    return !(membersOnly && !member) && shows(view);
  });
}

/** The section nodes of `names` (a renderer with nothing to draw gives none). */
const renderSections = (names, view, fmt, ui) =>
  names.map((name) => SECTION_RENDERERS[name].render(view, fmt, ui)).filter(Boolean);

/**
 * The panel's content as a list of builders (header, notices, nav, one per section), so that
 * paint() can run them at once and paintInSteps() one task each. `ui` holds the handlers and
 * the per-reward state the sections draw. With `sectionLimit`, only that many sections are
 * built; `rest` names the others, for completeSections().
 */
function contentBuilders(state, fmt, ui, sectionLimit = Infinity) {
  const { view } = state;
  if (!view) {
    return {
      steps: [
        () => pinnedTop(renderHeader({ state: 'loading' }, fmt, ui), statusNotice(state, fmt, ui)),
        () => firstLoadBody(state, fmt, ui),
      ],
      rest: [],
    };
  }
  const member = view.state === 'member';
  const shown = shownSections(view);
  const built = shown.slice(0, sectionLimit);
  const nodes = []; // the built sections, in order
  const steps = [
    () => pinnedTop(renderHeader(view, fmt, ui), statusNotice(state, fmt, ui)),
    () => renderNotices(view, fmt),
    () => renderFriend(view, fmt, ui), // a visitor through a referral link: greeted first
  ];
  // Each section is its own step; the nav and the sections are placed after all are built.
  for (const name of built) {
    steps.push(() => {
      nodes.push(...renderSections([name], view, fmt, ui));
      return null;
    });
  }
  steps.push(() => [
    h(
      'nav',
      { 'aria-label': fmt.t('panel.sections'), part: 'nav' },
      shown.map((name) =>
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
    ...nodes,
  ]);
  return { steps, rest: shown.slice(built.length) };
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

  // The sections a closed panel's drawing left out: {names, view, fmt, ui}, or null.
  let missing = null;

  return {
    /** Draws now (an open panel, or a handler that focuses what it drew). */
    paint(state, { fmt, ui, locale }) {
      job += 1;
      missing = null;
      const built = contentBuilders(state, fmt, ui).steps.map((build) => build());
      commit(built, { locale, keepFocus: state.isOpen, busy: isBusy(state) });
    },
    /**
     * Draws a closed panel one builder per task, then puts the content in at once: the closed
     * panel is neither styled nor laid out (content-visibility: hidden), so inserting it is
     * cheap even on a slow phone. Only the first section is built: the others wait for
     * completeSections() (on opening), so a shopper who never opens the panel pays for no more
     * than its first screen. Resolves true once drawn, false when another paint started
     * meanwhile.
     */
    async paintInSteps(state, { fmt, ui, locale }) {
      const mine = ++job;
      const children = [];
      const { steps, rest } = contentBuilders(state, fmt, ui, 1);
      for (const build of steps) {
        await yieldToMain();
        if (mine !== job) return false;
        children.push(build());
      }
      await yieldToMain();
      if (mine !== job) return false;
      commit(children, { locale, keepFocus: state.isOpen, busy: isBusy(state) });
      missing = rest.length ? { names: rest, view: state.view, fmt, ui } : null;
      return true;
    },
    /** Adds the sections paintInSteps() left out, after the ones drawn. */
    completeSections() {
      if (!missing) return;
      const { names, view, fmt, ui } = missing;
      missing = null;
      panel.append(...renderSections(names, view, fmt, ui));
    },
  };
}
