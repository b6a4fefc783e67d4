// Faults the emulator injects on request, shared by both clouds' handlers.
import type { ServerResponse } from 'node:http';
import type { Provider } from '../../contract/types.js';

export type Fault =
  /** The cloud's own error answer with this code (HTTP status as the cloud sends it for that code). */
  | { kind: 'error'; code: string; message?: string }
  /** A bare HTTP status with a non-JSON body, optionally sent slowly. */
  | { kind: 'http_status'; status: number; slowBodyMs?: number }
  /** The normal answer, after a delay. */
  | { kind: 'slow'; delayMs: number }
  /** Accept the request and never answer (until the emulator closes). */
  | { kind: 'hang' }
  /** Destroy the connection without an answer. */
  | { kind: 'reset' }
  /** HTTP 200 with a body that is not JSON. */
  | { kind: 'malformed_json' }
  /** The normal answer with every field of the result set to null. */
  | { kind: 'null_fields' }
  /** A valid JSON answer padded to this many bytes. */
  | { kind: 'oversized'; bytes: number }
  /** HTTP 200 with a JSON-looking body of this many bytes sent chunked (no Content-Length), as fast as the client reads. */
  | { kind: 'chunked_oversized'; bytes: number }
  /** HTTP 200 text/event-stream with `data: x`, then the connection is closed, reset, or kept open. */
  | { kind: 'event_stream'; then: 'close' | 'reset' | 'open' }
  /** A redirect (301, 302, 307, 308) to this URL. */
  | { kind: 'redirect'; status: number; location: string }
  /** HTTP 200 JSON with a Content-Length, half the body sent, then the connection reset. */
  | { kind: 'truncated' }
  /**
   * The temporary keys (of an assumed role) this call is signed with expire now, before the call is
   * checked: their life ends in the middle of a refresh, earlier than their holder expected. No
   * effect on a call signed with an account's own keys.
   */
  | { kind: 'session_expired' }
  /** Alternate: the first matching call fails with `fault`, the next succeeds, and so on. */
  | { kind: 'flap'; fault: Exclude<Fault, { kind: 'flap' }> };

export interface FaultRule {
  provider?: Provider;
  /** Emulated account name; any account when absent. */
  account?: string;
  /** API action; any action when absent. */
  action?: string;
  fault: Fault;
  /** Applies to this many calls, then removes itself; until cleared when absent. */
  times?: number;
  /** Lets this many matching calls through unfaulted first (to fault a later page of a list, say). */
  skip?: number;
}

interface ActiveRule extends FaultRule {
  id: number;
  matched: number;
  passed: number;
}

export class FaultInjector {
  #rules: ActiveRule[] = [];
  #nextId = 1;
  /** Bytes the last chunked_oversized answer got to send before the client stopped it. */
  streamedBytes = 0;
  readonly #openStreams = new Set<ServerResponse>();
  #whenClosed: Array<() => void> = [];

  /** Answers of stream faults (chunked_oversized, event_stream) whose connection is still open. */
  get openStreams(): number {
    return this.#openStreams.size;
  }

