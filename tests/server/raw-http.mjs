// HTTP/1.1 over a bare socket to 127.0.0.1, for the requests fetch() refuses to send (floods,
// trickles, broken framing) and for reading exactly what the server wrote back.
import net from 'node:net';

/** Parses the first answer in `buffer`: {status, headers (lower-case names), body} or null. */
export function parseAnswer(buffer) {
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buffer.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buffer.length < end + 4 + length) return null;
  const body = buffer.subarray(end + 4, end + 4 + length);
  return { status, headers, body, rest: buffer.subarray(end + 4 + length) };
}

/** Opens a connection to `url`'s port; resolves once connected. */
export function connect(url) {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Collects what the server sends on `socket` until it has sent `count` whole answers, or closed,
 * or `timeoutMs` passed. Resolves {answers, closed, timedOut, received (bytes)}.
 */
export function readAnswers(socket, { count = 1, timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let received = 0;
    const answers = [];
    let done = false;
    const finish = (extra) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve({ answers, closed: false, timedOut: false, received, ...extra });
    };
    const onData = (chunk) => {
      received += chunk.length;
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const answer = parseAnswer(buffer);
        if (!answer) break;
        answers.push(answer);
        buffer = answer.rest;
      }
      if (answers.length >= count) finish({});
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    socket.on('data', onData);
    socket.once('close', () => finish({ closed: true }));
    socket.once('error', () => {});
  });
}

/** Sends `text` on a new connection and resolves the first answer (or null) and how it ended. */
export async function rawRequest(url, text, { timeoutMs = 5000 } = {}) {
  const socket = await connect(url);
  const reading = readAnswers(socket, { timeoutMs });
  socket.write(text);
  const result = await reading;
  socket.destroy();
  return { answer: result.answers[0] ?? null, ...result };
}

/** The server process's peak resident memory (VmHWM) in bytes, from /proc. */
export async function peakMemory(pid) {
  const { readFileSync } = await import('node:fs');
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
  return Number(match[1]) * 1024;
}

/** The server's open file descriptors (sockets included), from /proc. */
export async function openFiles(pid) {
  const { readdirSync } = await import('node:fs');
  return readdirSync(`/proc/${pid}/fd`).length;
}
