// The settings form: reads the common settings out of a program document and writes edits back
// into it. Everything the form does not show stays in the document untouched (the JSON tab edits
// it), so the two views never disagree.

/** Minor-unit digits of an ISO 4217 code, as Intl knows them (2 when the code is unknown). */
export function currencyDigits(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    return 2;
  }
}

const toMajor = (minor, digits) => (Number.isInteger(minor) ? minor / 10 ** digits : '');
const toMinor = (major, digits) => Math.round(Number(major) * 10 ** digits);

/** The languages the demo offers; the form edits every merchant text in one of them at a time. */
export const TEXT_LANGUAGES = [
  ['en', 'English'],
  ['zh-Hant', '繁體中文'],
  ['zh-Hans', '简体中文'],
  ['lv', 'Latviešu'],
];

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
function fallbackOf(value) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return value.en ?? Object.values(value)[0] ?? '';
  return '';
}

/** `previous` with `language`'s text set (or removed when empty); plain English stays plain. */
function withText(previous, text, language = 'en') {
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
function splitBinding(binding) {
  return binding.split(/(?<!\\)\./).map((part) => part.replace(/\\\./g, '.'));
}

function readPath(object, parts) {
  return parts.reduce(
    (node, key) => (node && typeof node === 'object' ? node[key] : undefined),
    object,
  );
}

function writePath(object, parts, value) {
  let node = object;
  for (const key of parts.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key];
  }
  const last = parts.at(-1);
  if (value === '' || value === undefined) delete node[last];
  else node[last] = value;
}

// Empty stays empty (null) and fractions stay fractions: the core says what is wrong with them.
const numberOrNull = (text) => (text === '' ? null : Number(text));

/** Per expiry mode, the periods it counts in: value → [option label, amount label]. */
const EXPIRY_PERIODS = {
  inactivity: { days: ['Days', 'After (days)'], months: ['Months', 'After (months)'] },
  lots: {
    month: ['Months', 'Months after the month earned'],
    quarter: ['Quarters', 'Quarters after the quarter earned'],
    year: ['Years', 'Years after the year earned'],
  },
};

/** The period the expiry counts in, or null when it has none. */
function expiryUnit(expiry) {
  if (expiry.mode === 'lots') return expiry.period ?? 'month';
  if (expiry.mode === 'inactivity') return expiry.months !== undefined ? 'months' : 'days';
  return null;
}

/** The document key of the expiry's amount: days, months or periods. */
function expiryAmountKey(expiry) {
  const unit = expiryUnit(expiry);
  if (unit === 'quarter' || unit === 'year') return 'periods';
  return unit === 'days' ? 'days' : 'months';
}

/** The redemption caps' inputs and their keys under `redemption`. */
const REDEMPTION_CAPS = new Map([
  ['cap-share', 'maxOrderPercent'],
  ['cap-per-order', 'maxPointsPerOrder'],
  ['cap-minimum', 'minPoints'],
]);

const rewardTypes = [
  ['amount_off', 'Amount off'],
  ['percent_off', 'Percent off'],
  ['free_shipping', 'Free shipping'],
  ['free_product', 'Free product'],
  ['store_credit', 'Store credit'],
];

// Only these reward types can be pay-what-you-like (`incremental`).
const FLEXIBLE_TYPES = new Set(['amount_off', 'store_credit']);

/** How each pay-what-you-like input writes `incremental` (money in major units). */
const INCREMENTAL_FIELDS = {
  pointsPerStep: (incremental, value) => {
    incremental.pointsPerStep = numberOrNull(value);
  },
  amountPerStep: (incremental, value, digits) => {
    incremental.amountPerStep = toMinor(value, digits);
  },
  // One step is the default minimum, and 0 (or none) the default maximum: no cap.
  minPoints: (incremental, value) =>
    setOrDefault(
      incremental,
      'minPoints',
      numberOrNull(value) ?? incremental.pointsPerStep,
      incremental.pointsPerStep,
    ),
  maxPoints: (incremental, value) =>
    setOrDefault(incremental, 'maxPoints', numberOrNull(value) ?? 0, 0),
};

const pricings = [
  ['fixed', 'Fixed cost'],
  ['flexible', 'Pay what you like'],
];

const ruleTypes = [
  ['birthday', 'Birthday'],
  ['review', 'Review'],
  ['social_follow', 'Social follow'],
  ['social_share', 'Social share'],
  ['referral', 'Referral'],
  ['custom', 'Custom'],
];

/**
 * The keys each way to earn has besides id, type, name, points and enabled, in the row's order
 * (the link last, so a narrow row wraps it rather than a select).
 */