  /** Resolves once every stream fault's connection has been closed (by the client, or at close()). */
  streamsClosed(): Promise<void> {
    if (this.#openStreams.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#whenClosed.push(resolve));
  }

  trackStream(res: ServerResponse): void {
    this.#openStreams.add(res);
    res.on('close', () => {
      this.#openStreams.delete(res);
      if (this.#openStreams.size > 0) return;
      const waiting = this.#whenClosed;
      this.#whenClosed = [];
      for (const resolve of waiting) resolve();
    });
  }

  add(rule: FaultRule): number {
    const id = this.#nextId++;
    this.#rules.push({ ...rule, id, matched: 0, passed: 0 });
    return id;
  }

  /** Removes one rule, or all when no id is given. */
  clear(id?: number): void {
    this.#rules = id === undefined ? [] : this.#rules.filter((r) => r.id !== id);
  }

  list(): FaultRule[] {
    return this.#rules.map(({ id: _id, matched: _matched, passed: _passed, ...rule }) => rule);
  }

  /** The fault for this call, if any; counts the call against the rule. The newest matching rule wins. */
  take(provider: Provider, account: string, action: string): Exclude<Fault, { kind: 'flap' }> | undefined {
    for (let i = this.#rules.length - 1; i >= 0; i--) {
      const rule = this.#rules[i]!;
      if (rule.provider !== undefined && rule.provider !== provider) continue;
      if (rule.account !== undefined && rule.account !== account) continue;
      if (rule.action !== undefined && rule.action !== action) continue;
      if (rule.passed < (rule.skip ?? 0)) {
        rule.passed++;
        return undefined;
      }
      rule.matched++;
      if (rule.times !== undefined && rule.matched >= rule.times) this.#rules.splice(i, 1);
      if (rule.fault.kind === 'flap') return rule.matched % 2 === 1 ? rule.fault.fault : undefined;
      return rule.fault;
    }
    return undefined;
  }
}

/** Sets every property of a result object to null, recursively for nested objects. */
export function nullFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nullFields);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).map((k) => [k, k === 'RequestId' ? (value as Record<string, unknown>)[k] : null]));
  }
  return value;
}

/** Pads a JSON object with a filler field until its text reaches `bytes`. */
export function oversizedJson(body: Record<string, unknown>, bytes: number): string {
  const base = JSON.stringify({ ...body, Padding: '' });
  return JSON.stringify({ ...body, Padding: 'x'.repeat(Math.max(0, bytes - base.length)) });
}

/**
 * Carries out the transport-level faults (those that need no cloud-specific body).
 * Returns true when the response was handled (or deliberately left hanging).
 */
export function applyTransportFault(res: ServerResponse, fault: Fault, hanging: Set<ServerResponse>, faults: FaultInjector): boolean {
  switch (fault.kind) {
    case 'event_stream':
      faults.trackStream(res);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: x\n\n');
      if (fault.then === 'open') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
      } else {
        // Let `data: x` reach the client first.
        setImmediate(() => (fault.then === 'reset' ? res.socket?.resetAndDestroy() : res.socket?.end()));
      }
      return true;
    case 'redirect':
      res.writeHead(fault.status, { location: fault.location, 'content-type': 'application/json' });
      res.end('{}');
      return true;
    case 'truncated': {
      const body = JSON.stringify({ Response: { ScanState: 2, Padding: 'x'.repeat(64 * 1024) }, TotalCount: 1 });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.write(body.slice(0, body.length >> 1), () => res.socket?.resetAndDestroy());
      return true;
    }
    case 'chunked_oversized':
      streamChunked(res, fault.bytes, faults);
      return true;
    case 'hang':
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return true;
    case 'reset':
      res.socket?.destroy();
      return true;
    case 'malformed_json':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"Response": {"ScanState": 1, <html>not json');
      return true;
    case 'http_status': {
      res.writeHead(fault.status, { 'content-type': 'text/html' });
      const body = `<html><body><h1>${fault.status}</h1>upstream unavailable</body></html>`;
      if (!fault.slowBodyMs) {
        res.end(body);
        return true;
      }
      res.write(body.slice(0, 10));
      const timer = setTimeout(() => res.end(body.slice(10)), fault.slowBodyMs);
      res.on('close', () => clearTimeout(timer));
      return true;
    }
    default:
      return false;
  }
}

/** Writes a JSON-looking answer of `bytes` bytes in chunks, at the pace the client reads, until done or the client goes. */
function streamChunked(res: ServerResponse, bytes: number, faults: FaultInjector): void {
  faults.trackStream(res);
  faults.streamedBytes = 0;
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let closed = false;
  res.on('close', () => (closed = true));
  const pump = () => {
    while (!closed && faults.streamedBytes < bytes) {
      const piece = faults.streamedBytes === 0 ? Buffer.concat([Buffer.from('{"Padding":"'), chunk]) : chunk;
      faults.streamedBytes += piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!closed) res.end('"}');
  };
  pump();
}
