// Shared set-up for the demo's browser tests: Debian's Chromium through playwright-core
// (TOOLCHAIN.md), a page that records every console error, page error and CSP violation, and
// small helpers for the demo backend.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../browser/helpers.mjs';

export const baseUrl = process.env.DEMO_URL ?? 'http://127.0.0.1:8080';
export const artifacts = new URL('../artifacts/', import.meta.url).pathname;
mkdirSync(artifacts, { recursive: true });

export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'demo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 860 },
    reducedMotion: 'reduce',
    args: CHROMIUM_ARGS,
  });
  // Generous: the shared 2-core machines are often busy; nothing here measures speed.
  context.setDefaultTimeout(20000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const problems = [];
  const watch = (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${page.url()}: console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: page error: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    problems,
    page: context.pages()[0] ?? (await context.newPage()),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(artifacts, `demo-${name}.png`), animations: 'disabled' });
}

let previewSettings = null;
/** DEMO ONLY: this run's admin key, which demo/start hands to the merchant preview alone. */
export async function previewConfig() {
  if (!previewSettings) {
    const response = await fetch(`${baseUrl}/preview/config.json`);
    if (!response.ok) throw new Error(`/preview/config.json: HTTP ${response.status}`);
    previewSettings = await response.json();
  }
  return previewSettings;
}

/** A shopper token for a sample customer, as the storefront signs in (POST /demo/session). */
export async function tokenFor(customerId) {
  const response = await fetch(`${baseUrl}/demo/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ customerId }),
  });
  if (!response.ok) throw new Error(`/demo/session: HTTP ${response.status}`);
  return (await response.json()).token;
}

/** The backend's own view of a customer (CONTRACT.md: GET /v1/customer). */
export async function customerFromApi(customerId) {
  const response = await fetch(`${baseUrl}/v1/customer`, {
    headers: { Authorization: `Bearer ${await tokenFor(customerId)}` },
  });
  if (!response.ok) throw new Error(`/v1/customer: HTTP ${response.status}`);
  return response.json();
}

/** "1,250 points" → 1250 (en formatting). */
export function pointsIn(text) {
  return Number(text.replace(/[^\d]/g, ''));
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** axe-core's violations on the page, outside `exclude` (evaluated over CDP, so the CSP allows it). */
export async function accessibilityViolations(page, exclude = []) {
  await page.evaluate(axeSource);
  return page.evaluate(async (excluded) => {
    const result = await globalThis.axe.run({ exclude: excluded.map((selector) => [selector]) });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }));
  }, exclude);
}
