// The benchmark documents shared by the native core_bench, tests/bench/wasm-bench.mjs and
// tests/bench/web-perf.mjs, so the wasm and native figures are taken on the same text.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const NOW_EPOCH = 1795446000; // 2026-11-23T15:00:00Z, the benchmark contexts' now
const instant = (epoch) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');

/** The raw string literal `constexpr const char* <name> = R"(...)";` of core_bench.cpp, or null. */
export function coreBenchLiteral(name) {
  const source = readFileSync(join(here, 'core_bench.cpp'), 'utf8');
  return source.match(new RegExp(`${name} =\\s*R"\\(([\\s\\S]*?)\\)";`))?.[1] ?? null;
}

/**
 * A member with `count` ledger entries over two years: the recipe of customer_text() in
 * core_bench.cpp (orders, partial refunds, reviews, $5-off redemptions). Its ids (r5, review)
 * exist in both core_bench's program and demo/programs/full.
 */
export function customerText(count) {
  const span = 2 * 365 * 86400;
  const step = Math.trunc(span / count);
  const start = NOW_EPOCH - span;
  const ledger = [];
  for (let i = 0; i < count; i += 1) {
    const id = `e${i}`;
    const at = instant(start + step * i);
    if (i % 20 === 19) {
      ledger.push({ id, type: 'redeem', at, rewardId: 'r5', points: 500, code: `C${i}` });
    } else if (i % 10 === 4) {
      ledger.push({ id, type: 'earn', at, ruleId: 'review', points: 50 });
    } else if (i % 25 === 13) {
      ledger.push({ id, type: 'order_refunded', at, orderId: `o${i - 1}`, amount: 1000 });
    } else {
      const amounts = { subtotal: 2000 + (i % 7) * 500, discount: 0, shipping: 500, tax: 0 };
      ledger.push({ id, type: 'order_placed', at, orderId: `o${i}`, amounts });
    }
  }
  return JSON.stringify({
    version: 1,
    id: 'c-1001',
    firstName: 'Ada',
    status: 'member',
    referralCode: 'ADA-7Q2',
    joinedAt: instant(start - 86400),
    ledger,
  });
}
