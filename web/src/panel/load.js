// Getting a view: the documents (static, cached or fetched), the wasm core, and the core's view
// of them. Everything here reports to the controller as state patches {view, failure, ...}; it
// draws nothing itself.
import { createBackend } from '../backend.js';
import { forgetBadge } from '../badge-cache.js';
import { loadCoreClient } from '../core.js';
import { chosenLocale, hasCatalog, intlLocale, loadCatalog } from '../i18n.js';
import { createArrivalStore } from './arrival.js';
import { checkMapping, nestingProblem } from '../mapping.js';
import { describe } from './errors.js';
import { formatterFor } from './formatter.js';
import { contextTimeZone } from './time-zone.js';
// The idle-time load (panel code, core, view, drawing) runs as several short tasks.
import { yieldToMain } from './tasks.js';

const GUEST = { version: 1, id: 'guest', status: 'guest' };
/** A load slower than this says it is still trying (the shopper hears within 3 s). */
export const SLOW_LOAD_MS = 2500;

/** RFC 3339 without milliseconds, in UTC. */
const nowInstant = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** The locale a view is made for: the element's attribute, the context, the page, the browser. */
export function currentLocale(host, context) {
  return chosenLocale(host, context?.locale);
}

/** The settings that decide which backend (and shopper) the documents come from. */
const backendSignature = (host) =>
  [host.api, host.customerId, host.customerToken, host.getAttribute('mapping') ?? ''].join('\n');

/**
 * The loader for one launcher. `data` holds the documents given as properties; `coreUrl` is
 * where loyalty-core.js lives, `workerUrl` loyalty-core-worker.js (the core runs there when the
 * page allows a worker: core.js loadCoreClient).
 */
