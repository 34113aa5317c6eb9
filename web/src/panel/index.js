// The panel controller: gets the documents (backend or static), asks the wasm core for the
// view, renders it into the shadow root, and turns clicks into backend requests.
import panelCss from '../../styles/panel.css';
import { createBackend } from '../backend.js';
import { loadCore } from '../core.js';

// The core's text API, for benchmarks and tools that run it beside the launcher.
export { loadCore } from '../core.js';
import {
  chosenLocale,
  createFormatter,
  directionFor,
  hasCatalog,
  loadCatalog,
  shownLanguage,
} from '../i18n.js';
import { checkMapping, nestingProblem } from '../mapping.js';
import { createActions } from './actions.js';
import { deepActiveElement, dialogKeydown } from './dialog.js';
import { h } from './dom.js';
import { describe, errorKey } from './errors.js';
import { renderEarn, renderReferral, renderRewards } from './sections.js';
import { renderActivity, renderGuest, renderHeader, renderNotices, renderTier } from './summary.js';

const GUEST = { version: 1, id: 'guest', status: 'guest' };
const SECTION_ORDER = ['rewards', 'earn', 'referral', 'vip', 'activity'];
const BADGE_KEY = 'loyalty:v1:badge:';
/** RFC 3339 without milliseconds, in UTC. */
const nowInstant = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Ends the current task so input and frames get their turn: the idle-time load (panel code,
 * core, view, render) runs as several short tasks rather than one long one.
 */
const yieldToMain = () =>
  typeof globalThis.scheduler?.yield === 'function'
    ? globalThis.scheduler.yield()
    : new Promise((resolve) => setTimeout(resolve, 0));
const mark = (name) => globalThis.performance?.mark?.(name);

function adoptPanelStyles(shadowRoot) {
  if (typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(panelCss);
    shadowRoot.adoptedStyleSheets = [...shadowRoot.adoptedStyleSheets, sheet];
  }
}

