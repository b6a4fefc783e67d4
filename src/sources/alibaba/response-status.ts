// The HTTP status of the answer to a call, for errors the Alibaba base client raises without it:
// an error page that is not JSON (a gateway's HTML 502 or 503) reaches us as a bare SyntaxError
// from its JSON reader. Node announces every client response on a diagnostics channel; the call's
// async context tells which call it answers, also when sockets are shared.
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

interface CallRecord {
  status?: number;
}

const calls = new AsyncLocalStorage<CallRecord>();
let subscribed = false;

/** Runs one call and gives, with its outcome, the status of the last HTTP answer it received. */
export function recordingResponseStatus<T>(call: () => Promise<T>): { outcome: Promise<T>; status: () => number | undefined } {
  if (!subscribed) {
    subscribed = true;
    subscribe('http.client.response.finish', (message) => {
      const record = calls.getStore();
      if (record) record.status = (message as { response: IncomingMessage }).response.statusCode;
    });
  }
  const record: CallRecord = {};
  return { outcome: calls.run(record, call), status: () => record.status };
}
