// The panel controller: one state object, changed only through update(patch), which draws once
// per microtask. Loading lives in load.js, drawing in paint.js and the sections, the buttons'
// handlers in actions.js.
import panelCss from '../../styles/panel.css';
import { writeBadge } from '../badge-cache.js';
import { hasCatalog, loadCatalog } from '../i18n.js';
import { createActions } from './actions.js';
import { createCallout } from './callout.js';
import { deepActiveElement, dialogKeydown } from './dialog.js';
import { h } from './dom.js';
import { foldHeaderOnScroll } from './fold.js';
import { formatterFor } from './formatter.js';
import { createLoader, currentLocale } from './load.js';
import { createPainter, isBusy } from './paint.js';
import { afterNextFrame } from './tasks.js';

// The core's text API, for benchmarks and tools that run it beside the launcher.
export { loadCore } from '../core.js';

const mark = (name) => globalThis.performance?.mark?.(name);
const freshUi = () => ({
  confirm: null,
  busy: null,
  redeemed: {},
  errors: {},
  claims: {},
  copied: {},
  friend: {}, // the referred friend's claim: {coupon} | {preview} | {error}
});

function adoptPanelStyles(shadowRoot) {
  if (typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(panelCss);
    shadowRoot.adoptedStyleSheets = [...shadowRoot.adoptedStyleSheets, sheet];
  }
}

