// The launcher's time-zone offsets (web/src/panel/time-zone.js) from the runtime's Intl: the
// changes tzdata has for a northern and a southern zone, the span they cover, and no offsets
// for a zone the runtime does not know.
//
//   node --test tests/node/time-zone.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextTimeZone } from '../../web/src/panel/time-zone.js';

const within = (zone, from, to) => zone.changes.filter((c) => c.at >= from && c.at < to);
const now = Date.parse('2025-06-01T12:00:00Z');

test('Los Angeles: spring forward in March, fall back in November', () => {
  const zone = contextTimeZone({ timeZone: 'America/Los_Angeles' }, null, now);
  assert.equal(zone.name, 'America/Los_Angeles');
  assert.equal(zone.offset, '-08:00');
  assert.deepEqual(within(zone, '2025', '2027'), [
    { at: '2025-03-09T10:00:00Z', offset: '-07:00' },
    { at: '2025-11-02T09:00:00Z', offset: '-08:00' },
    { at: '2026-03-08T10:00:00Z', offset: '-07:00' },
    { at: '2026-11-01T09:00:00Z', offset: '-08:00' },
  ]);
});

test('Sydney: fall back in April, spring forward in October', () => {
  const zone = contextTimeZone({ timeZone: 'Australia/Sydney' }, { ledger: [] }, now);
  assert.equal(zone.offset, '+11:00'); // January 1 of last year is summer
  assert.deepEqual(within(zone, '2025', '2026'), [
    { at: '2025-04-05T16:00:00Z', offset: '+10:00' },
    { at: '2025-10-04T16:00:00Z', offset: '+11:00' },
  ]);
});

test('the span runs from the year before the first ledger entry to ten years past now', () => {
  const customer = { ledger: [{ at: '2021-07-04T12:00:00-04:00' }, { at: 'not a date' }] };
  const zone = contextTimeZone({ timeZone: 'America/New_York' }, customer, now);
  assert.equal(zone.changes[0].at, '2020-03-08T07:00:00Z');
  assert.ok(zone.changes.at(-1).at.startsWith('2034-11'), zone.changes.at(-1).at);
  for (let i = 1; i < zone.changes.length; i += 1)
    assert.ok(zone.changes[i].at > zone.changes[i - 1].at);
});

test('zones without daylight saving have no changes; unknown zones and no zone give null', () => {
  assert.deepEqual(contextTimeZone({ timeZone: 'Asia/Kolkata' }, null, now), {
    name: 'Asia/Kolkata',
    offset: '+05:30',
    changes: [],
  });
  assert.equal(contextTimeZone({ timeZone: 'Nowhere/Land' }, null, now), null);
  assert.equal(contextTimeZone({ utcOffset: '+01:00' }, null, now), null);
  assert.equal(contextTimeZone({ timeZone: 'x'.repeat(65) }, null, now), null);
});