export function createLoader({ host, data, coreUrl, workerUrl }) {
  let core = null; // every operation returns a promise (worker or main thread)
  let coreThread = null; // 'worker' | 'main'
  let computing = 0; // the newest compute(); an older one that ends later changes nothing
  const intlWarmed = new Set(); // locale and currency pairs the worker has formatted once
  let backend = null;
  let signature = null;
  let docs = { program: null, customer: null };
  let staticMode = false;
  let lastInputs = ''; // the inputs of the current view, without `now`
  let view = null; // the current view (the controller's state.view)
  let friendWords = ''; // the friend's reward as worded for the current view's locale
  let viewTexts = null; // [program, customer, context] texts of the current view
  let warmed = false;
  let arrivals = null; // where the referral link a visitor came through is kept
  let arrival = null; // {code, advocateFirstName, coupon?}: who sent this visitor
  const lookedUp = new Set(); // referral codes asked about on this page
  let generation = 0;
  let destroyed = false;

  function readStatic(name) {
    let doc = data[name];
    if (!doc) {
      const script = host.querySelector(
        `:scope > script[type="application/json"][data-loyalty="${name}"]`,
      );
      if (!script) return null;
      try {
        doc = JSON.parse(script.textContent);
      } catch {
        return { error: `${name}: the <script data-loyalty="${name}"> is not valid JSON` };
      }
    }
    // Before JSON.stringify (recursive) meets it in compute().
    const tooDeep = nestingProblem(doc);
    if (tooDeep) return { error: `${name} ${tooDeep}`, kind: name };
    return { doc };
  }

  /** The friend's reward in the view's language, or '' (none, or its catalog not loaded yet). */
  function wordFriendReward(forView) {
    const message = forView?.referral?.friendReward;
    if (!message || !hasCatalog(forView.locale)) return '';
    return formatterFor(forView).message(message);
  }

  /**
   * Runs the core over the current documents. Resolves to a patch: {} when nothing changed (or a
   * newer compute() overtook this one), else {view, failure} (failure null) or {failure} (the
   * last good view stays).
   */
  async function compute() {
    const mine = ++computing;
    let patch = await computeOnce(mine);
    // A kept arrival the core refuses (storage edited, an odd backend answer) is dropped, not
    // allowed to break the launcher.
    const refused = patch.failure?.details?.some((line) => line.startsWith('/referredBy'));
    if (arrival && patch.failure?.kind === 'context' && refused) {
      arrival = null;
      arrivals?.forget();
      patch = await computeOnce(mine);
    }
    if (core?.broken()) core = null; // the worker died: the next load starts the core again
    return patch;
  }

  async function computeOnce(mine) {
    if (!core) return {};
    const program = readStatic('program');
    const customer = readStatic('customer');
    const context = readStatic('context');
    staticMode = Boolean(program);
    const staticError = [program, customer, context].find((entry) => entry?.error);
    if (staticError) {
      return { failure: { kind: staticError.kind ?? 'program', details: [staticError.error] } };
    }
    const programDoc = program?.doc ?? docs.program;
    if (!programDoc) return {};
    const customerDoc = staticMode ? (customer?.doc ?? GUEST) : (docs.customer ?? GUEST);
    const referredBy =
      arrival && !staticMode
        ? { referredBy: { code: arrival.code, advocateFirstName: arrival.advocateFirstName } }
        : {};
    const timeZone = contextTimeZone(programDoc, customerDoc);
    const contextDoc = {
      version: 1,
      now: nowInstant(),
      pageUrl: location.href,
      ...referredBy,
      ...(timeZone ? { timeZone } : {}),
      ...(context?.doc ?? {}),
    };
    contextDoc.locale = currentLocale(host, context?.doc);
    const programText = JSON.stringify(programDoc);
    const customerText = JSON.stringify(customerDoc);
    // Before the view (the worker answers in order): the panel's Intl formats for this view.
    const intlTag = intlLocale(contextDoc.locale);
    const currency = String(programDoc?.currency ?? '');
    if (!intlWarmed.has(`${intlTag} ${currency}`)) {
      intlWarmed.add(`${intlTag} ${currency}`);
      core.warmIntl(intlTag, currency).catch(() => {});
    }
    const viewFor = async (words) => {
      const contextText = JSON.stringify(
        words ? { ...contextDoc, friendRewardText: words } : contextDoc,
      );
      // `now` moves every second; the rest decides whether the view can change.
      const inputs = `${programText}\n${customerText}\n${contextText.replace(/"now":"[^"]*"/, '')}`;
      if (inputs === lastInputs && view) return { inputs, unchanged: true };
      try {
        const text = await core.viewJson(programText, customerText, contextText);
        if (mine !== computing) return { unchanged: true, overtaken: true };
        return { inputs, result: JSON.parse(text) };
      } catch (error) {
        if (mine !== computing) return { unchanged: true, overtaken: true };
        return { failure: { kind: 'core', details: [String(error?.message ?? error)] } };
      }
    };
    let answer = await viewFor(friendWords);
    // The share message and URLs need the friend's reward in the shopper's words: when they
    // differ from the ones given, the core fills in the new ones (once per program and locale).
    const words = answer.result?.ok ? wordFriendReward(answer.result.view) : '';
    if (words && words !== friendWords) {
      friendWords = words;
      answer = await viewFor(friendWords);
    }
    if (answer.failure) return { failure: answer.failure };
    if (answer.unchanged) return {};
    const { result } = answer;
    if (result?.ok && result.view) {
      view = result.view;
      lastInputs = answer.inputs;
      viewTexts = [programText, customerText, JSON.stringify(contextDoc)];
      if (!staticMode) {
        backend?.remember('program', docs.program);
        if (docs.customer) backend?.remember('customer', docs.customer);
      }
      return { view, failure: null };
    }
    const errors = Array.isArray(result?.errors) ? result.errors : [];
    const source = errors[0]?.source;
    lastInputs = '';
    return {
      failure: {
        kind: ['program', 'customer', 'context'].includes(source) ? source : 'program',
        details: errors.slice(0, 6).map((error) => `${error.path || '/'}: ${error.message}`),
      },
    };
  }

  async function ensureCore() {
    if (!core) {
      const mode = host.coreWorker ?? 'auto';
      ({ core, thread: coreThread } = await loadCoreClient({ coreUrl, workerUrl, mode }));
    }
    return core;
  }

  /**
   * On the main thread the wasm compiles each function on its first call, so the first view
   * would be one long task. Validating the program, then computing its guest view (results
   * unused), compiles most of the core first in two shorter tasks. A worker needs none of it.
   */
  async function warmCore(programDoc) {
    if (warmed || !core || !programDoc || coreThread !== 'main') return;
    warmed = true;
    const programText = JSON.stringify(programDoc);
    const contextText = JSON.stringify({ version: 1, now: nowInstant(), locale: 'en' });
    try {
      await core.validateProgramJson(programText);
      await yieldToMain();
      await core.viewJson(programText, JSON.stringify(GUEST), contextText);
    } catch {
      /* compute() reports a core that fails */
    }
    await yieldToMain();
  }

  /**
   * A new backend when its settings changed. Returns null when they did not, {failure} for a bad
   * mapping, else {view: null}: the last shopper's view goes with their backend.
   */
  function configure() {
    const mappingText = host.getAttribute('mapping') ?? '';
    const next = backendSignature(host);
    if (next === signature && backend) return null;
    signature = next;
    let mapping = null;
    if (mappingText) {
      try {
        mapping = JSON.parse(mappingText);
      } catch {
        return { failure: { kind: 'mapping', details: ['mapping: not valid JSON'] } };
      }
      const problems = checkMapping(mapping);
      if (problems.length) return { failure: { kind: 'mapping', details: problems } };
    }
    backend = host.api
      ? createBackend({
          api: host.api,
          customerId: host.customerId,
          token: host.customerToken,
          mapping,
          timeoutMs: host.timeout,
        })
      : null;
    docs = { program: null, customer: null };
    view = null;
    lastInputs = '';
    arrivals = host.api ? createArrivalStore(host.api) : null;
    arrival = arrivals?.read() ?? null;
    return { view: null, failure: null, signedOut: false };
  }

  /**
   * A page reached through a referral link: asks the backend who sent the visitor (once per
   * code and page), then computes the view again with the answer. The view of `patch` is
   * reported first, so the panel never waits for this. Resolves with the final patch.
   */
  async function lookUpArrival(patch, report, current) {
    const code = view?.referralCodeInPage;
    if (!code || !backend || staticMode || arrival?.code === code || lookedUp.has(code)) {
      return patch;
    }
    lookedUp.add(code);
    report(patch);
    try {
      const found = await backend.lookupReferral(code);
      if (!current() || typeof found?.advocateFirstName !== 'string') return patch;
      const kept = arrival;
      arrival = { code, advocateFirstName: found.advocateFirstName, coupon: null };
      const next = { ...patch, ...(await compute()) };
      // Kept for later pages only when the core offers it (not to the advocate themself).
      if (view?.friendOffer?.code === code) arrivals?.write(arrival);
      else arrival = kept;
      return next;
    } catch {
      return patch; // an unknown code, or no answer: no greeting, nothing else changes
    }
  }

  /**
   * The shopper's token was refused: nothing of theirs stays, in memory or in storage, and the
   * view becomes the guest's. Returns the patch for the signed-out state.
   */
  async function signOut(failure) {
    backend?.forget('customer');
    forgetBadge(host.customerId);
    docs.customer = null;
    lastInputs = '';
    return { ...(await compute()), failure, signedOut: true };
  }

  /**
   * Loads everything again and reports each step as a patch: a cached view first when there is
   * one, {retrying: true} when the server is slow or a request is tried again, then the fresh
   * view, the signed-out guest view (a refused token) or the failure. Resolves with the final patch, or null when a newer load or destroy() overtook it.
   */
  async function refresh(report) {
    const mine = ++generation;
    const current = () => mine === generation && !destroyed;
    const settle = async (patch) => {
      // The catalog before the view is drawn (and its friend reward worded).
      await loadCatalog(patch.view?.locale ?? view?.locale ?? currentLocale(host, null));
      if (!current()) return null;
      return { loading: false, retrying: false, ...patch };
    };
    try {
      await ensureCore();
    } catch (error) {
      if (!current()) return null;
      return settle({ failure: { kind: 'core', details: [String(error?.message ?? error)] } });
    }
    await yieldToMain(); // the core's start-up had its own task; the view gets the next
    if (!current()) return null;
    const configured = configure();
    if (configured?.failure) return settle({ failure: configured.failure, view: null });
    if (configured) report(configured);
    const staticProgram = readStatic('program');
    if (staticProgram) {
      await warmCore(staticProgram.doc);
      if (!current()) return null;
      await loadCatalog(currentLocale(host, readStatic('context')?.doc));
      lastInputs = '';
      return settle({ failure: null, ...(await compute()) });
    }
    if (!backend) {
      return settle({ failure: { kind: 'network', details: ['api: the attribute is missing'] } });
    }
    await loadCatalog(currentLocale(host, readStatic('context')?.doc));
    if (!current()) return null;
    // Feedback while a slow server is waited for: after SLOW_LOAD_MS, or at the first retry.
    const slow = () => current() && report({ retrying: true });
    const slowTimer = setTimeout(slow, SLOW_LOAD_MS);
    const program = backend.load('program', { onRetry: slow });
    const customer = host.customerToken ? backend.load('customer', { onRetry: slow }) : null;
    try {
      const showCached = !view && program.cached && (!customer || customer.cached);
      if (showCached) {
        await warmCore(program.cached);
        if (!current()) return null;
        docs = { program: program.cached, customer: customer?.cached ?? null };
        const patch = await compute();
        await yieldToMain();
        if (!current()) return null;
        if (patch.view) {
          formatterFor(patch.view).prepare();
          report(patch);
        }
      }
      const [programAnswer, customerAnswer] = await Promise.allSettled([
        program.fresh,
        customer?.fresh ?? null,
      ]);
      await yieldToMain(); // reading and parsing the answers was this task's share
      if (programAnswer.status === 'rejected') throw programAnswer.reason;
      await warmCore(programAnswer.value);
      if (!current()) return null;
      const refused = customerAnswer.status === 'rejected' ? describe(customerAnswer.reason) : null;
      if (refused && refused.kind !== 'unauthorized') throw customerAnswer.reason;
      docs = { program: programAnswer.value, customer: refused ? null : customerAnswer.value };
      if (refused) return settle(await signOut(refused));
      // Fresh documents equal to the cached ones just shown keep that view and its drawing;
      // otherwise (a refresh() of a view that is there) the view is computed again.
      if (!showCached) lastInputs = '';
      const patch = { failure: null, signedOut: false, ...(await compute()) };
      return settle(await lookUpArrival(patch, report, current));
    } catch (error) {
      if (!current()) return null;
      return settle({ failure: describe(error) });
    } finally {
      clearTimeout(slowTimer);
    }
  }

  return {
    get core() {
      return core;
    },
    /** The backend for actions; null in static mode (nothing is sent). */
    get backend() {
      return staticMode ? null : backend;
    },
    get staticMode() {
      return staticMode;
    },
    refresh,
    compute,
    signOut,
    /** True when attributes point at another backend or shopper (a refetch is needed). */
    needsRefetch: () => backendSignature(host) !== signature && !readStatic('program'),
    /** The element's documents were replaced: compute from scratch. */
    forgetInputs() {
      lastInputs = '';
    },
    hasStaticProgram: () => Boolean(readStatic('program')),
    /** The friend's reward the visitor claimed earlier (kept with their arrival), or null. */
    get friendCoupon() {
      return arrival?.coupon ?? null;
    },
    /** The visitor claimed the friend's reward: kept with the arrival for later pages. */
    keepFriendCoupon(coupon) {
      if (!arrival) return;
      arrival = { ...arrival, coupon };
      arrivals?.write(arrival);
    },
    /** A POST answered with the customer: resolves to the patch of the view that follows it. */
    acceptCustomer(answer) {
      docs.customer = backend.customerFrom(answer);
      return compute();
    },
    /**
     * What the core decides for spending `points` on reward `rewardId` of the current view:
     * resolves to {ok, points, value: {money, currency}, refusal}, or null when it can't say.
     */
    async quoteRedemption(rewardId, points) {
      if (!core || !viewTexts) return null;
      try {
        const request = JSON.stringify({ version: 1, rewardId, points });
        const answer = JSON.parse(await core.redeemJson(...viewTexts, request));
        return answer?.ok ? answer.redeem : null;
      } catch {
        return null; // the confirmation then names the reward without its value
      }
    },
    destroy() {
      destroyed = true;
      generation += 1;
    },
  };
}