const RULE_FIELDS = {
  birthday: ['waitDays', 'cooldownDays'],
  review: ['limit'],
  social_follow: ['platform', 'limit', 'url'],
  social_share: ['platform', 'limit', 'url'],
  referral: [],
  custom: ['limit', 'url'],
};

const NEW_RULE_NAME = 'New way to earn';

const ruleFields = (type) => (Object.hasOwn(RULE_FIELDS, type) ? RULE_FIELDS[type] : []);

const platforms = [
  ['facebook', 'Facebook'],
  ['instagram', 'Instagram'],
  ['x', 'X'],
  ['tiktok', 'TikTok'],
  ['pinterest', 'Pinterest'],
  ['youtube', 'YouTube'],
];

const limits = [
  ['once', 'Once'],
  ['per_day', 'Once a day'],
  ['per_week', 'Once a week'],
  ['per_month', 'Once a month'],
  ['per_year', 'Once a year'],
  ['unlimited', 'Every time'],
];

const combines = [
  ['add', 'Adds to the tier bonus'],
  ['multiply', 'Multiplies with the tier rate'],
  ['greater', 'Better of event and tier rate'],
];

function element(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'value') node.value = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== null));
  return node;
}

function labelled(text, control) {
  return element('label', {}, `${text} `, control);
}

/**
 * A select of [value, label] options with `chosen` selected. A value the list lacks gets an
 * option of its own, so the select never shows what the document does not say.
 */
