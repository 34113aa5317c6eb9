// Type declarations for the <loyalty-launcher> ES module (build/web/index.mjs).

/** Sections that open() and deep links (#loyalty-rewards) accept. */
export type LoyaltySection = 'rewards' | 'earn' | 'referral' | 'vip' | 'activity';

export interface LoyaltyRedemption {
  id?: string;
  rewardId: string;
  points?: number;
  code?: string;
  value?: { money: number; currency: string };
  percent?: number;
  expiresAt?: string;
}

export interface LoyaltyErrorDetail {
  /** network | timeout | http | unauthorized | notJson | tooLarge | core | mapping | program | customer | context | load | internal */
  kind: string;
  status?: number;
  code?: string;
  details?: string[];
  action?: 'redeem' | 'claim';
  /** kind 'load': the address of the module that failed. */
  url?: string;
  message?: string;
}

export interface LoyaltyEventMap {
  'loyalty:ready': CustomEvent<{ state: 'member' | 'guest' }>;
  'loyalty:open': CustomEvent<{ section: LoyaltySection | null }>;
  'loyalty:close': CustomEvent<Record<string, never>>;
  'loyalty:redeem': CustomEvent<
    { redemption: LoyaltyRedemption } | { preview: true; rewardId: string; points?: number }
  >;
  'loyalty:share': CustomEvent<{ channel: string; url: string }>;
  'loyalty:error': CustomEvent<LoyaltyErrorDetail>;
}

/** Mapping of another backend's JSON into the contract's documents (web/README.md "Mapping"). */
export interface LoyaltyMapping {
  paths?: { program?: string; customer?: string };
  program?: Record<string, string | { value: unknown }>;
  customer?: Record<string, string | { value: unknown }>;
}

export declare const SECTIONS: readonly LoyaltySection[];

export declare class LoyaltyLauncher extends HTMLElement {
  static observedAttributes: string[];
  /** Registers the element under `tag` (default 'loyalty-launcher') once; returns the class. */
  static define(tag?: string, registry?: CustomElementRegistry): typeof LoyaltyLauncher;
  /** Where loyalty-core.js lives; null = next to loyalty-panel.js. */
  static coreUrl: string | null;
  /**
   * Where the built files live (loyalty-panel.js, loyalty-core.*, locales/): a folder URL or a
   * file in it; null = beside this module. The script-tag loader sets it to its own URL.
   * @example LoyaltyLauncher.baseUrl = 'https://cdn.example/loyalty/'; LoyaltyLauncher.define();
   */
  static baseUrl: string | null;
  /** The absolute URL of a built file (see baseUrl), e.g. assetUrl('loyalty-panel.js'). */
  static assetUrl(file: string): string;

  api: string;
  customerId: string;
  customerToken: string;
  locale: string;
  /** The button's text from the first paint (render the program's label for the locale). */
  label: string;
  position: 'right' | 'left' | '';
  mapping: LoyaltyMapping | null;
  section: LoyaltySection | '';
  joinUrl: string;
  signInUrl: string;
  /** Where the wasm core runs: a Web Worker ('auto': from another origin through blob: unless the page's CSP refuses it; 'blob': always tried) or the main thread ('none'). */
  coreWorker: 'auto' | 'blob' | 'none';

  /** Static mode: documents as objects (merchant preview, tests, static sites). */
  program: object | null;
  customer: object | null;
  context: object | null;

  open(section?: LoyaltySection): Promise<void>;
  close(): Promise<void>;
  toggle(): Promise<void>;
  refresh(): Promise<void>;
  setCustomer(customer: { id?: string; token?: string }): Promise<void>;
  destroy(): void;

  addEventListener<K extends keyof LoyaltyEventMap>(
    type: K,
    listener: (this: LoyaltyLauncher, event: LoyaltyEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'loyalty-launcher': LoyaltyLauncher;
  }
}
