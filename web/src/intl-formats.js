// The Intl objects the panel formats with (i18n.js createFormatter), made in one place so the
// core's worker can make the same ones first (core-worker.js), loading their locale data there.
export const numberFormat = (tag) => new Intl.NumberFormat(tag);
export const decimalFormat = (tag) => new Intl.NumberFormat(tag, { maximumFractionDigits: 3 });
export const pluralRules = (tag) => new Intl.PluralRules(tag);
export const dateFormat = (tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
export const moneyFormat = (tag, currency, digits) =>
  new Intl.NumberFormat(tag, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
