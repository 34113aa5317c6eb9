// The formatter for a view, made once per view and catalog: its Intl objects are costly.
import { createFormatter, hasCatalog } from '../i18n.js';

let cached = { view: undefined, key: '', fmt: null };

/** The formatter for `view` (null: no view yet) in `locale` (the view's own when it has one). */
export function formatterFor(view, locale) {
  const tag = view?.locale ?? locale;
  const key = `${tag}\n${hasCatalog(tag)}`;
  if (cached.view !== view || cached.key !== key) {
    const fmt = createFormatter({
      locale: tag,
      currency: view?.shop?.currency,
      currencyDigits: view?.shop?.currencyDigits,
      points: view?.points,
      labels: view?.labels,
    });
    cached = { view, key, fmt };
  }
  return cached.fmt;
}