function select(options, chosen, attrs) {
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

function removeButton(index, label) {
  return element(
    'button',
    { type: 'button', class: 'remove', 'data-remove': index, 'aria-label': label },
    '×',
  );
}

/** Sets `key`, or deletes it when `value` is the contract's default, so defaults stay implicit. */
function setOrDefault(object, key, value, fallback) {
  if (value === fallback || value === null || value === undefined) delete object[key];
  else object[key] = value;
}

/** A tier's or promotion's earning multiplier (1 when the document gives none). */
function multiplierField(path, multiplier) {
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

/** The reward row's "value" field depends on its type. */
function rewardValueField(reward, index, digits, language) {
  switch (reward.type) {
    case 'percent_off':
      return labelled(
        '% off',
        element('input', {
          type: 'number',
          min: 1,
          max: 100,
          step: 1,
          class: 'short',
          'data-field': 'percent',
          'data-path': `/rewards/${index}/percent`,
          value: reward.percent ?? '',
        }),
      );
    case 'free_product':
      return labelled(
        'Product',
        element('input', {
          type: 'text',
          'data-field': 'product',
          'data-path': `/rewards/${index}/product`,
          value: textOf(reward.product?.name, language),
          placeholder: fallbackOf(reward.product?.name),
        }),
      );
    case 'free_shipping':
      return element('span', { class: 'muted' }, 'No value needed');
    default:
      return labelled(
        'Amount',
        element('input', {
          type: 'number',
          min: 0,
          step: 1 / 10 ** digits,
          class: 'short',
          'data-field': 'amount',
          'data-path': `/rewards/${index}/amount`,
          value: toMajor(reward.amount, digits),
        }),
      );
  }
}

/** A pay-what-you-like reward's steps: points per step buy amount per step, within the bounds. */
function incrementalFields(incremental, index, digits) {
  const path = `/rewards/${index}/incremental`;
  const step = incremental.pointsPerStep;
  const number = (label, field, value, attrs = {}) =>
    labelled(
      label,
      element('input', {
        type: 'number',
        min: 1,
        step: 1,
        class: 'short',
        'data-field': field,
        'data-path': `${path}/${field}`,
        value,
        ...attrs,
      }),
    );
  return [
    number('Points per step', 'pointsPerStep', step ?? ''),
    number('Amount per step', 'amountPerStep', toMajor(incremental.amountPerStep, digits), {
      min: 0,
      step: 1 / 10 ** digits,
    }),
    // The minimum is one step unless set; no maximum (or 0) is no cap.
    number('Minimum points', 'minPoints', incremental.minPoints ?? step ?? '', { step }),
    number('Maximum points', 'maxPoints', incremental.maxPoints || '', {
      min: 0,
      step,
      placeholder: 'No cap',
    }),
  ];
}

function rewardRow(reward, index, digits, language) {
  const type = select(rewardTypes, reward.type, {
    'data-field': 'type',
    'data-path': `/rewards/${index}/type`,
  });
  const pricing = FLEXIBLE_TYPES.has(reward.type)
    ? labelled(
        'Pricing',
        select(pricings, reward.incremental ? 'flexible' : 'fixed', {
          'data-field': 'pricing',
          'data-path': `/rewards/${index}/incremental`,
        }),
      )
    : null;
  const cost =
    reward.incremental && typeof reward.incremental === 'object'
      ? incrementalFields(reward.incremental, index, digits)
      : [
          labelled(
            'Cost',
            element('input', {
              type: 'number',
              min: 1,
              step: 1,
              class: 'short',
              'data-field': 'cost',
              'data-path': `/rewards/${index}/cost`,
              value: reward.cost ?? '',
            }),
          ),
        ];
  return element(
    'div',
    { class: 'item', 'data-index': index, 'data-path': `/rewards/${index}` },
    labelled('Type', type),
    reward.incremental ? null : rewardValueField(reward, index, digits, language),
    pricing,
    ...cost,
    removeButton(index, `Remove reward ${index + 1}`),
  );
}

function tierRow(level, index, metric, digits, language) {
  const money = metric === 'amount_spent';
  return element(
    'div',
    { class: 'item', 'data-index': index, 'data-path': `/tiers/levels/${index}` },
    labelled(
      'Name',
      element('input', {
        type: 'text',
        'data-field': 'name',
        'data-path': `/tiers/levels/${index}/name`,
        value: textOf(level.name, language),
        placeholder: fallbackOf(level.name),
      }),
    ),
    labelled(
      money ? 'From (amount)' : 'From',
      element('input', {
        type: 'number',
        min: 0,
        step: money ? 1 / 10 ** digits : 1,
        class: 'short',
        'data-field': 'threshold',
        'data-path': `/tiers/levels/${index}/threshold`,
        value: money ? toMajor(level.threshold, digits) : (level.threshold ?? ''),
      }),
    ),
    multiplierField(`/tiers/levels/${index}`, level.multiplier),
    removeButton(index, `Remove tier ${index + 1}`),
  );
}

/** The input of one of a way to earn's own keys (RULE_FIELDS). */
function ruleField(rule, key, path) {
  const attrs = { 'data-field': key, 'data-path': `${path}/${key}` };
  switch (key) {
    case 'platform':
      return labelled('Platform', select(platforms, rule.platform, attrs));
    case 'limit':
      return labelled('How often', select(limits, rule.limit ?? 'once', attrs));
    case 'url':
      return labelled(
        'Link',
        element('input', { type: 'url', ...attrs, value: rule.url ?? '', placeholder: 'https://' }),
      );
    case 'waitDays':
      return labelled(
        'Wait after it is entered (days)',
        element('input', {
          type: 'number',
          min: 0,
          step: 1,
          class: 'short',
          ...attrs,
          value: rule.waitDays ?? 0,
        }),
      );
    default:
      // cooldownDays: without it, a birthday pays once per calendar year.
      return labelled(
        'Days between awards',
        element('input', {
          type: 'number',
          min: 1,
          step: 1,
          class: 'medium',
          ...attrs,
          value: rule.cooldownDays ?? '',
          placeholder: 'Once a year',
        }),
      );
  }
}

function ruleRow(rule, index) {
  const path = `/earning/${index}`;
  return element(
    'div',
    { class: 'item', 'data-index': index, 'data-path': path },
    labelled(
      'Type',
      select(ruleTypes, rule.type, { 'data-field': 'type', 'data-path': `${path}/type` }),
    ),
    labelled(
      'Points',
      element('input', {
        type: 'number',
        min: 1,
        step: 1,
        class: 'short',
        'data-field': 'points',
        'data-path': `${path}/points`,
        value: rule.points ?? '',
      }),
    ),
    ...ruleFields(rule.type).map((key) => ruleField(rule, key, path)),
    element(
      'label',
      { class: 'check' },
      element('input', {
        type: 'checkbox',
        'data-field': 'enabled',
        'data-path': `${path}/enabled`,
        checked: rule.enabled !== false,
      }),
      ' Enabled',
    ),
    removeButton(index, `Remove way to earn “${rule.id}”`),
  );
}

/** The rule as `type`: keeps what both types read, and gives the new type what it requires. */
function retyped(rule, type) {
  const { id, name, points, enabled } = rule;
  const next = { id, type, name, points, enabled };
  for (const key of ruleFields(type)) next[key] = rule[key];
  // A custom rule is shown to shoppers by its name; a social one needs its platform. The
  // placeholder name goes with the custom type, so the new type keeps its own wording.
  if (type === 'custom') next.name ??= NEW_RULE_NAME;
  else if (next.name === NEW_RULE_NAME) delete next.name;
  if (ruleFields(type).includes('platform')) next.platform ??= 'facebook';
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return next;
}

function promotionRow(promotion, index) {
  const path = `/promotions/${index}`;
  const instant = (label, key) =>
    labelled(
      label,
      element('input', {
        type: 'text',
        class: 'instant',
        spellcheck: 'false',
        'aria-describedby': 'promotions-hint',
        'data-field': key,
        'data-path': `${path}/${key}`,
        value: promotion[key] ?? '',
        placeholder: '2026-11-27T00:00:00-05:00',
      }),
    );
  return element(
    'div',
    { class: 'item', 'data-index': index, 'data-path': path },
    instant('Starts', 'starts'),
    instant('Ends', 'ends'),
    multiplierField(path, promotion.multiplier),
    labelled(
      'With tier bonuses',
      select(combines, promotion.combine ?? 'add', {
        'data-field': 'combine',
        'data-path': `${path}/combine`,
      }),
    ),
    labelled(
      'Bonus points',
      element('input', {
        type: 'number',
        min: 0,
        step: 1,
        class: 'short',
        'data-field': 'bonusPoints',
        'data-path': `${path}/bonusPoints`,
        value: promotion.bonusPoints ?? 0,
      }),
    ),
    removeButton(index, `Remove promotion “${promotion.id}”`),
    // Which rules it applies to is kept as it is; the form only says so.
    Array.isArray(promotion.rules)
      ? element(
          'p',
          { class: 'muted note', 'data-path': `${path}/rules` },
          `Only on the ways to earn: ${promotion.rules.join(', ')}`,
        )
      : null,
  );
}

/** `epochMs` down to the hour in `offset` ("-05:00"), as an RFC 3339 instant (Z with none). */
function hourInstant(epochMs, offset) {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(offset ?? '');
  const minutes = match
    ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]))
    : 0;
  const hour = 3600000;
  const local = new Date(Math.floor((epochMs + minutes * 60000) / hour) * hour);
  return `${local.toISOString().slice(0, 13)}:00:00${match ? offset : 'Z'}`;
}

