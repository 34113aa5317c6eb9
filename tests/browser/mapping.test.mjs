// The mapping option's JSON Pointer reader (web/src/mapping.js) on its own, in node.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyMapping,
  checkMapping,
  checkNesting,
  MAX_DEPTH,
  NestingError,
  nestingProblem,
  readPointer,
} from '../../web/src/mapping.js';

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

describe('the nesting limit', () => {
  const arrays = (levels) => JSON.parse('['.repeat(levels) + ']'.repeat(levels));
  const message = ': nested deeper than 64 levels, the most any JSON input may have';
  test('64 levels pass, the 65th is named by its path', () => {
    assert.equal(MAX_DEPTH, 64);
    assert.equal(nestingProblem(arrays(64)), '');
    assert.equal(nestingProblem(arrays(65)), '/0'.repeat(64) + message);
    assert.equal(
      nestingProblem({ 'a/b': [1, { '~': arrays(62) }] }),
      `/a~1b/1/~0${'/0'.repeat(61)}${message}`,
    );
  });
  test('of two values too deep, the first in document order is named', () => {
    assert.equal(
      nestingProblem({ a: [1, 2], b: arrays(64), c: arrays(64) }),
      `/b${'/0'.repeat(63)}${message}`,
    );
  });
  test('100,000 levels are checked without recursion', () => {
    assert.equal(nestingProblem(arrays(100000)), '/0'.repeat(64) + message);
  });
  test('checkMapping: the deepest constant allowed, then one level more, then 100,000', () => {
    // Root 1, customer 2, nickname 3, value 4: 61 arrays reach level 64.
    const mapping = (levels) => ({ customer: { nickname: { value: arrays(levels) } } });
    assert.deepEqual(checkMapping(mapping(61)), []);
    assert.deepEqual(checkMapping(mapping(62)), [
      `/customer/nickname/value${'/0'.repeat(61)}${message}`,
    ]);
    const huge = JSON.parse(`{"program": {"x": {"value": ${'['.repeat(1e5)}${']'.repeat(1e5)}}}}`);
    assert.deepEqual(checkMapping(huge), [`/program/x/value${'/0'.repeat(61)}${message}`]);
  });
  test('checkNesting: a backend answer too deep is a NestingError of its document kind', () => {
    const answer = { data: { deep: arrays(100000) } };
    assert.throws(
      () => checkNesting('program', answer),
      (error) =>
        error instanceof NestingError &&
        error.kind === 'program' &&
        error.details[0] === `/data/deep${'/0'.repeat(62)}${message}`,
    );
    const deepest = { data: { deep: arrays(62) } };
    assert.equal(checkNesting('program', deepest), deepest);
  });
});
