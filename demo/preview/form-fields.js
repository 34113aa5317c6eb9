// What every part of the settings form shares: money and number conversions, merchant texts per
// language, paths into the program document, and the small DOM builders of its fields. Every
// text goes into the page as a text node or a property, never as markup.

/** Minor-unit digits of an ISO 4217 code, as Intl knows them (2 when the code is unknown). */
export function currencyDigits(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    return 2;
  }
}

export const toMajor = (minor, digits) => (Number.isInteger(minor) ? minor / 10 ** digits : '');
export const toMinor = (major, digits) => Math.round(Number(major) * 10 ** digits);

// Empty stays empty (null) and fractions stay fractions: the core says what is wrong with them.
export const numberOrNull = (text) => (text === '' ? null : Number(text));

/**
 * Merchant text is a string or {tag: text}. The form shows the text written for `language`
 * (a plain string counts as English); '' when there is none, and the placeholder shows what
 * shoppers of that language see instead (fallbackOf).
 */
export function textOf(value, language = 'en') {
  if (typeof value === 'string') return language === 'en' ? value : '';
  if (value && typeof value === 'object' && !Array.isArray(value)) return value[language] ?? '';
  return '';
}

/** The text a language without its own shows: the plain string, else English, else the first. */
export function fallbackOf(value) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return value.en ?? Object.values(value)[0] ?? '';
  return '';
}

/** `previous` with `language`'s text set (or removed when empty); plain English stays plain. */
export function withText(previous, text, language = 'en') {
  const translations =
    previous && typeof previous === 'object' && !Array.isArray(previous)
      ? { ...previous }
      : typeof previous === 'string' && previous !== ''
        ? { en: previous }
        : {};
  if (text === '') delete translations[language];
  else translations[language] = text;
  const tags = Object.keys(translations);
  if (tags.length === 0) return '';
  if (tags.length === 1 && tags[0] === 'en' && typeof previous !== 'object') return translations.en;
  return translations;
}

/** 'labels.panel\.title' → ['labels', 'panel.title'] */
export function splitBinding(binding) {
  return binding.split(/(?<!\\)\./).map((part) => part.replace(/\\\./g, '.'));
}

/** '/tiers/levels/0/perks/1' → ['tiers', 'levels', '0', 'perks', '1'] (RFC 6901 escapes undone). */
export const pointerParts = (pointer) =>
  pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));

export function readPath(object, parts) {
  return parts.reduce(
    (node, key) => (node && typeof node === 'object' ? node[key] : undefined),
    object,
  );
}

export function writePath(object, parts, value) {
  let node = object;
  for (const key of parts.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key];
  }
  const last = parts.at(-1);
  if (value === '' || value === undefined) delete node[last];
  else node[last] = value;
}

/** Sets `key`, or deletes it when `value` is the contract's default, so defaults stay implicit. */
export function setOrDefault(object, key, value, fallback) {
  if (value === fallback || value === null || value === undefined) delete object[key];
  else object[key] = value;
}

/** `prefix` and the first number after the list's length that no entry uses as its id. */
export function uniqueId(prefix, list) {
  let n = list.length + 1;
  while (list.some((entry) => entry.id === `${prefix}${n}`)) n += 1;
  return `${prefix}${n}`;
}

/** An element with attributes (`value` as the property; false and null leave one out). */
export function element(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'value') node.value = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== null));
  return node;
}

export function labelled(text, control) {
  return element('label', {}, `${text} `, control);
}

/** A checkbox and its text in one label, the box first. */
export function checkbox(text, attrs, checked) {
  return element(
    'label',
    { class: 'check' },
    element('input', { type: 'checkbox', ...attrs, checked }),
    ` ${text}`,
  );
}

/**
 * A select of [value, label] options with `chosen` selected. A value the list lacks gets an
 * option of its own, so the select never shows what the document does not say.
 */
export function select(options, chosen, attrs) {
  const all = options.some(([value]) => value === chosen)
    ? options
    : [[chosen ?? '', chosen ?? 'Choose…'], ...options];
  return element(
    'select',
    attrs,
    ...all.map(([value, label]) =>
      element('option', { value, selected: value === (chosen ?? '') }, label),
    ),
  );
}

export function removeButton(index, label) {
  return element(
    'button',
    { type: 'button', class: 'remove', 'data-remove': index, 'aria-label': label },
    '×',
  );
}

/** A tier's or promotion's earning multiplier (1 when the document gives none). */
export function multiplierField(path, multiplier) {
  return labelled(
    'Multiplier',
    element('input', {
      type: 'number',
      min: 1,
      step: 0.05,
      class: 'short',
      'data-field': 'multiplier',
      'data-path': `${path}/multiplier`,
      value: multiplier ?? 1,
    }),
  );
}

/** Shows `value` unless the merchant is typing in the input. */
export function setIfIdle(input, value) {
  if (input !== document.activeElement) input.value = value;
}

/** Draws a list's rows again, unless the merchant is in one of them (`force` draws anyway). */
export function redrawList(list, force, rows) {
  if (force || !list.contains(document.activeElement)) list.replaceChildren(...rows());
}
