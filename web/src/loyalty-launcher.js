// <loyalty-launcher>: the always-present button. Everything heavy (panel, backend, wasm core)
// lives in ./panel/index.js and is loaded in idle time or on first interaction.
import launcherCss from '../styles/launcher.css';
import { readBadge } from './badge-cache.js';
import { catalogName, chosenLocale } from './i18n.js';
// {catalog: {key: text}}: the button's own texts from every catalog in web/locales/, picked at
// build time (web/build.mjs), so it speaks the shopper's language before (or without) the panel.
import LAUNCHER_TEXTS from 'loyalty:launcher-texts';
import { SECTIONS } from './section-names.js';

export { SECTIONS };
const POSITIONS = ['right', 'left'];
const CUSTOMER_ID = /^[A-Za-z0-9_-]{1,64}$/;
// ?loyalty-debug=1 on the page's URL turns on diagnostics, like the `diagnostics` attribute.
export const DEBUG_FLAG = /[?&]loyalty-debug=(1|true)(&|$)/;

/** The button's own text for `key` (launcher.label, launcher.unavailable, error.retry). */
const launcherText = (key, tag) =>
  LAUNCHER_TEXTS[catalogName(tag)]?.[key] ?? LAUNCHER_TEXTS.en[key];

let sharedSheet = null;
function adoptStyles(root, cssText) {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(cssText);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return sheet;
  }
  return null;
}

