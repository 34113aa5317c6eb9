// The Program, Look and labels and More texts fieldsets: fields bound to a document path
// (data-bind), and every merchant text the other sections do not show, in the chosen language.
import {
  element,
  fallbackOf,
  labelled,
  pointerParts,
  readPath,
  setIfIdle,
  redrawList,
  splitBinding,
  textOf,
  withText,
  writePath,
} from './form-fields.js';

/** The languages the demo offers; the form edits every merchant text in one of them at a time. */
export const TEXT_LANGUAGES = [
  ['en', 'English'],
  ['zh-Hant', '繁體中文'],
  ['zh-Hans', '简体中文'],
  ['lv', 'Latviešu'],
];

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

export const programSection = {
  setup({ $ }) {
    for (const [tag, name] of TEXT_LANGUAGES) {
      $('text-language').append(element('option', { value: tag, lang: tag }, name));
    }
    // The browser's own zone names, as suggestions: the core checks what is typed.
    const zones = Intl.supportedValuesOf?.('timeZone') ?? [];
    $('time-zones').append(...zones.map((zone) => element('option', { value: zone })));
  },

  render({ form, program, language, $ }, force) {
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
    setIfIdle($('text-language'), language);
    redrawList($('texts'), force, () => textsList(program, language));
  },

  apply({ program, language }, target) {
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
    return undefined;
  },
};
