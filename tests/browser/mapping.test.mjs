// The mapping option's JSON Pointer reader (web/src/mapping.js) on its own, in node.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyMapping, checkMapping, readPointer } from '../../web/src/mapping.js';

describe('readPointer', () => {
  const doc = { a: { 'b/c': 1, 'd~e': [10, 20] }, '': 'empty key' };
  test('walks objects and arrays, with ~1 and ~0 escapes', () => {
    assert.equal(readPointer(doc, '/a/b~1c'), 1);
    assert.equal(readPointer(doc, '/a/d~0e/1'), 20);
    assert.equal(readPointer(doc, 'a/b~1c'), 1, 'the leading slash is optional');
    assert.equal(readPointer(doc, '/'), doc);
  });
  test('absent paths are undefined, never a throw', () => {
    assert.equal(readPointer(doc, '/a/zzz/deeper'), undefined);
    assert.equal(readPointer(null, '/a'), undefined);
    assert.equal(readPointer(doc, '/a/b~1c/x'), undefined);
    assert.equal(readPointer(doc, '/a/toString'), undefined, 'inherited properties are not read');
  });
});

describe('applyMapping', () => {
  const answer = {
    data: { version: 1, name: 'Shop' },
    customer: { uid: 'c-9', points_balance: 420, tags: ['a'] },
  };
  test('a base subtree plus target pointers, creating objects and arrays', () => {
    const doc = applyMapping(
      {
        '': '/data',
        'summary/balance': '/customer/points_balance',
        'extra/list/0': '/customer/uid',
      },
      answer,
    );
    assert.deepEqual(doc, {
      version: 1,
      name: 'Shop',
      summary: { balance: 420 },
      extra: { list: ['c-9'] },
    });
    assert.equal(answer.data.summary, undefined, 'the answer itself is not changed');
  });
  test('constants and absent sources', () => {
    const doc = applyMapping(
      { id: '/customer/uid', status: { value: 'member' }, firstName: '/customer/first_name' },
      answer,
    );
    assert.deepEqual(doc, { version: 1, id: 'c-9', status: 'member' });
  });
  test('no rules: the answer as it is', () => {
    assert.equal(applyMapping(undefined, answer), answer);
    assert.equal(applyMapping({}, answer), answer);
  });
});

describe('checkMapping', () => {
  test('a valid mapping has no problems', () => {
    assert.deepEqual(
      checkMapping({
        paths: { customer: 'me' },
        customer: { id: '/uid', status: { value: 'member' } },
      }),
      [],
    );
  });
  test('each problem names its path', () => {
    assert.deepEqual(checkMapping([]), ['mapping: must be a JSON object']);
    assert.deepEqual(
      checkMapping({ customer: 5, orders: {}, program: { id: 7 }, paths: { program: 1 } }),
      [
        '/customer: must be an object of "target pointer": "source pointer"',
        '/orders: unknown section (use "paths", "program" or "customer")',
        '/program/id: must be a JSON Pointer string or {"value": ...}',
        '/paths/program: must be a URL path string',
      ],
    );
  });
});