/** Called by <loyalty-launcher> once this module has loaded. */
export function createController(
  host,
  { shadowRoot, button, data, coreUrl, workerUrl, emit, renderButton },
) {
  adoptPanelStyles(shadowRoot);
  // While closed the panel is drawn and laid out but invisible (panel.css: [hidden] keeps its
  // box, visibility: hidden) and inert: hidden from assistive technology, out of the tab order,
  // deaf to clicks. Opening then only reveals it and moves focus.
  const panel = h('div', {
    part: 'panel',
    role: 'dialog',
    'aria-modal': 'true',
    'aria-labelledby': 'loyalty-title',
    hidden: true,
  });
  panel.inert = true;
  shadowRoot.append(panel);

  const state = {
    view: null, // the last good view
    failure: null, // {kind, status, code, details[]} of the last failed load or compute
    loading: true,
    retrying: false, // a slow load is still going on (load.js SLOW_LOAD_MS, or a retry)
    signedOut: false, // the shopper's token was refused: the guest view, nothing of theirs
    isOpen: false,
    pendingSection: null, // the section open() asked for before there was a view
    ui: freshUi(), // what the sections' buttons changed: confirm, busy, redeemed, ...
    destroyed: false,
  };
  let revision = 0; // bumped by every update; the panel shows `drawn`
  let drawn = -1;
  let scheduled = null; // the promise of the next flush, while one is queued
  let pendingFocus = null;
  let buttonView = null; // the view the button was last told about
  let ready = false;
  let returnFocusTo = null;
  let openings = 0; // bumped by every open(); a deferred focus of an older one does nothing

  const loader = createLoader({
    host,
    data,
    coreUrl: coreUrl ?? new URL('./loyalty-core.js', import.meta.url).href,
    workerUrl: workerUrl ?? new URL('./loyalty-core-worker.js', import.meta.url).href,
  });
  const painter = createPainter({ panel, shadowRoot, host });
  const callout = createCallout(shadowRoot, { open: (section) => open(section) });
  const localeNow = () => state.view?.locale ?? currentLocale(host, null);
  const formatter = () => formatterFor(state.view, localeNow());

  /** Runs a handler so that nothing it throws reaches the host page. */
  const guard =
    (fn) =>
    (...args) => {
      try {
        const result = fn(...args);
        if (result && typeof result.catch === 'function') result.catch(reportBug);
        return result;
      } catch (error) {
        reportBug(error);
        return undefined;
      }
    };
  function reportBug(error) {
    console.error('loyalty-launcher:', error);
    emit('loyalty:error', { kind: 'internal', message: String(error?.message ?? error) });
  }

  /**
   * Changes the state and draws it once, in a microtask, however many updates the task made.
   * `focus(panel)` returns what to focus once drawn. Resolves once drawn.
   */
  function update(patch = {}, { focus } = {}) {
    if ('view' in patch && patch.view === null && state.view) patch = { ...patch, ui: freshUi() };
    Object.assign(state, patch);
    revision += 1;
    if (focus) pendingFocus = focus;
    scheduled ??= Promise.resolve().then(() => {
      scheduled = null;
      return flush();
    });
    return scheduled;
  }

  /** Tells the button (label, badge, accent) about a changed view. */
  function syncButton() {
    const { view } = state;
    if (!view || view === buttonView) return;
    buttonView = view;
    const fmt = formatterFor(view);
    const info = {
      label:
        view.labels?.['launcher.label'] || view.branding?.launcherLabel || fmt.t('launcher.label'),
      balance: view.state === 'member' && view.balance ? fmt.points(view.balance.points) : '',
      position: view.branding?.position,
      accent: view.branding?.accent,
      locale: view.locale,
    };
    if (!loader.staticMode && !state.signedOut) writeBadge(host.customerId, info);
    renderButton(info);
  }

  /** The referred visitor's bubble by the button, while the panel is closed. */
  function syncCallout() {
    const claimed = Boolean(state.ui.friend.coupon ?? loader.friendCoupon);
    callout.render(state.view, formatter(), { isOpen: state.isOpen, claimed });
  }

  /** What the painter needs besides the state: formatter, handlers with the sections' state. */
  const paintWith = (locale) => ({
    fmt: formatter(),
    ui: { ...handlers, state: state.ui },
    locale,
  });

  /** Draws the current state: at once when open, else in background steps. */
  async function flush() {
    if (state.destroyed) return;
    const locale = localeNow();
    if (!hasCatalog(locale)) {
      await loadCatalog(locale);
      // The view's friend reward can be worded now.
      update(await loader.compute());
      return;
    }
    syncButton();
    syncCallout();
    if (drawn !== revision) {
      const target = revision;
      const how = paintWith(locale);
      if (state.isOpen) {
        painter.paint(state, how);
        drawn = target;
      } else if (isBusy(state)) {
        // The loading skeleton is for an open panel only: a closed one waits for the view
        // (or the failure), and open() draws the skeleton if it comes first.
      } else if (await painter.paintInSteps(state, how)) {
        drawn = target;
      }
    }
    if (state.isOpen && pendingFocus) pendingFocus(panel)?.focus?.();
    pendingFocus = null;
    if (state.isOpen && state.pendingSection && state.view) {
      showSection(state.pendingSection, true);
      state.pendingSection = null;
    }
  }

  function showSection(name, moveFocus) {
    painter.completeSections();
    const target = panel.querySelector(`#loyalty-section-${name}`);
    if (!target) return false;
    // Sections out of view are laid out only when near (content-visibility: auto), so the ones
    // above would be guesses: once the shopper jumps, every section is laid out for real.
    panel.setAttribute('data-laid-out', '');
    panel.removeAttribute('data-opening');
    const top = panel.querySelector('[data-top]'); // header and notice, pinned
    panel.scrollTop = Math.max(0, target.offsetTop - (top?.offsetHeight ?? 0));
    if (moveFocus) target.focus({ preventScroll: true });
    return true;
  }

  /** Reports a load's outcome once it is drawn: loyalty:error or (the first time) loyalty:ready. */
  function announce() {
    if (state.failure) {
      emit('loyalty:error', { ...state.failure });
    } else if (state.view && !ready) {
      ready = true;
      emit('loyalty:ready', { state: state.view.state });
    }
  }

  /** Loads everything again; shows cached data first when there is some. */
  async function refresh() {
    // Trying again without a view: the error gives way to the loading state until the answer.
    update(state.view ? { loading: true } : { loading: true, failure: null });
    const outcome = await loader.refresh((patch) => update(patch));
    if (!outcome) return; // overtaken by a newer load
    if (outcome.view) formatterFor(outcome.view).prepare(); // Intl objects: before the draw
    await update(outcome);
    if (!state.destroyed) announce();
  }

  /** A refused token during an action: the same signed-out state as at load. */
  async function signOut(failure) {
    const patch = await loader.signOut(failure);
    await update({ ...patch, ui: freshUi() });
    if (!state.destroyed) emit('loyalty:error', { ...failure });
  }

  const handlers = {
    ...createActions({ host, state: () => state, update, emit, guard, formatter, loader, signOut }),
    close: guard(() => close()),
    retry: guard(() => refresh()),
    showsDetails: () => loader.staticMode,
    showSection: guard((name) => showSection(name, true)),
  };

  panel.addEventListener('keydown', guard(dialogKeydown(panel, shadowRoot, () => close())));
  panel.addEventListener('scroll', guard(foldHeaderOnScroll(panel)), { passive: true });

  function open(section) {
    if (state.destroyed) return;
    if (!state.isOpen) {
      const active = deepActiveElement();
      returnFocusTo =
        active && active !== document.body && !panel.contains(active) ? active : button;
      state.isOpen = true;
      // Drawn while closed (paintInSteps): only a changed state draws again here.
      if (drawn !== revision) {
        painter.paint(state, paintWith(localeNow()));
        drawn = revision;
      }
      // The first frame lays out what shows at the top; the sections below wait a frame
      // (panel.css [data-opening]; a panel drawn while closed has only its first section
      // yet), so no single task on a slow phone does all of it.
      panel.setAttribute('data-opening', '');
      panel.inert = false;
      panel.hidden = false;
      button.setAttribute('aria-expanded', 'true');
      syncCallout();
      emit('loyalty:open', { section: section || null });
    }
    if (!(section && state.view && showSection(section, true))) {
      state.pendingSection = section || null;
      // Focus moves once the frame is drawn: a focus() now would force its layout in this task.
      const opened = ++openings;
      afterNextFrame(
        guard(() => {
          if (!state.isOpen || opened !== openings) return;
          painter.completeSections();
          if (!panel.contains(deepActiveElement())) {
            panel.querySelector('#loyalty-title')?.focus({ preventScroll: true });
          }
          panel.removeAttribute('data-opening');
        }),
      );
    }
    mark('loyalty:panel-rendered');
  }

  function close() {
    if (!state.isOpen) return;
    state.isOpen = false;
    panel.removeAttribute('data-opening');
    state.pendingSection = null;
    panel.hidden = true;
    panel.inert = true;
    button.setAttribute('aria-expanded', 'false');
    const target = returnFocusTo?.isConnected ? returnFocusTo : button;
    returnFocusTo = null;
    target.focus?.();
    emit('loyalty:close', {});
  }

  refresh().catch(reportBug);

  return {
    get isOpen() {
      return state.isOpen;
    },
    get view() {
      return state.view;
    },
    get loading() {
      return state.loading;
    },
    open: guard(open),
    close: guard(close),
    refresh: () => refresh().catch(reportBug),
    /** Attribute or property change: refetch when the backend settings changed, else recompute. */
    update: guard(async () => {
      if (loader.needsRefetch()) return refresh();
      if (!loader.core) return undefined;
      if (loader.hasStaticProgram() && !loader.staticMode) loader.forgetInputs();
      // Also for attributes the view does not depend on (join-url, position, ...).
      await update(await loader.compute());
      if (!ready && state.view && !state.failure && !state.destroyed) announce();
      return undefined;
    }),
    destroy() {
      state.destroyed = true;
      loader.destroy();
      callout.remove();
      panel.remove();
    },
  };
}
