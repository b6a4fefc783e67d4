// A workaround for the Alibaba base client's HTTP layer. httpx (under @darabonba/typescript) arms a
// read timer on the socket of every request and clears it only when the body is read with
// httpx.read(); Darabonba reads bodies with its own stream reader, so each timer runs until
// readTimeout and keeps the request, the response and its body alive until then: at 5,000 calls a
// second and a 30 s timeout, every call of a 10,000-server refresh at once (about 6 KB each).
// Once a response has been read to its end the timer has nothing left to guard, so we clear it.
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** httpx keeps the timer under a module-private symbol; this is its description. */
const READ_TIMER_DESCRIPTION = 'TIMER::READ_TIMER';

let installed = false;

function clearReadTimer(socket: object | null): void {
  if (!socket) return;
  const key = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === READ_TIMER_DESCRIPTION);
  if (key === undefined) return;
  const record = socket as Record<symbol, unknown>;
  const timer = record[key];
  if (timer !== null && typeof timer === 'object') {
    clearTimeout(timer as NodeJS.Timeout);
    record[key] = null;
  }
}

/** Installs the workaround once per process; other HTTP clients' sockets carry no such timer and are left alone. */
export function releaseReadTimersAfterResponses(): void {
  if (installed) return;
  installed = true;
  subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    response.once('end', () => clearReadTimer(request.socket));
  });
}
