// The message catalogs (web/locales) against CONTRACT.md and English: every key the core can
// emit is there, in every language, with the same placeholders as English, and every plural
// gives each category Intl.PluralRules has for that language.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repo } from './helpers.mjs';

const contract = readFileSync(join(repo, 'include/loyalty/CONTRACT.md'), 'utf8');
const table = contract.slice(
  contract.indexOf('### Message keys'),
  contract.indexOf('## Backend HTTP API'),
);
const contractKeys = [...table.matchAll(/^\| (.+?) \|/gm)]
  .flatMap((row) => [...row[1].matchAll(/`([a-zA-Z.]+)`/g)].map((match) => match[1]))
  .filter((key) => key !== 'key');
const load = (name) => JSON.parse(readFileSync(join(repo, 'web/locales', `${name}.json`), 'utf8'));
const en = load('en');
const catalogNames = readdirSync(join(repo, 'web/locales'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length));

/**
 * A message's parts: plain `{name}` placeholders and ICU plurals `{name, plural, one {…} …}`,
 * nested ones included. Throws on unbalanced braces.
 */
function parse(text) {
  const placeholders = new Set();
  const plurals = [];
  const walk = (part) => {
    let at = 0;
    while (at < part.length) {
      const open = part.indexOf('{', at);
      if (open < 0) {
        assert.ok(!part.slice(at).includes('}'), `stray "}" in ${text}`);
        return;
      }
      let depth = 0;
      let close = -1;
      for (let i = open; i < part.length; i += 1) {
        if (part[i] === '{') depth += 1;
        else if (part[i] === '}' && --depth === 0) {
          close = i;
          break;
        }
      }
      assert.ok(close > 0, `unbalanced "{" in ${text}`);
      const body = part.slice(open + 1, close);
      const plural = /^(\w+), plural, ([\s\S]*)$/.exec(body);
      if (plural) {
        placeholders.add(plural[1]);
        const options = [...plural[2].matchAll(/(=\d+|\w+) \{/g)];
        const categories = [];
        let rest = plural[2];
        // Each option is `selector {text}`; its text may hold nested placeholders.
        for (;;) {
          const option = /^\s*(=\d+|\w+) \{/.exec(rest);
          if (!option) break;
          let level = 0;
          let end = -1;
          for (let i = option[0].length - 1; i < rest.length; i += 1) {
            if (rest[i] === '{') level += 1;
            else if (rest[i] === '}' && --level === 0) {
              end = i;
              break;
            }
          }
          assert.ok(end > 0, `unbalanced plural option in ${text}`);
          categories.push(option[1]);
          walk(rest.slice(option[0].length, end));
          rest = rest.slice(end + 1);
        }
        assert.equal(rest.trim(), '', `unreadable plural options in ${text}`);
        assert.ok(options.length >= 1, `a plural without options in ${text}`);
        plurals.push({ name: plural[1], categories });
      } else {
        assert.match(body, /^\w+$/, `"{${body}}" is not a placeholder in ${text}`);
        placeholders.add(body);
      }
      at = close + 1;
    }
  };
  walk(text);
  return { placeholders: [...placeholders].sort(), plurals };
}

describe('message catalogs', () => {
  test('CONTRACT.md lists the message keys', () => {
    assert.ok(contractKeys.length >= 35, `${contractKeys.length} keys read`);
    assert.ok(
      contractKeys.includes('reward.amountOff') && contractKeys.includes('redeem.notMember'),
    );
  });

  test('the catalogs the issue asks for are there, one of them right-to-left', () => {
    for (const name of ['de', 'fr', 'es', 'it', 'nl', 'pt-BR', 'ja', 'ko', 'ar', 'zh-Hant', 'lv']) {
      assert.ok(catalogNames.includes(name), name);
    }
  });

  test('the parser reads plurals and nested placeholders', () => {
    const { placeholders, plurals } = parse(
      '{points, plural, one {{points} expires on {date}} other {# expire}}',
    );
    assert.deepEqual(placeholders, ['date', 'points']);
    assert.deepEqual(plurals, [{ name: 'points', categories: ['one', 'other'] }]);
    assert.throws(() => parse('{points, plural, one {a} other {b}'));
  });

  for (const name of catalogNames) {
    test(`${name} covers every key and placeholder of English and its plural categories`, () => {
      const catalog = load(name);
      const categories = new Intl.PluralRules(name).resolvedOptions().pluralCategories;
      assert.deepEqual(
        contractKeys.filter((key) => !(key in catalog)),
        [],
      );
      assert.deepEqual(Object.keys(catalog).sort(), Object.keys(en).sort());
      for (const [key, text] of Object.entries(catalog)) {
        assert.equal(typeof text, 'string', key);
        assert.ok(text.trim().length > 0, `${name} ${key} is empty`);
        const own = parse(text);
        assert.deepEqual(own.placeholders, parse(en[key]).placeholders, `${name} ${key}`);
        for (const plural of own.plurals) {
          const missing = categories.filter((category) => !plural.categories.includes(category));
          assert.deepEqual(missing, [], `${name} ${key}: {${plural.name}} lacks ${missing}`);
          const foreign = plural.categories.filter(
            (category) => !category.startsWith('=') && !categories.includes(category),
          );
          assert.deepEqual(foreign, [], `${name} ${key}: {${plural.name}} has ${foreign}`);
        }
      }
    });
  }

  // Counted nouns (`# orders`) change with the number in every language with plural forms;
  // a verb's agreement (English "expires"/"expire") may not, so only counts are checked.
  test('a count English pluralises is pluralised wherever the language has plural forms', () => {
    const pluralised = Object.keys(en).filter(
      (key) => parse(en[key]).plurals.length > 0 && en[key].includes('#'),
    );
    assert.ok(pluralised.length >= 3, pluralised.join());
    for (const name of catalogNames) {
      const categories = new Intl.PluralRules(name).resolvedOptions().pluralCategories;
      if (categories.length === 1) continue; // ja, ko, zh: one form for every number
      for (const key of pluralised) {
        assert.ok(parse(load(name)[key]).plurals.length > 0, `${name} ${key} is not pluralised`);
      }
    }
  });
});