/** Every merchant text the other fields do not show, as [JSON Pointer, label]. */
function otherTexts(program) {
  const texts = [];
  (program.earning ?? []).forEach((rule, i) => {
    if (rule?.name !== undefined || rule?.type === 'custom')
      texts.push([`/earning/${i}/name`, `Way to earn “${rule.id}”`]);
  });
  (program.rewards ?? []).forEach((reward, i) => {
    if (reward?.name !== undefined) texts.push([`/rewards/${i}/name`, `Reward “${reward.id}”`]);
  });
  (program.tiers?.levels ?? []).forEach((level, i) => {
    (Array.isArray(level?.perks) ? level.perks : []).forEach((perk, j) => {
      texts.push([`/tiers/levels/${i}/perks/${j}`, `Tier “${level.id}” perk ${j + 1}`]);
    });
  });
  if (program.referral) texts.push(['/referral/message', 'Referral message']);
  (program.promotions ?? []).forEach((promotion, i) => {
    texts.push([`/promotions/${i}/name`, `Promotion “${promotion?.id}”`]);
  });
  return texts;
}

const pointerParts = (pointer) =>
  pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));

/** The points name's extra plural forms for `language` (Latvian "zero"; none for English). */
function pluralFormFields(program, language) {
  const categories = new Intl.PluralRules(language)
    .resolvedOptions()
    .pluralCategories.filter((category) => category !== 'one' && category !== 'other');
  return categories.map((category) =>
    labelled(
      `Points (${category})`,
      element('input', {
        type: 'text',
        'data-form': category,
        'data-path': `/points/forms/${language}/${category}`,
        value: program.points?.forms?.[language]?.[category] ?? '',
        placeholder: textOf(program.points?.plural, language) || fallbackOf(program.points?.plural),
      }),
    ),
  );
}

function textsList(program, language) {
  return [
    ...pluralFormFields(program, language),
    ...otherTexts(program).map(([pointer, label]) => {
      const value = readPath(program, pointerParts(pointer));
      return labelled(
        label,
        element('input', {
          type: 'text',
          'data-text-path': pointer,
          'data-path': pointer,
          value: textOf(value, language),
          placeholder: fallbackOf(value),
        }),
      );
    }),
  ];
}

