// The panel controller: gets the documents (backend or static), asks the wasm core for the
// view, renders it into the shadow root, and turns clicks into backend requests.
import panelCss from '../../styles/panel.css';
import { createBackend } from '../backend.js';
import { loadCore } from '../core.js';
import { createFormatter, directionFor, hasCatalog, loadCatalog } from '../i18n.js';
import { checkMapping } from '../mapping.js';
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
  const panel = h('div', {
    part: 'panel',
    role: 'dialog',
    'aria-modal': 'true',
    'aria-labelledby': 'loyalty-title',
    hidden: true,
  });
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
    if (data[name]) return { doc: data[name] };
    const script = host.querySelector(
      `:scope > script[type="application/json"][data-loyalty="${name}"]`,
    );
    if (!script) return null;
    try {
      return { doc: JSON.parse(script.textContent) };
    } catch {
      return { error: `${name}: the <script data-loyalty="${name}"> is not valid JSON` };
    }
  }

  function currentLocale(context) {
    return (
      host.getAttribute('locale') ||
      context?.locale ||
      document.documentElement.lang ||
      navigator.language ||
      'en'
    );
  }

  function formatterFor(forView) {
    return createFormatter({
      locale: forView?.locale ?? currentLocale(null),
      currency: forView?.shop?.currency,
      currencyDigits: forView?.shop?.currencyDigits,
      points: forView?.points,
      labels: forView?.labels,
    });
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
      failure = { kind: 'program', details: [staticError.error] };
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
      updateButton();
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

  function updateButton() {
    const fmt = formatterFor(view);
    const info = {
      label:
        view.labels?.['launcher.label'] || view.branding?.launcherLabel || fmt.t('launcher.label'),
      balance: view.state === 'member' && view.balance ? fmt.points(view.balance.points) : '',
      position: view.branding?.position,
      accent: view.branding?.accent,
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

  function render() {
    if (destroyed) return;
    const fmt = formatterFor(view);
    const active = shadowRoot.activeElement;
    const focusKey = active?.closest?.('[data-key]')?.getAttribute('data-key');
    const scrollTop = panel.scrollTop;
    const locale = view?.locale ?? currentLocale(null);
    panel.lang = locale;
    // An explicit locale decides; otherwise the page's direction, then the language's.
    panel.dir =
      host.getAttribute('locale') || getComputedStyle(host).direction !== 'rtl'
        ? directionFor(locale)
        : 'rtl';
    const children = [];
    if (!view) {
      children.push(renderHeader({ state: 'loading' }, fmt, ui));
      if (failure) {
        children.push(h('section', { part: 'section error' }, errorBlock(fmt), retryButton(fmt)));
      } else {
        children.push(h('section', null, h('p', { role: 'status' }, fmt.t('panel.loading'))));
      }
    } else {
      children.push(renderHeader(view, fmt, ui));
      if (failure) {
        children.push(h('div', { part: 'notice stale' }, errorBlock(fmt), retryButton(fmt)));
      }
      children.push(...renderNotices(view, fmt));
      const sections = {
        rewards: renderRewards(view, fmt, ui),
        earn: renderEarn(view, fmt, ui),
        referral: view.state === 'member' ? renderReferral(view, fmt, ui) : null,
        vip: view.state === 'member' ? renderTier(view, fmt) : null,
        activity: view.state === 'member' ? renderActivity(view, fmt) : null,
      };
      const present = SECTION_ORDER.filter((name) => sections[name]);
      children.push(
        h(
          'nav',
          { 'aria-label': fmt.t('panel.sections'), part: 'nav' },
          present.map((name) =>
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
      );
      if (view.state !== 'member') children.push(renderGuest(view, fmt, ui));
      for (const name of present) children.push(sections[name]);
    }
    panel.replaceChildren(...children);
    panel.scrollTop = scrollTop;
    if (focusKey && isOpen) {
      const again = panel.querySelector(`[data-key="${CSS.escape(focusKey)}"]`);
      if (again) again.focus({ preventScroll: true });
      else panel.querySelector('#loyalty-title')?.focus({ preventScroll: true });
    }
  }

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
    loading = true;
    try {
      await ensureCore();
    } catch (error) {
      if (mine !== generation) return;
      failure = { kind: 'core', details: [String(error?.message ?? error)] };
      await finish(mine);
      return;
    }
    if (mine !== generation || destroyed) return;
    const configError = configure();
    if (configError) {
      failure = configError;
      view = null;
      await finish(mine);
      return;
    }
    if (readStatic('program')) {
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
    if (!view && program.cached && (!customer || customer.cached)) {
      docs = { program: program.cached, customer: customer?.cached ?? null };
      compute();
      renderWhenLocalised();
    }
    try {
      const [programDoc, customerDoc] = await Promise.all([program.fresh, customer?.fresh ?? null]);
      if (mine !== generation || destroyed) return;
      docs = { program: programDoc, customer: customerDoc };
      lastInputs = '';
      compute();
    } catch (error) {
      if (mine !== generation || destroyed) return;
      failure = describe(error);
    }
    await finish(mine);
  }

  /** Renders now when the view's catalog is loaded, else once it is. */
  function renderWhenLocalised() {
    const locale = view?.locale ?? currentLocale(null);
    if (hasCatalog(locale)) render();
    else loadCatalog(locale).then(render, reportBug);
  }

  async function finish(mine) {
    if (mine !== generation || destroyed) return;
    await loadCatalog(view?.locale ?? currentLocale(null));
    if (mine !== generation || destroyed) return;
    loading = false;
    render();
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
      render();
      panel.hidden = false;
      button.setAttribute('aria-expanded', 'true');
      emit('loyalty:open', { section: section || null });
    }
    const title = panel.querySelector('#loyalty-title');
    if (section && view && showSection(section, true)) return;
    pendingSection = section || null;
    title?.focus({ preventScroll: true });
  }

  function close() {
    if (!isOpen) return;
    isOpen = false;
    pendingSection = null;
    panel.hidden = true;
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