/** White or near-black, whichever contrasts more with a merchant's #rgb/#rrggbb accent. */
function readableTextOn(hex) {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c) : hex.slice(1).match(/../g);
  const [r, g, b] = digits.map((pair) => {
    const channel = parseInt(pair, 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with white is 1.05 / (L + 0.05); with #1d1b22 (L ≈ 0.012) it is (L + 0.05) / 0.062.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.062 ? '#ffffff' : '#1d1b22';
}

/**
 * The launcher element. Register with `LoyaltyLauncher.define()` (or import
 * loyalty-launcher-define.js). See web/README.md for attributes, API, events and styling.
 */
export class LoyaltyLauncher extends HTMLElement {
  static observedAttributes = [
    'api',
    'customer-id',
    'customer-token',
    'locale',
    'position',
    'mapping',
    'section',
    'join-url',
    'sign-in-url',
    'timeout',
    'diagnostics',
    'label',
    'core-worker',
  ];

  /** Registers the element under `tag` (once) and returns the class. */
  static define(tag = 'loyalty-launcher', registry = customElements) {
    if (!registry.get(tag)) registry.define(tag, this);
    return this;
  }

  /**
   * Where the built files live (loyalty-panel.js, loyalty-core.{js,wasm}, locales/): a URL of
   * that folder or of a file in it. The script-tag loader sets it to its own URL, so a shop on
   * another origin loads everything from the launcher's host; null = beside this module.
   */
  static baseUrl = null;

  /** URL of loyalty-core.js; null = next to the panel module. */
  static coreUrl = null;

  /** The absolute URL of a built file beside this one (see baseUrl). */
  static assetUrl(file) {
    return new URL(file, LoyaltyLauncher.baseUrl ?? import.meta.url).href;
  }

  /**
   * Loads the panel module. `attempt` > 0 after a failure: a browser may keep a failed module
   * import for its URL (the HTML standard used to say so), so a retry asks for a fresh one.
   */
  static loadPanel(attempt = 0) {
    if (!LoyaltyLauncher.baseUrl && attempt === 0) return import('./panel/index.js');
    const url = LoyaltyLauncher.assetUrl('loyalty-panel.js');
    return import(/* @vite-ignore */ attempt ? `${url}?attempt=${attempt}` : url);
  }

  /** Loads the diagnostics module (only with `diagnostics` or ?loyalty-debug=1). */
  static loadDiagnostics() {
    return LoyaltyLauncher.baseUrl
      ? import(/* @vite-ignore */ LoyaltyLauncher.assetUrl('loyalty-diagnostics.js'))
      : import('./diagnostics/index.js');
  }

  #controller = null;
  #panelPromise = null;
  #queued = false;
  #data = { program: null, customer: null, context: null };
  #button;
  #label;
  #badge;
  #abort = null;
  #buttonInfo = null;
  // Label and side of the button, settled at its first render (session cache or defaults). Data
  // that arrives later would widen or move the button (a layout shift), so it waits for the next
  // page view (via the cache) or the next open/close; a change the page asks for applies at once.
  #layoutInfo = undefined;
  #holdFirstInfo = true;
  #rendered = false;
  #loadAttempts = 0;
  #unavailable = null; // the "Rewards unavailable" note with its retry, once loading failed
  #diagnostics = null; // {seen: events before its module came, running}, once turned on

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    if (!sharedSheet) sharedSheet = adoptStyles(root, launcherCss);
    else root.adoptedStyleSheets = [sharedSheet];
    this.#button = document.createElement('button');
    this.#button.type = 'button';
    this.#button.setAttribute('part', 'launcher');
    this.#button.setAttribute('aria-haspopup', 'dialog');
    this.#button.setAttribute('aria-expanded', 'false');
    const icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('aria-hidden', 'true');
    icon.setAttribute('part', 'icon');
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute(
      'd',
      'M20 7h-2.2A3 3 0 0 0 12 3.8 3 3 0 0 0 6.2 7H4a1 1 0 0 0-1 1v3a1 1 0 0 0 1 1v8a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1Zm-6-2a1 1 0 1 1 0 2h-1V6a1 1 0 0 1 1-1Zm-4 0a1 1 0 0 1 1 1v1h-1a1 1 0 1 1 0-2Zm-5 4h6v2H5Zm1 4h5v6H6Zm12 6h-5v-6h5Zm1-8h-6V9h6Z',
    );
    icon.append(path);
    this.#label = document.createElement('span');
    this.#label.setAttribute('part', 'label');
    this.#badge = document.createElement('span');
    this.#badge.setAttribute('part', 'badge');
    this.#button.append(icon, this.#label, this.#badge);
    root.append(this.#button);
    this.#button.addEventListener('click', () => this.toggle());
    const warm = () => this.#loadPanel();
    this.#button.addEventListener('pointerenter', warm, { once: true });
    this.#button.addEventListener('focus', warm, { once: true });
  }

  // Attributes: kebab-case, reflected; getters validate and fall back to defaults.
  get api() {
    return this.getAttribute('api') ?? '';
  }
  set api(value) {
    this.#reflect('api', value);
  }
  get customerId() {
    const id = this.getAttribute('customer-id') ?? '';
    return CUSTOMER_ID.test(id) ? id : '';
  }
  set customerId(value) {
    this.#reflect('customer-id', value);
  }
  get customerToken() {
    return this.getAttribute('customer-token') ?? '';
  }
  set customerToken(value) {
    this.#reflect('customer-token', value);
  }
  get locale() {
    return chosenLocale(this, this.#data.context?.locale);
  }
  set locale(value) {
    this.#reflect('locale', value);
  }
  /** The button's text from the first paint (the program's label for the locale); '' = auto. */
  get label() {
    return this.getAttribute('label') ?? '';
  }
  set label(value) {
    this.#reflect('label', value);
  }
  /** 'right' | 'left' | '' (unset: the program's branding decides). */
  get position() {
    const value = this.getAttribute('position');
    return POSITIONS.includes(value) ? value : '';
  }
  set position(value) {
    this.#reflect('position', value);
  }
  /** The parsed mapping object, or null when absent or not valid JSON. */
  get mapping() {
    const text = this.getAttribute('mapping');
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }
  set mapping(value) {
    this.#reflect('mapping', value && typeof value === 'object' ? JSON.stringify(value) : value);
  }
  /** The section open() shows by default: one of SECTIONS, or '' for the top. */
  get section() {
    const value = this.getAttribute('section');
    return SECTIONS.includes(value) ? value : '';
  }
  set section(value) {
    this.#reflect('section', value);
  }
  get joinUrl() {
    return this.getAttribute('join-url') ?? '';
  }
  set joinUrl(value) {
    this.#reflect('join-url', value);
  }
  get signInUrl() {
    return this.getAttribute('sign-in-url') ?? '';
  }
  set signInUrl(value) {
    this.#reflect('sign-in-url', value);
  }

  /**
   * Where the wasm core runs: 'auto' (default: a Web Worker; from another origin through a blob:
   * URL, unless the page shows a CSP or one refused it lately), 'blob' (that worker always tried;
   * a page with a CSP must allow `worker-src blob:`) or 'none' (the main thread). Read when the
   * core first loads.
   */
  get coreWorker() {
    const value = this.getAttribute('core-worker');
    return ['auto', 'blob', 'none'].includes(value) ? value : 'auto';
  }
  set coreWorker(value) {
    this.#reflect('core-worker', value);
  }

  /** Milliseconds before a backend request is abandoned (and retried): 100..60000, default 8000. */
  get timeout() {
    const value = Number(this.getAttribute('timeout'));
    return Number.isInteger(value) && value >= 100 && value <= 60000 ? value : 8000;
  }
  set timeout(value) {
    this.#reflect('timeout', value);
  }

  // Static mode: documents given as objects (merchant preview) instead of fetched.
  get program() {
    return this.#data.program;
  }
  set program(value) {
    this.#data.program = value ?? null;
    this.#holdFirstInfo = false; // documents from the page (a preview): the button follows them
    this.#schedule();
  }
  get customer() {
    return this.#data.customer;
  }
  set customer(value) {
    this.#data.customer = value ?? null;
    this.#holdFirstInfo = false; // documents from the page (a preview): the button follows them
    this.#schedule();
  }
  get context() {
    return this.#data.context;
  }
  set context(value) {
    this.#data.context = value ?? null;
    this.#holdFirstInfo = false; // documents from the page (a preview): the button follows them
    this.#schedule();
  }

  #reflect(name, value) {
    if (value === null || value === undefined || value === '') this.removeAttribute(name);
    else this.setAttribute(name, String(value));
  }

  attributeChangedCallback(name) {
    if (name === 'diagnostics' && this.isConnected) this.#startDiagnostics();
    this.#schedule();
  }

  connectedCallback() {
    this.#abort = new AbortController();
    const { signal } = this.#abort;
    this.#startDiagnostics();
    document.addEventListener('click', (event) => this.#onDocumentClick(event), { signal });
    window.addEventListener('hashchange', () => this.#openFromHash(), { signal });
    this.#schedule();
    const idle = globalThis.requestIdleCallback ?? ((fn) => setTimeout(fn, 200));
    idle(() => this.#loadPanel(), { timeout: 4000 });
    this.#openFromHash();
  }

  disconnectedCallback() {
    this.#abort?.abort();
  }

  /** Several attribute or property changes become one update in a microtask. */
  #schedule() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      this.#renderButton();
      this.#controller?.update();
    });
  }

  #renderButton() {
    const badge = this.#buttonInfo ?? readBadge(this.customerId);
    if (this.#layoutInfo === undefined) this.#layoutInfo = badge;
    const layout = this.#layoutInfo;
    if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(badge?.accent ?? '')) {
      this.style.setProperty('--loyalty-brand-accent', badge.accent);
      this.style.setProperty('--loyalty-brand-accent-text', readableTextOn(badge.accent));
    }
    const side = this.position || layout?.position || 'right';
    this.setAttribute('data-loyalty-side', POSITIONS.includes(side) ? side : 'right');
    // A cached label counts only in the language it was cached in.
    const cached = layout?.locale === this.locale ? layout.label : '';
    this.#label.textContent = this.label || cached || launcherText('launcher.label', this.locale);
    // The badge sits on the button's corner: it follows the data at once without moving anything.
    this.#badge.textContent = badge?.balance ?? '';
    this.#badge.hidden = !this.#badge.textContent;
    if (!this.#rendered) {
      this.#rendered = true;
      globalThis.performance?.mark?.('loyalty:button-rendered');
    }
  }

  /** The panel's view changed: badge and accent at once, label and side as #layoutInfo says. */
  #acceptButtonInfo(info) {
    this.#buttonInfo = info;
    if (this.#holdFirstInfo) this.#holdFirstInfo = false;
    else this.#layoutInfo = info;
    this.#renderButton();
  }

  /** On open and close (the user or the page acts): the button catches up with the data. */
  #settleLayout() {
    const info = this.#buttonInfo;
    if (!info) return;
    this.#holdFirstInfo = false;
    const layout = this.#layoutInfo;
    this.#layoutInfo = info;
    if (info.label !== layout?.label || info.position !== layout?.position) this.#renderButton();
  }

  /** Panel code + core, loaded once; resolves to the controller. */
  #loadPanel() {
    if (!this.#panelPromise) {
      this.#panelPromise = LoyaltyLauncher.loadPanel(this.#loadAttempts)
        .then((panel) => {
          this.#hideUnavailable();
          if (!this.#controller) {
            this.#controller = panel.createController(this, {
              shadowRoot: this.shadowRoot,
              button: this.#button,
              data: this.#data,
              coreUrl:
                LoyaltyLauncher.coreUrl ??
                (LoyaltyLauncher.baseUrl ? LoyaltyLauncher.assetUrl('loyalty-core.js') : null),
              workerUrl: LoyaltyLauncher.baseUrl
                ? LoyaltyLauncher.assetUrl('loyalty-core-worker.js')
                : null,
              emit: (name, detail) => {
                if (name === 'loyalty:open' || name === 'loyalty:close') this.#settleLayout();
                this.#emit(name, detail);
              },
              renderButton: (info) => this.#acceptButtonInfo(info),
            });
          }
          return this.#controller;
        })
        .catch((error) => {
          this.#panelPromise = null;
          this.#showUnavailable();
          this.#emit('loyalty:error', {
            kind: 'load',
            url: LoyaltyLauncher.assetUrl('loyalty-panel.js'),
            message: String(error?.message ?? error),
          });
          return null;
        });
      this.#loadAttempts += 1;
    }
    return this.#panelPromise;
  }

  /**
   * The panel code could not load: a note above the button says so, in the shopper's language,
   * with a Try again button (the launcher itself retries too). It is placed, not inserted into
   * the flow, so nothing moves; it goes once the panel loads.
   */
  #showUnavailable() {
    const locale = this.getAttribute('locale');
    if (!this.#unavailable) {
      const note = document.createElement('div');
      note.setAttribute('part', 'unavailable');
      const text = document.createElement('p');
      text.id = 'loyalty-unavailable';
      text.setAttribute('role', 'status');
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.setAttribute('part', 'retry');
      retry.setAttribute('aria-describedby', 'loyalty-unavailable');
      retry.addEventListener('click', () => this.open());
      note.append(text, retry);
      this.shadowRoot.append(note);
      this.#unavailable = { note, text, retry };
    }
    const { note, text, retry } = this.#unavailable;
    note.hidden = false;
    text.textContent = launcherText('launcher.unavailable', locale);
    retry.textContent = launcherText('error.retry', locale);
    this.#button.setAttribute('aria-describedby', 'loyalty-unavailable');
    this.setAttribute('data-loyalty-state', 'unavailable');
  }

  #hideUnavailable() {
    if (!this.#unavailable || this.#unavailable.note.hidden) return;
    // Focus on Try again goes to the button it stood beside, not to the page.
    const hadFocus = this.shadowRoot.activeElement === this.#unavailable.retry;
    this.#unavailable.note.hidden = true;
    this.#button.removeAttribute('aria-describedby');
    this.removeAttribute('data-loyalty-state');
    if (hadFocus) this.#button.focus();
  }

  /**
   * Diagnostics (the `diagnostics` attribute or ?loyalty-debug=1): its module loads now, and
   * what happens before it arrives (CSP violations, failures) is kept for it. Without the
   * module, the console still gets the blocked addresses.
   */
  #startDiagnostics() {
    if (this.#diagnostics) return;
    if (!this.hasAttribute('diagnostics') && !DEBUG_FLAG.test(location.search)) return;
    const seen = [];
    const keep = (event) => seen.push(event);
    this.#diagnostics = { seen };
    document.addEventListener('securitypolicyviolation', keep);
    this.addEventListener('loyalty:error', keep);
    LoyaltyLauncher.loadDiagnostics()
      .then((module) => {
        const options = { button: this.#button, seen, assetUrl: LoyaltyLauncher.assetUrl };
        this.#diagnostics.running = module.startDiagnostics(this, options);
      })
      .catch((error) => {
        const blocked = seen.map((event) => event.blockedURI ?? event.detail?.kind);
        console.error('loyalty-launcher: the diagnostics module did not load', error, blocked);
      })
      .finally(() => {
        document.removeEventListener('securitypolicyviolation', keep);
        this.removeEventListener('loyalty:error', keep);
      });
  }

  #emit(name, detail) {
    try {
      this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
    } catch (error) {
      // A page listener that throws must not break the launcher.
      setTimeout(() => console.error(error));
    }
  }

  #onDocumentClick(event) {
    const trigger = event.target?.closest?.('[data-loyalty-open]');
    if (!trigger) return;
    event.preventDefault();
    this.open(trigger.getAttribute('data-loyalty-open') || undefined);
  }

  #openFromHash() {
    const match = /^#loyalty(?:-([a-z]+))?$/.exec(location.hash);
    if (match && (!match[1] || SECTIONS.includes(match[1]))) this.open(match[1]);
  }

  // JS API. Each returns a promise and never rejects.
  /** Opens the panel, scrolled to `section` (rewards, earn, referral, vip, activity). */
  async open(section) {
    (await this.#loadPanel())?.open(SECTIONS.includes(section) ? section : this.section);
  }
  async close() {
    this.#controller?.close();
  }
  async toggle() {
    if (this.#controller?.isOpen) this.#controller.close();
    else await this.open();
  }
  /** Fetches program and customer again. */
  async refresh() {
    await (await this.#loadPanel())?.refresh();
  }
  /** Switches shopper (SPA sign-in/out); `{id: '', token: ''}` shows the guest view. */
  async setCustomer({ id = '', token = '' } = {}) {
    this.customerId = id;
    this.customerToken = token;
    // A new shopper: the button starts again from that shopper's cache, then follows the data.
    this.#buttonInfo = null;
    this.#layoutInfo = undefined;
    this.#holdFirstInfo = false;
    this.#renderButton();
    await (await this.#loadPanel())?.refresh();
  }
  /** Removes the launcher and everything it added to the page. */
  destroy() {
    this.#diagnostics?.running?.stop();
    this.#controller?.destroy();
    this.#controller = null;
    this.#abort?.abort();
    this.remove();
  }
}
