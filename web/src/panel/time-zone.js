// The offsets of the program's IANA time zone, for the core's context (CONTRACT.md, "Context",
// `timeZone`). The core holds no time-zone database: the browser's Intl has one.

const DAY_MS = 86_400_000;
// Two offset changes of one zone are more than four weeks apart (the shortest, Morocco's
// Ramadan hour, lasts a month), so sampling every four weeks sees each of them; each one found is
// then narrowed down to the second.
const STEP_MS = 28 * DAY_MS;
const MAX_YEARS = 60;
const made = new Map();

/** Minutes east of UTC from Intl's "GMT", "GMT+05:30" or "GMT-07:52:58" (seconds dropped). */
function minutesOf(text) {
  const match = /GMT([+-])(\d{1,2})(?::?(\d{2}))?/.exec(text);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** "+hh:mm" / "-hh:mm". */
function offsetText(minutes) {
  const magnitude = Math.abs(minutes);
  const pad = (value) => String(value).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(magnitude / 60))}:${pad(magnitude % 60)}`;
}

/** RFC 3339 in UTC, whole seconds. */
const instantText = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function offsetsBetween(name, fromMs, toMs) {
  let format;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
  } catch {
    return null; // a zone this browser does not know: the core falls back to utcOffset, and says so
  }
  // format() and a match cost a third of formatToParts().
  const offsetAt = (ms) => minutesOf(format.format(ms));
  const first = offsetAt(fromMs);
  const changes = [];
  let previous = first;
  for (let at = fromMs; at < toMs; at += STEP_MS) {
    const next = Math.min(at + STEP_MS, toMs);
    const offset = offsetAt(next);
    if (offset === previous) continue;
    // The change lies in (at, next]: halve the span down to one second.
    let before = at;
    let after = next;
    while (after - before > 1000) {
      const middle = before + Math.floor((after - before) / 2000) * 1000;
      if (offsetAt(middle) === previous) before = middle;
      else after = middle;
    }
    changes.push({ at: instantText(after), offset: offsetText(offsetAt(after)) });
    previous = offset;
  }
  return { name, offset: offsetText(first), changes };
}

/** The earliest `at` of a customer document's ledger, in ms; NaN when there is none. */
function firstEntryMs(customer) {
  const ledger = Array.isArray(customer?.ledger) ? customer.ledger : [];
  let earliest = NaN;
  for (const entry of ledger) {
    const ms = Date.parse(entry?.at);
    if (ms < earliest || (Number.isNaN(earliest) && !Number.isNaN(ms))) earliest = ms;
  }
  return earliest;
}

/**
 * The context's `timeZone` for `program` and `customer` at `nowMs`: every change from January 1
 * of the year before the ledger's first entry (or before now) to ten years past now. Null when
 * the program names no zone or the browser does not know it. Made once per zone and span.
 */
export function contextTimeZone(program, customer, nowMs = Date.now()) {
  const name = program?.timeZone;
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return null;
  const nowYear = new Date(nowMs).getUTCFullYear();
  const firstMs = firstEntryMs(customer);
  const firstYear = Number.isNaN(firstMs) ? nowYear : new Date(firstMs).getUTCFullYear();
  const fromYear = Math.max(Math.min(firstYear, nowYear) - 1, nowYear - MAX_YEARS);
  const toYear = nowYear + 10;
  const key = `${name}\n${fromYear}\n${toYear}`;
  if (!made.has(key))
    made.set(key, offsetsBetween(name, Date.UTC(fromYear, 0, 1), Date.UTC(toYear, 0, 1)));
  return made.get(key);
}
