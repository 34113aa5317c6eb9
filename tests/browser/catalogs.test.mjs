// The message catalogs (web/locales) against CONTRACT.md: every key the core can emit is there,
// in every language, with the same placeholders as English.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('message catalogs', () => {
  test('CONTRACT.md lists the message keys', () => {
    assert.ok(contractKeys.length >= 35, `${contractKeys.length} keys read`);
    assert.ok(
      contractKeys.includes('reward.amountOff') && contractKeys.includes('redeem.notMember'),
    );
  });
  for (const name of ['en', 'zh-Hant', 'zh-Hans', 'lv']) {
    test(`${name} covers every contract key and matches English`, () => {
      const catalog = load(name);
      assert.deepEqual(
        contractKeys.filter((key) => !(key in catalog)),
        [],
      );
      assert.deepEqual(Object.keys(catalog).sort(), Object.keys(en).sort());
      for (const [key, text] of Object.entries(catalog)) {
        assert.equal(typeof text, 'string', key);
        assert.ok(text.trim().length > 0, `${name} ${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(en[key]), `${name} ${key}`);
      }
    });
  }
});
