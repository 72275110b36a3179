// A burst of armed posts sends in the same millisecond. To one receiver it must arrive over a bounded
// set of kept-alive connections, not thousands opened at once (which overflowed the receiver's accept
// queue and came back as 1-7 s SYN retries: docs/DESIGN.md, "Arm early, fire on time").
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONNECTIONS_PER_ORIGIN, safeFetch, safeRequest } from '../../core/net/safeFetch';

const viaFetch = (url: string, i: number) => safeFetch(url, { method: 'POST', body: String(i) }, { allowPrivate: true }).then((r) => r.status);
// What the publishers send with (core/net/httpRequest).
const viaRequest = (url: string, i: number) => safeRequest(url, { method: 'POST', headers: {}, body: String(i) }, { allowPrivate: true }).then((r) => r.status);

test.each([
  ['safeFetch', viaFetch],
  ['safeRequest', viaRequest],
])(`%s: a burst of 1,000 requests to one receiver opens at most ${CONNECTIONS_PER_ORIGIN} connections, and every request is answered`, async (_name, send) => {
  let open = 0;
  let mostOpen = 0;
  let opened = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.end('{"id":"ok"}'), 5));
  });
  server.on('connection', (socket) => {
    opened++;
    mostOpen = Math.max(mostOpen, ++open);
    socket.on('close', () => open--);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  try {
    const answers = await Promise.all(Array.from({ length: 1_000 }, (_, i) => send(url, i)));
    expect(answers.every((s) => s === 200)).toBe(true);
    expect(mostOpen).toBeLessThanOrEqual(CONNECTIONS_PER_ORIGIN);
    expect(opened).toBeLessThanOrEqual(CONNECTIONS_PER_ORIGIN);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