/** Called by <loyalty-launcher> once this module has loaded. */
export function createController(host, { shadowRoot, button, data, coreUrl, emit, renderButton }) {
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

  const resolvedCoreUrl = coreUrl ?? new URL('./loyalty-core.js', import.meta.url).href;
  let core = null;
  let backend = null;
  let backendSignature = null;
  let docs = { program: null, customer: null };
  let view = null; // the last good view
  let failure = null; // {kind, status, code, details[]} of the last failed load or compute
  let loading = true;
  let generation = 0;
  let destroyed = false;
  let ready = false;
  let isOpen = false;
  let returnFocusTo = null;
  let pendingSection = null;
  let lastInputs = '';
  let staticMode = false;
  let buttonStale = false; // the view changed since the button was last told
  let rendered = null; // {view, failure} the panel's DOM shows; null = never drawn
  let renderJob = 0; // bumped by every render; a stepped render that sees it move gives up
  let formatter = { view: undefined, key: '', fmt: null };
  const ui = {
    state: { confirm: null, busy: null, redeemed: {}, errors: {}, claims: {}, copied: {} },
  };

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

  function readStatic(name) {
    let doc = data[name];
    if (!doc) {
      const script = host.querySelector(
        `:scope > script[type="application/json"][data-loyalty="${name}"]`,
      );
      if (!script) return null;
      try {
        doc = JSON.parse(script.textContent);
      } catch {
        return { error: `${name}: the <script data-loyalty="${name}"> is not valid JSON` };
      }
    }
    // Before JSON.stringify (recursive) meets it in compute().
    const tooDeep = nestingProblem(doc);
    if (tooDeep) return { error: `${name} ${tooDeep}`, kind: name };
    return { doc };
  }

  function currentLocale(context) {
    return chosenLocale(host, context?.locale);
  }

  /** The formatter for a view, made once per view and catalog (its Intl objects are costly). */
  function formatterFor(forView) {
    const locale = forView?.locale ?? currentLocale(null);
    const key = `${locale}\n${hasCatalog(locale)}`;
    if (formatter.view !== forView || formatter.key !== key) {
      const fmt = createFormatter({
        locale,
        currency: forView?.shop?.currency,
        currencyDigits: forView?.shop?.currencyDigits,
        points: forView?.points,
        labels: forView?.labels,
      });
      formatter = { view: forView, key, fmt };
    }
    return formatter.fmt;
  }

  /** Runs the core over the current documents; updates view or failure. */
  function compute() {
    if (!core) return;
    const program = readStatic('program');
    const customer = readStatic('customer');
    const context = readStatic('context');
    staticMode = Boolean(program);
    const staticError = [program, customer, context].find((entry) => entry?.error);
    if (staticError) {
      failure = { kind: staticError.kind ?? 'program', details: [staticError.error] };
      return;
    }
    const programDoc = program?.doc ?? docs.program;
    if (!programDoc) return;
    const customerDoc = staticMode ? (customer?.doc ?? GUEST) : (docs.customer ?? GUEST);
    const contextDoc = {
      version: 1,
      now: nowInstant(),
      pageUrl: location.href,
      ...(context?.doc ?? {}),
    };
    contextDoc.locale = currentLocale(context?.doc);
    const programText = JSON.stringify(programDoc);
    const customerText = JSON.stringify(customerDoc);
    const contextText = JSON.stringify(contextDoc);
    // `now` moves every second; the rest decides whether the view can change.
    const inputs = `${programText}\n${customerText}\n${contextText.replace(/"now":"[^"]*"/, '')}`;
    if (inputs === lastInputs && view) return;
    let result;
    try {
      result = JSON.parse(core.viewJson(programText, customerText, contextText));
    } catch (error) {
      failure = { kind: 'core', details: [String(error?.message ?? error)] };
      return;
    }
    if (result?.ok && result.view) {
      view = result.view;
      failure = null;
      lastInputs = inputs;
      if (!staticMode) {
        backend?.remember('program', docs.program);
        if (docs.customer) backend?.remember('customer', docs.customer);
      }
      buttonStale = true;
    } else {
      const errors = Array.isArray(result?.errors) ? result.errors : [];
      const source = errors[0]?.source;
      failure = {
        kind: ['program', 'customer', 'context'].includes(source) ? source : 'program',
        details: errors.slice(0, 6).map((error) => `${error.path || '/'}: ${error.message}`),
      };
      lastInputs = '';
    }
  }

  /** Tells the button (label, badge, accent) about a changed view. */
  function updateButton() {
    if (!buttonStale || !view) return;
    buttonStale = false;
    const fmt = formatterFor(view);
    const info = {
      label:
        view.labels?.['launcher.label'] || view.branding?.launcherLabel || fmt.t('launcher.label'),
      balance: view.state === 'member' && view.balance ? fmt.points(view.balance.points) : '',
      position: view.branding?.position,
      accent: view.branding?.accent,
      locale: view.locale,
    };
    if (!staticMode) {
      try {
        sessionStorage.setItem(BADGE_KEY + (host.customerId || 'guest'), JSON.stringify(info));
      } catch {
        /* storage blocked: the badge is only a speed-up */
      }
    }
    renderButton(info);
  }

  function errorBlock(fmt) {
    const key = errorKey(failure.kind);
    return h(
      'div',
      { role: 'alert', part: 'error', class: 'error-block' },
      h('p', null, h('strong', null, view ? fmt.t('error.stale') : fmt.t('error.title'))),
      h('p', null, fmt.t(key, { status: { number: failure.status ?? 0 } })),
      failure.details?.length
        ? h(
            'ul',
            { class: 'details' },
            failure.details.map((text) => h('li', null, text)),
          )
        : null,
    );
  }

  /**
   * The panel's content as a list of builders (header, notices, nav, one per section), so that
   * render() can run them at once and renderInSteps() one task each.
   */
  function contentBuilders(fmt) {
    if (!view) {
      return [
        () => renderHeader({ state: 'loading' }, fmt, ui),
        () =>
          failure
            ? h('section', { part: 'section error' }, errorBlock(fmt), retryButton(fmt))
            : h('section', null, h('p', { role: 'status' }, fmt.t('panel.loading'))),
      ];
    }
    const member = view.state === 'member';
    const builders = {
      rewards: () => renderRewards(view, fmt, ui),
      earn: () => renderEarn(view, fmt, ui),
      referral: member ? () => renderReferral(view, fmt, ui) : null,
      vip: member ? () => renderTier(view, fmt) : null,
      activity: member ? () => renderActivity(view, fmt) : null,
    };
    const sections = []; // [name, node] of the sections with content, for the nav
    const steps = [
      () => renderHeader(view, fmt, ui),
      () =>
        failure ? h('div', { part: 'notice stale' }, errorBlock(fmt), retryButton(fmt)) : null,
      () => renderNotices(view, fmt),
    ];
    // Each section is its own step; the nav and the sections are placed after all are built.
    for (const name of SECTION_ORDER) {
      if (!builders[name]) continue;
      steps.push(() => {
        const node = builders[name]();
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
              onclick: guard(() => showSection(name, true)),
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

  /**
   * Puts built content in the panel, keeping its scroll position and the focused control.
   * `complete` = false: more is appended later, so the panel does not count as drawn yet.
   */
  function commit(children, complete = true) {
    const active = shadowRoot.activeElement;
    const focusKey = active?.closest?.('[data-key]')?.getAttribute('data-key');
    // Focus inside the panel must survive the redraw, or Escape and Tab stop working.
    const focusWasInside = Boolean(active) && panel.contains(active) && active !== panel;
    const scrollTop = panel.scrollTop;
    const locale = view?.locale ?? currentLocale(null);
    panel.lang = shownLanguage(locale);
    panel.dir = directionFor(locale); // the catalog's direction, after any fallback
    panel.replaceChildren(...children.flat(Infinity).filter(Boolean));
    panel.scrollTop = scrollTop;
    rendered = complete ? { view, failure } : null;
    if (focusWasInside && isOpen) {
      const again = focusKey && panel.querySelector(`[data-key="${CSS.escape(focusKey)}"]`);
      (again || panel.querySelector('#loyalty-title'))?.focus({ preventScroll: true });
    }
  }

  /** Draws the current state now (an open panel, or a handler that focuses what it drew). */
  function render() {
    if (destroyed) return;
    renderJob += 1;
    const fmt = formatterFor(view);
    commit(contentBuilders(fmt).map((build) => build()));
  }

  /**
   * Draws the current state in the background, one builder per task, for the closed panel.
   * Gives up when a render() or another renderInSteps() starts meanwhile, and starts over when
   * the state changes under it. Resolves once drawn (or superseded).
   */
  async function renderInSteps() {
    const job = ++renderJob;
    const forView = view;
    const forFailure = failure;
    /** False when this render should stop: superseded, or the state changed (then redone). */
    const stillWanted = async () => {
      await yieldToMain();
      if (destroyed || job !== renderJob) return false;
      if (view === forView && failure === forFailure) return true;
      await renderInSteps();
      return false;
    };
    const children = [];
    for (const build of contentBuilders(formatterFor(view))) {
      if (!(await stillWanted())) return;
      children.push(build());
    }
    // Inserted a few nodes per task too: one big insertion is a long task on a slow phone.
    const [first, ...rest] = children.flat(Infinity).filter(Boolean);
    const scrollTop = panel.scrollTop;
    commit([first], rest.length === 0);
    for (const [index, node] of rest.entries()) {
      if (!(await stillWanted())) return;
      panel.append(node);
      if (index === rest.length - 1) {
        panel.scrollTop = scrollTop;
        rendered = { view, failure };
      }
    }
  }

  /** The panel shows an older state than the current one. */
  const outdated = () => !rendered || rendered.view !== view || rendered.failure !== failure;

  function retryButton(fmt) {
    return h(
      'button',
      { type: 'button', part: 'retry', 'data-key': 'retry', onclick: guard(() => refresh()) },
      fmt.t('error.retry'),
    );
  }

  function showSection(name, moveFocus) {
    const target = panel.querySelector(`#loyalty-section-${name}`);
    if (!target) return false;
    const header = panel.querySelector('[part="header"]');
    panel.scrollTop = Math.max(0, target.offsetTop - (header?.offsetHeight ?? 0));
    if (moveFocus) target.focus({ preventScroll: true });
    return true;
  }

  async function ensureCore() {
    if (core) return core;
    core = await loadCore(resolvedCoreUrl);
    return core;
  }

  let warmed = false;
  /**
   * The wasm compiles each function on its first call, on the main thread, so the first view
   * would be one long task. Validating the program, then computing its guest view (results
   * unused), compiles most of the core first in two shorter tasks.
   */
  async function warmCore(programDoc) {
    if (warmed || !core || !programDoc) return;
    warmed = true;
    const programText = JSON.stringify(programDoc);
    const contextText = JSON.stringify({ version: 1, now: nowInstant(), locale: 'en' });
    try {
      core.validateProgramJson?.(programText);
      await yieldToMain();
      core.viewJson(programText, JSON.stringify(GUEST), contextText);
    } catch {
      /* compute() reports a core that fails */
    }
    await yieldToMain();
  }

  function configure() {
    const mappingText = host.getAttribute('mapping') ?? '';
    const signature = [host.api, host.customerId, host.customerToken, mappingText].join('\n');
    if (signature === backendSignature && backend) return null;
    backendSignature = signature;
    let mapping = null;
    if (mappingText) {
      try {
        mapping = JSON.parse(mappingText);
      } catch {
        return { kind: 'mapping', details: ['mapping: not valid JSON'] };
      }
      const problems = checkMapping(mapping);
      if (problems.length) return { kind: 'mapping', details: problems };
    }
    backend = host.api
      ? createBackend({
          api: host.api,
          customerId: host.customerId,
          token: host.customerToken,
          mapping,
          timeoutMs: host.timeout,
        })
      : null;
    docs = { program: null, customer: null };
    view = null;
    lastInputs = '';
    ui.state = { confirm: null, busy: null, redeemed: {}, errors: {}, claims: {}, copied: {} };
    return null;
  }

  /** Loads everything again; shows cached data first when there is some. */
  async function refresh() {
    const mine = ++generation;
    const current = () => mine === generation && !destroyed;
    loading = true;
    try {
      await ensureCore();
    } catch (error) {
      if (mine !== generation) return;
      failure = { kind: 'core', details: [String(error?.message ?? error)] };
      await finish(mine);
      return;
    }
    await yieldToMain(); // the core's start-up had its own task; the view gets the next
    if (!current()) return;
    const configError = configure();
    if (configError) {
      failure = configError;
      view = null;
      await finish(mine);
      return;
    }
    const staticProgram = readStatic('program');
    if (staticProgram) {
      await warmCore(staticProgram.doc);
      if (!current()) return;
      failure = null;
      lastInputs = '';
      compute();
      await finish(mine);
      return;
    }
    if (!backend) {
      failure = { kind: 'network', details: ['api: the attribute is missing'] };
      await finish(mine);
      return;
    }
    const program = backend.load('program');
    const customer = host.customerToken ? backend.load('customer') : null;
    const showCached = !view && program.cached && (!customer || customer.cached);
    if (showCached) {
      await warmCore(program.cached);
      if (!current()) return;
      docs = { program: program.cached, customer: customer?.cached ?? null };
      compute();
      await yieldToMain();
      if (!current()) return;
      updateButton();
      renderWhenLocalised();
    }
    try {
      const [programDoc, customerDoc] = await Promise.all([program.fresh, customer?.fresh ?? null]);
      await yieldToMain(); // reading and parsing the answers was this task's share
      await warmCore(programDoc);
      if (!current()) return;
      docs = { program: programDoc, customer: customerDoc };
      // Fresh documents equal to the cached ones just shown keep that view and its drawing;
      // otherwise (a refresh() of a view that is there) the view is computed again.
      if (!showCached) lastInputs = '';
      failure = null;
      compute();
    } catch (error) {
      if (!current()) return;
      failure = describe(error);
    }
    await finish(mine);
  }

  /** Draws the current state: at once when the panel is open, else in background steps. */
  function draw() {
    if (isOpen) {
      render();
      return Promise.resolve();
    }
    return renderInSteps();
  }

  /** Draws when the view's catalog is loaded, else once it is. */
  function renderWhenLocalised() {
    const locale = view?.locale ?? currentLocale(null);
    const drawn = hasCatalog(locale) ? draw() : loadCatalog(locale).then(draw);
    drawn.catch(reportBug);
  }

  async function finish(mine) {
    const current = () => mine === generation && !destroyed;
    await yieldToMain(); // after the core's view, a task of its own
    if (!current()) return;
    await loadCatalog(view?.locale ?? currentLocale(null));
    if (!current()) return;
    loading = false;
    if (buttonStale && view) {
      formatterFor(view).prepare(); // Intl objects are slow to make: not in the same task
      await yieldToMain();
      if (!current()) return;
    }
    updateButton();
    if (outdated()) await draw();
    if (!current()) return;
    if (failure) {
      emit('loyalty:error', { ...failure });
    } else if (view && !ready) {
      ready = true;
      emit('loyalty:ready', { state: view.state });
    }
    if (isOpen && pendingSection && view) {
      showSection(pendingSection, true);
      pendingSection = null;
    }
  }

  // What the sections' buttons do (actions.js).
  Object.assign(
    ui,
    createActions({
      host,
      ui,
      panel,
      emit,
      guard,
      render,
      close: () => close(),
      formatter: () => formatterFor(view),
      session: () => ({ backend: staticMode ? null : backend, destroyed }),
      acceptCustomer(answer) {
        docs.customer = backend.customerFrom(answer);
        compute();
        updateButton();
      },
    }),
  );

  panel.addEventListener('keydown', guard(dialogKeydown(panel, shadowRoot, () => close())));

  function open(section) {
    if (destroyed) return;
    if (!isOpen) {
      const active = deepActiveElement();
      returnFocusTo =
        active && active !== document.body && !panel.contains(active) ? active : button;
      isOpen = true;
      // Drawn and laid out while closed (renderInSteps): only a changed state draws again here.
      if (outdated()) render();
      panel.inert = false;
      panel.hidden = false;
      button.setAttribute('aria-expanded', 'true');
      emit('loyalty:open', { section: section || null });
    }
    if (!(section && view && showSection(section, true))) {
      pendingSection = section || null;
      panel.querySelector('#loyalty-title')?.focus({ preventScroll: true });
    }
    mark('loyalty:panel-rendered');
  }

  function close() {
    if (!isOpen) return;
    isOpen = false;
    pendingSection = null;
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
      return isOpen;
    },
    get view() {
      return view;
    },
    get loading() {
      return loading;
    },
    open: guard(open),
    close: guard(close),
    refresh: () => refresh().catch(reportBug),
    /** Attribute or property change: refetch when the backend settings changed, else recompute. */
    update: guard(() => {
      const signature = [
        host.api,
        host.customerId,
        host.customerToken,
        host.getAttribute('mapping') ?? '',
      ].join('\n');
      if (signature !== backendSignature && !readStatic('program')) return refresh();
      if (!core) return undefined;
      if (readStatic('program') && !staticMode) lastInputs = '';
      compute();
      updateButton();
      // Also for attributes the view does not depend on (join-url, position, ...).
      if (view || failure) renderWhenLocalised();
      if (view && !ready && !failure) {
        ready = true;
        emit('loyalty:ready', { state: view.state });
      }
      return undefined;
    }),
    destroy() {
      destroyed = true;
      generation += 1;
      panel.remove();
    },
  };
}
