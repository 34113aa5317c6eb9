// The HTTP edge against hostile clients: chunked and oversized bodies, header floods, many
// ranges, trickling and idle clients, bursts of connections, odd paths and CORS. Every case
// talks only to 127.0.0.1 and is bounded in count and time.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { admin, call, enrol, fixtures, shopper, startServer, token } from './harness.mjs';
import { connect, peakMemory, rawRequest, readAnswers } from './raw-http.mjs';

const MAX_BODY = 4096;
// Only the slow-client server has a short request deadline; elsewhere the default (10 s) keeps a
// loaded machine from turning a slow answer into a 408.
const REQUEST_TIMEOUT_MS = 2000;
let server;
let port;
before(async () => {
  server = await startServer({
    args: [
      '--max-body',
      String(MAX_BODY),
      '--allow-origin',
      '*',
      '--rate-redemptions',
      '0',
      '--static',
      `/shop=${path.join(fixtures, 'static')}`,
    ],
  });
  port = new URL(server.url).port;
  await enrol(server, 'hostile-1', { points: 5000 });
});
after(() => server.stop());

const head = (lines) => lines.join('\r\n') + '\r\n\r\n';
const host = () => `Host: 127.0.0.1:${port}`;

/** Sends a chunked body of `total` bytes in 64 KB chunks until the server answers. */
async function sendChunked(requestLines, total) {
  const socket = await connect(server.url);
  const reading = readAnswers(socket, { timeoutMs: 10000 });
  socket.write(head([...requestLines, host(), 'Transfer-Encoding: chunked']));
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  let answered = false;
  reading.then(() => (answered = true));
  while (sent < total && !answered && !socket.destroyed) {
    const more = socket.write(`${chunk.length.toString(16)}\r\n`);
    socket.write(chunk);
    socket.write('\r\n');
    sent += chunk.length;
    if (!more) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const result = await reading;
  socket.destroy();
  return { ...result, sent };
}

describe('request bodies', () => {
  test('a chunked body past --max-body is 413 and is never held in memory', async () => {
    const before = await peakMemory(server.child.pid);
    const result = await sendChunked(
      ['POST /v1/orders HTTP/1.1', `X-Admin-Key: ${admin['X-Admin-Key']}`],
      64 * 1024 * 1024,
    );
    assert.equal(result.answers[0]?.status, 413, JSON.stringify(result));
    assert.equal(JSON.parse(result.answers[0].body).error.code, 'request.tooLarge');
    const growth = (await peakMemory(server.child.pid)) - before;
    assert.ok(growth < 16 * 1024 * 1024, `peak memory grew by ${growth} bytes`);
  });

  test('a chunked body within the limit is read whole', async () => {
    const body = JSON.stringify({ points: 7, reason: 'chunked' });
    const socket = await connect(server.url);
    const reading = readAnswers(socket);
    socket.write(
      head([
        'POST /v1/admin/customers/hostile-1/adjustments HTTP/1.1',
        host(),
        `X-Admin-Key: ${admin['X-Admin-Key']}`,
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
      ]),
    );
    for (const part of [body.slice(0, 10), body.slice(10)])
      socket.write(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
    socket.write('0\r\n\r\n');
    const { answers } = await reading;
    socket.destroy();
    assert.equal(answers[0]?.status, 201);
  });

  test('a declared Content-Length past the limit is 413 before any body is sent', async () => {
    const { answer } = await rawRequest(
      server.url,
      head([
        'POST /v1/orders HTTP/1.1',
        host(),
        `X-Admin-Key: ${admin['X-Admin-Key']}`,
        `Content-Length: ${MAX_BODY + 1}`,
      ]),
    );
    assert.equal(answer?.status, 413);
  });

  test('authentication is checked before the body is read', async () => {
    // The body is announced and never sent: a server that waited for it would answer 408 at
    // its request deadline (or nothing), not 401.
    for (const framing of ['Transfer-Encoding: chunked', 'Content-Length: 4000']) {
      const { answer } = await rawRequest(
        server.url,
        head(['POST /v1/redemptions HTTP/1.1', host(), framing]),
        { timeoutMs: 30000 },
      );
      assert.equal(answer?.status, 401, framing);
      assert.equal(JSON.parse(answer.body).error.code, 'auth.missingToken');
    }
    const { answer } = await rawRequest(
      server.url,
      head(['POST /v1/orders HTTP/1.1', host(), 'X-Admin-Key: wrong', 'Content-Length: 100']),
      { timeoutMs: 30000 },
    );
    assert.equal(answer?.status, 401);
  });

  test('Expect: 100-continue gets 100 before the body', async () => {
    const socket = await connect(server.url);
    const body = JSON.stringify({ rewardId: 'r5' });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.write(
      head([
        'POST /v1/redemptions HTTP/1.1',
        host(),
        `Authorization: Bearer ${token('hostile-1')}`,
        'Idempotency-Key: continue-1',
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        'Expect: 100-continue',
      ]),
    );
    for (let i = 0; i < 200 && !text.includes('\r\n\r\n'); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\n$/);
    const reading = readAnswers(socket);
    socket.write(body);
    const { answers } = await reading;
    socket.destroy();
    assert.equal(answers[0]?.status, 201);
  });
});

describe('headers', () => {
  const withHeaders = (count, size = 1) => {
    const lines = ['GET /v1/program HTTP/1.1', host()];
    for (let i = 0; i < count - 1; i++) lines.push(`X-Filler-${i}: ${'v'.repeat(size)}`);
    return head(lines);
  };

  test('100 header fields are served, 101 are 431', async () => {
    assert.equal((await rawRequest(server.url, withHeaders(100))).answer?.status, 200);
    const refused = await rawRequest(server.url, withHeaders(101));
    assert.equal(refused.answer?.status, 431);
    assert.equal(JSON.parse(refused.answer.body).error.code, 'request.headersTooLarge');
  });

  test('headers past 16 KB in all are 431', async () => {
    assert.equal((await rawRequest(server.url, withHeaders(10, 1000))).answer?.status, 200);
    assert.equal((await rawRequest(server.url, withHeaders(20, 1000))).answer?.status, 431);
  });

  test('a flood of 300,000 headers is cut off with 431, not read', async () => {
    const before = await peakMemory(server.child.pid);
    const socket = await connect(server.url);
    const reading = readAnswers(socket, { timeoutMs: 10000 });
    socket.write(`GET /v1/program HTTP/1.1\r\n${host()}\r\n`);
    let answered = false;
    reading.then(() => (answered = true));
    const block = Array.from({ length: 1000 }, (_, i) => `X-Flood-${i}: yes\r\n`).join('');
    for (let i = 0; i < 300 && !answered && !socket.destroyed; i++) {
      if (!socket.write(block)) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const result = await reading;
    socket.destroy();
    assert.equal(result.answers[0]?.status, 431);
    const growth = (await peakMemory(server.child.pid)) - before;
    assert.ok(growth < 16 * 1024 * 1024, `peak memory grew by ${growth} bytes`);
  });
});

describe('paths and ranges', () => {
  test('NUL and control characters in a path are 400, never a file', async () => {
    for (const target of [
      '/shop/app.js%00.html',
      '/shop/app.js%0a',
      '/shop/%7f',
      '/shop/app.js%zz',
      '/v1/program%00',
    ]) {
      const { answer } = await rawRequest(server.url, head([`GET ${target} HTTP/1.1`, host()]));
      assert.equal(answer?.status, 400, target);
      assert.equal(answer.headers['content-type'], 'application/json', target);
    }
    const { answer } = await rawRequest(server.url, head(['GET /shop/app.js HTTP/1.1', host()]));
    assert.equal(answer.status, 200);
  });

  test('many ranges never send more bytes than the file', async () => {
    const file = readFileSync(path.join(fixtures, 'static/tiny.wasm'));
    const ranges = Array.from({ length: 100 }, () => '0-').join(',');
    const { answer } = await rawRequest(
      server.url,
      head(['GET /shop/tiny.wasm HTTP/1.1', host(), `Range: bytes=${ranges}`]),
    );
    assert.ok([200, 206].includes(answer.status), String(answer.status));
    assert.ok(answer.body.length <= file.length, `${answer.body.length} > ${file.length}`);
    if (answer.status === 200) assert.deepEqual(answer.body, file);
  });

  test('pipelined requests are answered in order', async () => {
    const socket = await connect(server.url);
    const reading = readAnswers(socket, { count: 3 });
    socket.write(
      head(['GET /v1/program HTTP/1.1', host()]) +
        head(['GET /nothing HTTP/1.1', host()]) +
        head(['GET /shop/app.js HTTP/1.1', host()]),
    );
    const { answers } = await reading;
    socket.destroy();
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 404, 200],
    );
  });
});

describe('CORS with --allow-origin "*"', () => {
  test('the shopper API is granted to any origin but "null"', async () => {
    const granted = await call(server, 'GET', '/v1/customer', {
      headers: { ...shopper('hostile-1'), Origin: 'https://any-shop.example' },
    });
    assert.equal(granted.headers.get('access-control-allow-origin'), 'https://any-shop.example');
    const fromNull = await call(server, 'GET', '/v1/customer', {
      headers: { ...shopper('hostile-1'), Origin: 'null' },
    });
    assert.equal(fromNull.headers.get('access-control-allow-origin'), null);
  });

  test('admin routes are never callable from another origin', async () => {
    const preflight = await fetch(server.url + '/v1/admin/program', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://any-shop.example',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'x-admin-key, content-type',
      },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const shopperPreflight = await fetch(server.url + '/v1/redemptions', {
      method: 'OPTIONS',
      headers: { Origin: 'https://any-shop.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(shopperPreflight.status, 204);
    assert.doesNotMatch(
      shopperPreflight.headers.get('access-control-allow-headers').toLowerCase(),
      /x-admin-key/,
    );
    const answer = await call(server, 'GET', '/v1/admin/programs', {
      headers: { ...admin, Origin: 'https://any-shop.example' },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
  });
});

describe('slow and idle clients', () => {
  let slowServer;
  before(async () => {
    slowServer = await startServer({
      args: ['--request-timeout-ms', String(REQUEST_TIMEOUT_MS)],
    });
  });
  after(() => slowServer.stop());

  test('500 trickling clients get 408 at the request deadline; others are served meanwhile', async () => {
    const slow = [];
    for (let i = 0; i < 500; i++) {
      const socket = await connect(slowServer.url);
      const reading = readAnswers(socket, { timeoutMs: 60000 });
      socket.write('GET /v1/program HTTP/1.1\r\nX-Slow: ');
      slow.push({ socket, reading });
    }
    const trickle = setInterval(() => {
      for (const { socket } of slow) if (!socket.destroyed) socket.write('x');
    }, 300);
    try {
      // While all 500 hold a connection, normal requests are answered.
      for (let i = 0; i < 20; i++) {
        const answer = await call(slowServer, 'GET', '/v1/program');
        assert.equal(answer.status, 200);
      }
      const results = await Promise.all(slow.map(({ reading }) => reading));
      const statuses = results.map((result) => result.answers[0]?.status);
      assert.deepEqual(
        [...new Set(statuses)],
        [408],
        `statuses: ${JSON.stringify(statuses.slice(0, 10))}`,
      );
    } finally {
      clearInterval(trickle);
      for (const { socket } of slow) socket.destroy();
    }
  });

  test('idle connections are closed by the server at the deadline, and cost no thread', async () => {
    const closed = [];
    const idle = [];
    for (let i = 0; i < 1000; i++) {
      const socket = await connect(slowServer.url);
      closed.push(new Promise((resolve) => socket.once('close', resolve)));
      idle.push(socket);
    }
    // 1,000 idle connections outnumber the 64 worker threads: requests are still served.
    for (let i = 0; i < 10; i++)
      assert.equal((await call(slowServer, 'GET', '/v1/program')).status, 200);
    await Promise.all(closed);
  });
});

describe('bursts', () => {
  /** Opens `count` connections at once, each sending one GET; resolves every outcome. */
  async function burst(url, count, request) {
    const outcomes = await Promise.all(
      Array.from({ length: count }, async () => {
        const socket = await connect(url);
        const reading = readAnswers(socket, { timeoutMs: 60000 });
        socket.write(request);
        const result = await reading;
        return { socket, result };
      }),
    );
    for (const { socket } of outcomes) socket.destroy();
    return outcomes.map(({ result }) => result);
  }

  test('1,000 concurrent connections are each answered', async () => {
    const results = await burst(
      server.url,
      1000,
      head(['GET /v1/customer HTTP/1.1', host(), `Authorization: Bearer ${token('hostile-1')}`]),
    );
    const statuses = results.map((result) => result.answers[0]?.status ?? 'none');
    assert.deepEqual([...new Set(statuses)], [200]);
  });

  test('past --max-connections the rest get 503 with Retry-After, never a silent close', async () => {
    const capped = await startServer({
      args: ['--max-connections', '50', '--idle-timeout-ms', '30000'],
    });
    try {
      // Each served connection stays open (kept alive), so exactly 50 are served.
      const results = await burst(
        capped.url,
        1000,
        head(['GET /v1/program HTTP/1.1', `Host: ${new URL(capped.url).host}`]),
      );
      const counts = {};
      for (const result of results) {
        const answer = result.answers[0];
        const key = answer ? String(answer.status) : 'none';
        counts[key] = (counts[key] ?? 0) + 1;
        if (answer?.status === 503) assert.equal(answer.headers['retry-after'], '1');
      }
      assert.deepEqual(counts, { 200: 50, 503: 950 });
    } finally {
      await capped.stop();
    }
  });
});