export function createProgramForm(form, onEdit) {
  let program = {};
  let language = 'en'; // the language whose texts the form shows and edits
  const $ = (id) => form.querySelector(`#${id}`);
  for (const [tag, name] of TEXT_LANGUAGES) {
    $('text-language').append(element('option', { value: tag, lang: tag }, name));
  }
  const digits = () => currencyDigits(program.currency);
  const orderRule = () => (program.earning ?? []).find((rule) => rule?.type === 'order');
  const signupRule = () => (program.earning ?? []).find((rule) => rule?.type === 'signup');

  function render(next, force = false) {
    program = next;
    for (const input of form.querySelectorAll('[data-bind]')) {
      if (input === document.activeElement) continue;
      const value = readPath(program, splitBinding(input.dataset.bind));
      input.value =
        input.type === 'color'
          ? /^#[0-9a-f]{6}$/i.test(value ?? '')
            ? value
            : '#5b3df5'
          : 'text' in input.dataset
            ? textOf(value, language)
            : (value ?? '');
      if ('text' in input.dataset) input.placeholder = fallbackOf(value);
    }
    const order = orderRule();
    $('order-rule').hidden = !order;
    $('order-rule-missing').hidden = Boolean(order);
    const index = (program.earning ?? []).indexOf(order);
    $('order-points').dataset.path = `/earning/${index}/points`;
    $('order-per').dataset.path = `/earning/${index}/per`;
    $('order-min').dataset.path = `/earning/${index}/minOrder`;
    $('order-currency').textContent = program.currency ?? '';
    setIfIdle($('order-points'), order?.points ?? '');
    setIfIdle($('order-per'), toMajor(order?.per, digits()));
    setIfIdle($('order-min'), toMajor(order?.minOrder ?? 0, digits()));
    $('order-rounding').dataset.path = `/earning/${index}/rounding`;
    $('order-refund-rounding').dataset.path = `/earning/${index}/refundRounding`;
    setIfIdle($('order-rounding'), order?.rounding ?? 'proportional');
    setIfIdle($('order-refund-rounding'), order?.refundRounding ?? 'taken_back');
    const signup = signupRule();
    $('signup-points').dataset.path = `/earning/${(program.earning ?? []).indexOf(signup)}/points`;
    setIfIdle($('signup-points'), signup?.points ?? 0);
    if (force || !form.querySelector('#rules').contains(document.activeElement)) {
      // Every other way to earn, each row at its index in `earning`.
      $('rules').replaceChildren(
        ...(program.earning ?? []).flatMap((rule, i) =>
          rule && typeof rule === 'object' && rule !== order && rule !== signup
            ? [ruleRow(rule, i)]
            : [],
        ),
      );
    }

    setIfIdle($('text-language'), language);
    if (force || !form.querySelector('#texts').contains(document.activeElement)) {
      $('texts').replaceChildren(...textsList(program, language));
    }
    if (force || !form.querySelector('#rewards').contains(document.activeElement)) {
      $('rewards').replaceChildren(
        ...(program.rewards ?? []).map((reward, i) => rewardRow(reward, i, digits(), language)),
      );
    }
    for (const [id, key] of REDEMPTION_CAPS) setIfIdle($(id), program.redemption?.[key] ?? '');
    const tiers = program.tiers ?? { levels: [] };
    setIfIdle($('tier-metric'), tiers.metric ?? 'points_earned');
    setIfIdle($('tier-window'), tiers.window ?? 'lifetime');
    $('tier-spend-label').hidden = tiers.metric !== 'amount_spent';
    setIfIdle($('tier-spend'), tiers.spendBasis ?? 'earn_basis');
    setIfIdle($('tier-entry'), tiers.entryPointsRepeat ?? 'once');
    $('tier-take-back').checked = tiers.entryPointsTakeBack === true;
    if (force || !form.querySelector('#tiers').contains(document.activeElement)) {
      $('tiers').replaceChildren(
        ...(tiers.levels ?? []).map((level, i) =>
          tierRow(level, i, tiers.metric, digits(), language),
        ),
      );
    }

    if (force || !form.querySelector('#promotions').contains(document.activeElement)) {
      $('promotions').replaceChildren(
        ...(program.promotions ?? []).flatMap((promotion, i) =>
          promotion && typeof promotion === 'object' ? [promotionRow(promotion, i)] : [],
        ),
      );
    }

    setIfIdle($('referral-advocate'), program.referral?.advocate?.points ?? '');
    const friend = program.referral?.friend ?? {};
    const friendIsAmount = friend.type === 'amount_off';
    setIfIdle($('referral-friend-type'), friendIsAmount ? 'amount_off' : 'percent_off');
    $('referral-friend-unit').textContent = friendIsAmount
      ? `Amount (${program.currency ?? ''})`
      : '% off';
    $('referral-friend').dataset.path = `/referral/friend/${friendIsAmount ? 'amount' : 'percent'}`;
    setIfIdle(
      $('referral-friend'),
      friendIsAmount ? toMajor(friend.amount, digits()) : (friend.percent ?? ''),
    );
    const expiry = program.expiry ?? { mode: 'none' };
    const unit = expiryUnit(expiry);
    setIfIdle($('expiry-mode'), expiry.mode ?? 'none');
    $('expiry-amount-label').hidden = !unit;
    $('expiry-period-label').hidden = !unit;
    $('expiry-activity-label').hidden = expiry.mode !== 'inactivity';
    if (unit) {
      const periods = EXPIRY_PERIODS[expiry.mode];
      if ($('expiry-period').dataset.mode !== expiry.mode) {
        $('expiry-period').replaceChildren(
          ...Object.entries(periods).map(([value, [label]]) => element('option', { value }, label)),
        );
        $('expiry-period').dataset.mode = expiry.mode;
      }
      setIfIdle($('expiry-period'), unit);
      $('expiry-unit').textContent = periods[unit][1];
      $('expiry-amount').min = unit === 'quarter' || unit === 'year' ? 0 : 1;
      $('expiry-amount').dataset.path = `/expiry/${expiryAmountKey(expiry)}`;
      setIfIdle($('expiry-amount'), expiry[expiryAmountKey(expiry)] ?? '');
      setIfIdle($('expiry-activity'), expiry.activity ?? 'any');
    }
    setIfIdle($('expiry-warning'), expiry.warningDays ?? '');
  }

  function setIfIdle(input, value) {
    if (input !== document.activeElement) input.value = value;
  }

  /** Applies the edited control to the document; returns true when something changed. */
  function apply(target) {
    if (target.dataset.bind) {
      const parts = splitBinding(target.dataset.bind);
      const previous = readPath(program, parts);
      const text = 'text' in target.dataset;
      writePath(program, parts, text ? withText(previous, target.value, language) : target.value);
      return true;
    }
    if (target.dataset.textPath) {
      const parts = pointerParts(target.dataset.textPath);
      const text = withText(readPath(program, parts), target.value, language);
      const parent = readPath(program, parts.slice(0, -1));
      // A perk with no text left leaves the list rather than leaving a hole in it.
      if (text === '' && Array.isArray(parent)) parent.splice(Number(parts.at(-1)), 1);
      else writePath(program, parts, text);
      return text === '' ? 'structure' : true;
    }
    if (target.dataset.form) {
      writePath(program, ['points', 'forms', language, target.dataset.form], target.value);
      const forms = program.points.forms;
      if (Object.keys(forms[language]).length === 0) delete forms[language];
      if (Object.keys(forms).length === 0) delete program.points.forms;
      return true;
    }
    const value = target.value;
    const order = orderRule();
    switch (target.id) {
      case 'order-points':
        if (order) order.points = numberOrNull(value);
        return Boolean(order);
      case 'order-per':
        if (order) order.per = toMinor(value, digits());
        return Boolean(order);
      case 'order-min':
        if (!order) return false;
        if (Number(value) > 0) order.minOrder = toMinor(value, digits());
        else delete order.minOrder;
        return true;
      case 'order-rounding':
      case 'order-refund-rounding': {
        if (!order) return false;
        const [key, fallback] =
          target.id === 'order-rounding'
            ? ['rounding', 'proportional']
            : ['refundRounding', 'taken_back'];
        // The default stays implicit, so untouched programs keep their exact JSON.
        if (value === fallback) delete order[key];
        else order[key] = value;
        return true;
      }
      case 'cap-share':
      case 'cap-per-order':
      case 'cap-minimum': {
        const key = REDEMPTION_CAPS.get(target.id);
        program.redemption ??= {};
        // Empty means no cap: the key leaves the document, and the object when it is empty.
        if (value === '') delete program.redemption[key];
        else program.redemption[key] = numberOrNull(value);
        if (Object.keys(program.redemption).length === 0) delete program.redemption;
        return true;
      }
      case 'signup-points': {
        program.earning ??= [];
        let signup = signupRule();
        if (!signup && Number(value) > 0)
          program.earning.unshift((signup = { id: 'signup', type: 'signup' }));
        if (signup && Number(value) > 0) signup.points = numberOrNull(value);
        else if (signup) program.earning.splice(program.earning.indexOf(signup), 1);
        return true;
      }
      case 'tier-spend':
      case 'tier-entry':
      case 'tier-take-back': {
        program.tiers ??= { metric: 'points_earned', window: 'lifetime', levels: [] };
        const [key, fallback, chosen] =
          target.id === 'tier-spend'
            ? ['spendBasis', 'earn_basis', value]
            : target.id === 'tier-entry'
              ? ['entryPointsRepeat', 'once', value]
              : ['entryPointsTakeBack', false, target.checked];
        // Defaults stay implicit, so untouched programs keep their exact JSON.
        if (chosen === fallback) delete program.tiers[key];
        else program.tiers[key] = chosen;
        return true;
      }
      case 'tier-metric':
      case 'tier-window':
        program.tiers ??= { metric: 'points_earned', window: 'lifetime', levels: [] };
        program.tiers[target.id === 'tier-metric' ? 'metric' : 'window'] = value;
        if (program.tiers.window === 'rolling') program.tiers.rollingDays ??= 365;
        else delete program.tiers.rollingDays;
        if (program.tiers.metric !== 'amount_spent') {
          delete program.tiers.spendBasis;
          delete program.tiers.spendNetOfRefunds;
        }
        return true;
      case 'referral-advocate':
        program.referral ??= {};
        program.referral.advocate = { points: numberOrNull(value) };
        return true;
      case 'referral-friend-type': {
        program.referral ??= {};
        const { minOrder } = program.referral.friend ?? {};
        program.referral.friend =
          value === 'amount_off'
            ? { type: value, amount: 500, minOrder }
            : { type: value, percent: 10, minOrder };
        return 'structure';
      }
      case 'referral-friend':
        program.referral ??= {};
        program.referral.friend ??= { type: 'percent_off' };
        if (program.referral.friend.type === 'amount_off') {
          program.referral.friend.amount = toMinor(value, digits());
        } else {
          program.referral.friend.percent = numberOrNull(value);
        }
        return true;
      case 'expiry-mode':
        program.expiry =
          value === 'none'
            ? { mode: 'none' }
            : value === 'lots'
              ? { mode: 'lots', months: 12, warningDays: program.expiry?.warningDays ?? 30 }
              : { mode: 'inactivity', days: 365, warningDays: program.expiry?.warningDays ?? 30 };
        return true;
      case 'expiry-amount':
        program.expiry[expiryAmountKey(program.expiry)] = numberOrNull(value);
        return true;
      case 'expiry-period': {
        const { mode, warningDays, activity } = program.expiry;
        const defaults = {
          days: { days: 365 },
          months: { months: 12 },
          month: { months: 12 },
          quarter: { period: 'quarter', periods: 1 },
          year: { period: 'year', periods: 1 },
        };
        program.expiry = { mode, ...defaults[value], activity, warningDays };
        for (const key of ['activity', 'warningDays'])
          if (program.expiry[key] === undefined) delete program.expiry[key];
        return true;
      }
      case 'expiry-activity':
        if (value === 'any') delete program.expiry.activity;
        else program.expiry.activity = value;
        return true;
      case 'expiry-warning':
        program.expiry ??= { mode: 'none' };
        if (value === '') delete program.expiry.warningDays;
        else program.expiry.warningDays = numberOrNull(value);
        return true;
      default:
        return applyListField(target);
    }
  }

  function applyListField(target) {
    const item = target.closest('.item');
    const field = target.dataset.field;
    if (!item || !field) return false;
    const index = Number(item.dataset.index);
    const list = item.parentElement.id;
    if (list === 'rules') return applyRuleField(program.earning[index], index, field, target);
    if (list === 'promotions') return applyPromotionField(program.promotions[index], field, target);
    if (list === 'rewards') {
      const reward = program.rewards[index];
      if (field === 'type') {
        const { id, name, cost, incremental, tiers, minOrder, couponDays } = reward;
        const type = target.value;
        // A pay-what-you-like reward stays one where it can; elsewhere it gets a fixed cost.
        const flexible = Boolean(incremental) && FLEXIBLE_TYPES.has(type);
        const fixedCost = cost ?? incremental?.minPoints ?? incremental?.pointsPerStep;
        const next = flexible
          ? { id, type, name, incremental, tiers, minOrder, couponDays }
          : { id, type, name, cost: fixedCost, tiers, minOrder, couponDays };
        if (type === 'percent_off') next.percent = 10;
        else if (type === 'free_product') next.product = { id: `sku-${id}`, name: 'Gift' };
        else if (type !== 'free_shipping' && !flexible) next.amount = 500;
        program.rewards[index] = next;
        return 'structure';
      }
      if (field === 'pricing') {
        if (target.value === 'flexible') {
          delete reward.cost;
          delete reward.amount;
          // 100 points per one unit of the currency, until the merchant says otherwise.
          reward.incremental = { pointsPerStep: 100, amountPerStep: 10 ** digits() };
        } else {
          const { pointsPerStep: step, amountPerStep, minPoints = step } = reward.incremental ?? {};
          delete reward.incremental;
          // Its smallest redemption becomes the fixed reward.
          reward.amount = (minPoints / step) * amountPerStep || 500;
          reward.cost = minPoints || 500;
        }
        return 'structure';
      }
      if (Object.hasOwn(INCREMENTAL_FIELDS, field) && reward.incremental) {
        INCREMENTAL_FIELDS[field](reward.incremental, target.value, digits());
        return true;
      }
      if (field === 'amount') reward.amount = toMinor(target.value, digits());
      else if (field === 'percent') reward.percent = numberOrNull(target.value);
      else if (field === 'cost') reward.cost = numberOrNull(target.value);
      else if (field === 'product')
        reward.product = {
          ...reward.product,
          name: withText(reward.product?.name, target.value, language),
        };
      return true;
    }
    const level = program.tiers.levels[index];
    if (field === 'name') level.name = withText(level.name, target.value, language);
    else if (field === 'threshold')
      level.threshold =
        program.tiers.metric === 'amount_spent'
          ? toMinor(target.value, digits())
          : numberOrNull(target.value);
    else if (field === 'multiplier') level.multiplier = Number(target.value);
    return true;
  }

  function applyRuleField(rule, index, field, target) {
    const value = target.value;
    if (field === 'type') {
      program.earning[index] = retyped(rule, value);
      return 'structure';
    }
    if (field === 'points') rule.points = numberOrNull(value);
    else if (field === 'enabled') setOrDefault(rule, 'enabled', target.checked, true);
    else if (field === 'platform') rule.platform = value;
    else if (field === 'url') setOrDefault(rule, 'url', value, '');
    else if (field === 'limit') setOrDefault(rule, 'limit', value, 'once');
    else if (field === 'waitDays') setOrDefault(rule, 'waitDays', numberOrNull(value) ?? 0, 0);
    // Empty means once per calendar year.
    else if (field === 'cooldownDays') setOrDefault(rule, 'cooldownDays', numberOrNull(value));
    return true;
  }

  function applyPromotionField(promotion, field, target) {
    const value = target.value;
    // The core reads the instants, offset and all; the form passes them on as typed.
    if (field === 'starts' || field === 'ends') promotion[field] = value;
    else if (field === 'multiplier')
      setOrDefault(promotion, 'multiplier', numberOrNull(value) ?? 1, 1);
    else if (field === 'combine') setOrDefault(promotion, 'combine', value, 'add');
    else if (field === 'bonusPoints')
      setOrDefault(promotion, 'bonusPoints', numberOrNull(value) ?? 0, 0);
    return true;
  }

  function uniqueId(prefix, list) {
    let n = list.length + 1;
    while (list.some((entry) => entry.id === `${prefix}${n}`)) n += 1;
    return `${prefix}${n}`;
  }

  form.addEventListener('input', (event) => {
    const changed = apply(event.target);
    if (changed === 'structure') render(program, true);
    if (changed) onEdit(program);
  });
  form.addEventListener('change', (event) => {
    if (event.target.id === 'text-language') language = event.target.value;
    if (event.target.tagName === 'SELECT') render(program, true);
  });
  form.addEventListener('click', (event) => {
    const remove = event.target.closest('[data-remove]');
    if (remove) {
      const list = {
        rewards: program.rewards,
        tiers: program.tiers?.levels,
        rules: program.earning,
        promotions: program.promotions,
      }[remove.closest('.list').id];
      list.splice(Number(remove.dataset.remove), 1);
      // No promotions is the default: the key leaves rather than staying as an empty list.
      if (program.promotions?.length === 0) delete program.promotions;
    } else if (event.target.id === 'add-rule') {
      program.earning ??= [];
      program.earning.push({ id: uniqueId('rule-', program.earning), type: 'review', points: 25 });
    } else if (event.target.id === 'add-promotion') {
      program.promotions ??= [];
      const starts = hourInstant(Date.now(), program.utcOffset);
      program.promotions.push({
        id: uniqueId('promotion-', program.promotions),
        name: 'New promotion',
        starts,
        ends: hourInstant(Date.parse(starts) + 7 * 24 * 3600000, program.utcOffset),
        multiplier: 2,
      });
    } else if (event.target.id === 'add-reward') {
      program.rewards ??= [];
      const top = Math.max(0, ...program.rewards.map((reward) => reward.cost ?? 0));
      program.rewards.push({
        id: uniqueId('reward-', program.rewards),
        type: 'amount_off',
        amount: 1000,
        cost: top + 500,
      });
    } else if (event.target.id === 'add-tier') {
      program.tiers ??= { metric: 'points_earned', window: 'lifetime', levels: [] };
      const top = Math.max(-1, ...program.tiers.levels.map((level) => level.threshold ?? 0));
      program.tiers.levels.push({
        id: uniqueId('tier-', program.tiers.levels),
        name: 'New tier',
        threshold: top < 0 ? 0 : top + 1000,
      });
    } else {
      return;
    }
    render(program, true);
    onEdit(program);
  });

  return { render };
}
