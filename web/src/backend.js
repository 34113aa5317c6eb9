// Talks to the loyalty backend (CONTRACT.md "Backend HTTP API"): timeouts, retries with
// exponential backoff, a size limit, and a stale-while-revalidate cache in sessionStorage.
import { applyMapping, checkNesting } from './mapping.js';

/** A failed request, with a `kind` the panel turns into a readable message. */
export class BackendError extends Error {
  constructor(kind, { status = 0, code = '', detail = '' } = {}) {
    super(detail || kind);
    this.name = 'BackendError';
    this.kind = kind; // network | timeout | http | unauthorized | notJson | tooLarge
    this.status = status;
    this.code = code;
  }
}

const RETRYABLE = new Set(['network', 'timeout']);

async function readLimited(response, maxBytes) {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) throw new BackendError('tooLarge', { status: response.status });
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw new BackendError('tooLarge', { status: response.status });
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function parseJson(text, status) {
  try {
    return JSON.parse(text);
  } catch {
    throw new BackendError('notJson', { status });
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * createBackend({api: 'https://shop.example/loyalty', token, mapping}) →
 * {load(kind), redeem(body), claim(body)}. `load` returns {cached, fresh} for program/customer.
 */
export function createBackend({
  api,
  customerId = '',
  token = '',
  mapping = null,
  timeoutMs = 8000,
  retries = 2,
  backoffMs = 250,
  maxBytes = 1024 * 1024,
  storage = globalThis.sessionStorage,
}) {
  const base = api.endsWith('/') ? api : `${api}/`;
  const paths = { program: 'v1/program', customer: 'v1/customer', ...(mapping?.paths ?? {}) };
  const urlFor = (path) => new URL(path.replace(/^\//, ''), new URL(base, document.baseURI)).href;

  async function request(path, { method = 'GET', body, headers = {}, retry = true, onRetry } = {}) {
    const attempts = retry ? retries + 1 : 1;
    let lastError;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (attempt > 0) {
        onRetry?.(lastError);
        await sleep(backoffMs * 2 ** (attempt - 1) * (1 + Math.random() / 2));
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const response = await fetch(urlFor(path), {
          method,
          headers: {
            Accept: 'application/json',
            ...(body ? { 'Content-Type': 'application/json' } : {}),
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
            ...headers,
          },
          body: body ? JSON.stringify(body) : undefined,
          signal: controller.signal,
          credentials: 'omit',
        });
        const text = await readLimited(response, maxBytes);
        if (!response.ok) {
          const kind = response.status === 401 || response.status === 403 ? 'unauthorized' : 'http';
          let error = null;
          try {
            error = JSON.parse(text)?.error ?? null;
          } catch {
            /* an HTML or empty error page: the status says enough */
          }
          const failure = new BackendError(kind, {
            status: response.status,
            code: typeof error?.code === 'string' ? error.code : '',
            detail: typeof error?.message === 'string' ? error.message : '',
          });
          if (response.status >= 500 || response.status === 429) {
            lastError = failure;
            continue;
          }
          throw failure;
        }
        return parseJson(text, response.status);
      } catch (error) {
        if (error instanceof BackendError && !RETRYABLE.has(error.kind)) throw error;
        lastError =
          error instanceof BackendError
            ? error
            : new BackendError(controller.signal.aborted ? 'timeout' : 'network');
      } finally {
        clearTimeout(timer);
      }
    }
    throw lastError;
  }

  const cacheKey = (kind) => `loyalty:v1:${base}:${kind}:${kind === 'customer' ? customerId : ''}`;
  const readCache = (kind) => {
    try {
      return JSON.parse(storage?.getItem(cacheKey(kind)) ?? 'null')?.doc ?? null;
    } catch {
      return null;
    }
  };
  const writeCache = (kind, doc) => {
    try {
      storage?.setItem(cacheKey(kind), JSON.stringify({ savedAt: Date.now(), doc }));
    } catch {
      /* storage full or blocked: the cache is only a speed-up */
    }
  };

  return {
    /**
     * {cached: last good document or null, fresh: Promise of the newly fetched document};
     * `onRetry(error)` hears of each failed attempt that is tried again.
     */
    load(kind, { onRetry } = {}) {
      const fresh = request(paths[kind], { onRetry }).then((answer) => {
        // Deeper answers are refused before structuredClone or JSON.stringify walk them.
        const doc = applyMapping(mapping?.[kind], checkNesting(kind, answer));
        return doc;
      });
      return { cached: readCache(kind), fresh };
    },
    /** Remembers a document the core accepted, for the next page view. */
    remember: writeCache,
    /** Drops a remembered document (the shopper's, when their token is refused). */
    forget(kind) {
      try {
        storage?.removeItem(cacheKey(kind));
      } catch {
        /* storage blocked: nothing was kept */
      }
    },
    redeem(body, idempotencyKey) {
      return request('v1/redemptions', {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': idempotencyKey },
      });
    },
    claim(body) {
      return request('v1/claims', { method: 'POST', body, retry: false });
    },
    /** Who sent a visitor through a referral link: {code, advocateFirstName, friendReward}. */
    async lookupReferral(code) {
      const answer = await request(`v1/referrals/${encodeURIComponent(code)}`, {});
      return answer?.referral ?? null;
    },
    /** The referred friend asks for their reward: {advocateFirstName, friendReward: {code, ...}}. */
    async claimFriendReward(body) {
      const answer = await request('v1/referrals/friend', { method: 'POST', body, retry: false });
      return answer?.referral ?? null;
    },
    customerFrom: (answer) =>
      applyMapping(mapping?.customer, checkNesting('customer', answer?.customer ?? answer)),
  };
}
