// Localises the core's message keys with the browser's Intl and the bundled catalogs.
import en from '../locales/en.json';

// English ships inside the panel; the others are fetched once, when a view needs them.
const SHIPPED = ['en', 'lv', 'zh-Hans', 'zh-Hant'];
const catalogs = { en };
const loading = new Map();

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ku', 'sd', 'ug']);

/** The catalog name for a BCP 47 tag: zh-TW/zh-HK → zh-Hant, zh/zh-CN → zh-Hans, else language. */
export function catalogName(tag) {
  let locale;
  try {
    locale = new Intl.Locale(tag || 'en').maximize();
  } catch {
    return 'en';
  }
  if (locale.language === 'zh') return locale.script === 'Hant' ? 'zh-Hant' : 'zh-Hans';
  return SHIPPED.includes(locale.language) ? locale.language : 'en';
}

/** True when the catalog for `tag` is ready (or English stands in for good). */
export function hasCatalog(tag) {
  return catalogName(tag) in catalogs;
}

/** Loads the catalog for `tag` from locales/ next to the panel; English when that fails. */
export function loadCatalog(tag, baseUrl = import.meta.url) {
  const name = catalogName(tag);
  if (name in catalogs) return Promise.resolve();
  if (!loading.has(name)) {
    loading.set(
      name,
      fetch(new URL(`./locales/${name}.json`, baseUrl))
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null)
        .then((catalog) => {
          catalogs[name] = catalog && typeof catalog === 'object' ? catalog : en;
        }),
    );
  }
  return loading.get(name);
}

/** 'rtl' or 'ltr' for a BCP 47 tag. */
export function directionFor(tag) {
  try {
    return RTL_LANGUAGES.has(new Intl.Locale(tag).language) ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}

/** A usable Intl locale: the tag when Intl accepts it, else 'en'. */
function intlLocale(tag) {
  try {
    return Intl.getCanonicalLocales(tag)[0] || 'en';
  } catch {
    return 'en';
  }
}

/**
 * The formatter for one view. `t(key, params)` looks a key up (merchant labels first, then the
 * locale's catalog, then English) and fills `{name}` placeholders with formatted parameters.
 */
export function createFormatter({ locale, currency, currencyDigits, points, labels }) {
  const tag = intlLocale(locale);
  // Until a catalog has loaded its keys fall back to English rather than failing the render.
  const catalog = catalogs[catalogName(tag)] ?? en;
  const merchantLabels = labels && typeof labels === 'object' ? labels : {};
  // Intl objects are costly to create (tens of ms on a busy phone): each is made on first use.
  const lazy = (create) => {
    let made = null;
    return () => (made ??= create());
  };
  const numberFormat = lazy(() => new Intl.NumberFormat(tag));
  const decimalFormat = lazy(() => new Intl.NumberFormat(tag, { maximumFractionDigits: 3 }));
  const pluralRules = lazy(() => new Intl.PluralRules(tag));
  const dateFormat = lazy(() => new Intl.DateTimeFormat(tag, { dateStyle: 'medium' }));
  const moneyFormats = new Map();
  const pointNames = {
    singular: typeof points?.singular === 'string' ? points.singular : 'point',
    plural: typeof points?.plural === 'string' ? points.plural : 'points',
  };

  const format = {
    /** Makes the number formats now (the badge and header need them), e.g. in a task of their own. */
    prepare() {
      numberFormat();
      pluralRules();
    },
    number: (value) => numberFormat().format(value),
    /** 1250 per mille → "1.25" */
    permille: (value) => decimalFormat().format(value / 1000),
    points(value) {
      const name = pluralRules().select(value) === 'one' ? pointNames.singular : pointNames.plural;
      return `${numberFormat().format(value)} ${name}`;
    },
    money(minorUnits, code = currency) {
      const digits = code === currency && Number.isInteger(currencyDigits) ? currencyDigits : 2;
      const cacheKey = `${code}/${digits}`;
      let moneyFormat = moneyFormats.get(cacheKey);
      if (!moneyFormat) {
        try {
          moneyFormat = new Intl.NumberFormat(tag, {
            style: 'currency',
            currency: code,
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
          });
        } catch {
          moneyFormat = { format: (value) => `${numberFormat().format(value)} ${code}` };
        }
        moneyFormats.set(cacheKey, moneyFormat);
      }
      return moneyFormat.format(minorUnits / 10 ** digits);
    },
    date(instant) {
      const date = new Date(instant);
      return Number.isNaN(date.getTime()) ? String(instant) : dateFormat().format(date);
    },
    /** One typed parameter of a message, formatted. */
    param(value) {
      if (value === null || typeof value !== 'object')
        return value === undefined ? '' : String(value);
      if ('points' in value) return format.points(value.points);
      if ('money' in value) return format.money(value.money, value.currency);
      if ('date' in value) return format.date(value.date);
      if ('number' in value) return format.number(value.number);
      if ('text' in value) return String(value.text);
      if ('message' in value) return format.message(value.message);
      return '';
    },
    /** A catalog string with formatted parameters. Unknown keys fall back to English. */
    t(key, params = {}) {
      const own = merchantLabels[key];
      const template =
        typeof own === 'string' ? own : (catalog[key] ?? en[key] ?? (params.text ? '{text}' : key));
      return template.replace(/\{(\w+)\}/g, (whole, name) =>
        name in params ? format.param(params[name]) : whole,
      );
    },
    /** A message from the view: {"key", "params"}. */
    message(message) {
      if (!message || typeof message.key !== 'string') return '';
      return format.t(
        message.key,
        message.params && typeof message.params === 'object' ? message.params : {},
      );
    },
  };
  return format;
}
