// The backend's HTTP edge under hostile clients, on 127.0.0.1 only. Prints figures; asserts
// nothing about timing.
//   1. latency of normal requests alone, then with SLOW (default 500) trickling clients attached
//   2. a burst of BURST (default 1,000) concurrent connections: answered, by status, how long
//   3. what an idle connection costs: open IDLE (default 5,000) and read the server's memory
// Every client is bounded: each run opens a fixed number of sockets and closes them all.
//   node tests/bench/server-hostile.mjs      (after building the release preset's server)
import { readFileSync } from 'node:fs';

import { call, enrol, shopper, startServer } from '../server/harness.mjs';
import { connect, openFiles, readAnswers } from '../server/raw-http.mjs';

const SLOW = Number(process.env.SLOW ?? 500);
const BURST = Number(process.env.BURST ?? 1000);
const IDLE = Number(process.env.IDLE ?? 5000);
const SAMPLES = Number(process.env.SAMPLES ?? 400);

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value) => `${value.toFixed(2)} ms`;
const residentBytes = (pid) =>
  Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)[1]) * 1024;

/** SAMPLES customer reads from CONCURRENCY parallel clients: p50, p99, max. */
async function latencies(server, concurrency = 4) {
  const times = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < SAMPLES) {
        const started = performance.now();
        const answer = await call(server, 'GET', '/v1/customer', { headers: shopper('bench-1') });
        if (answer.status !== 200) throw new Error(`status ${answer.status}`);
        times.push(performance.now() - started);
      }
    }),
  );
  return `p50 ${ms(percentile(times, 50))}  p99 ${ms(percentile(times, 99))}  max ${ms(Math.max(...times))}`;
}

const server = await startServer({ args: ['--rate-redemptions', '0'] });
try {
  await enrol(server, 'bench-1', { points: 1000 });
  await latencies(server); // warm up
  console.log(`server-hostile: ${SAMPLES} GET /v1/customer at 4 clients each`);
  console.log(`  alone                           ${await latencies(server)}`);

  const slow = [];
  for (let i = 0; i < SLOW; i++) {
    const socket = await connect(server.url);
    socket.on('error', () => {});
    socket.write('GET /v1/program HTTP/1.1\r\nX-Slow: ');
    slow.push(socket);
  }
  const trickle = setInterval(() => {
    for (const socket of slow) if (!socket.destroyed) socket.write('x');
  }, 1000);
  console.log(`  with ${SLOW} slow clients attached  ${await latencies(server)}`);
  clearInterval(trickle);
  for (const socket of slow) socket.destroy();

  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: BURST }, async () => {
      const socket = await connect(server.url);
      socket.on('error', () => {});
      const reading = readAnswers(socket, { timeoutMs: 30000 });
      socket.write('GET /v1/program HTTP/1.1\r\nHost: bench\r\n\r\n');
      const result = await reading;
      socket.destroy();
      return result.answers[0]?.status ?? (result.closed ? 'closed unanswered' : 'no answer');
    }),
  );
  const counts = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  console.log(
    `burst of ${BURST} connections: ${JSON.stringify(counts)} in ${ms(performance.now() - started)}`,
  );

  const before = residentBytes(server.child.pid);
  const idle = [];
  for (let i = 0; i < IDLE; i++) {
    const socket = await connect(server.url);
    socket.on('error', () => {});
    idle.push(socket);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  const grown = residentBytes(server.child.pid) - before;
  console.log(
    `${IDLE} idle connections: ${await openFiles(server.child.pid)} descriptors open, ` +
      `resident memory +${(grown / 1024 / 1024).toFixed(1)} MB ` +
      `(${Math.round(grown / IDLE)} bytes each); ${await latencies(server)}`,
  );
  for (const socket of idle) socket.destroy();
} finally {
  await server.stop();
}
