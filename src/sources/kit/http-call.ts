// The HTTP traffic of one cloud API call, whatever SDK makes it. Node announces every client
// request and response on diagnostics channels; the call's async context tells which call they
// belong to, also when sockets are shared. Per call this module:
// - caps the bytes of every answer on the stream itself (Content-Length or chunked), destroying
//   the answer at the limit instead of letting an SDK buffer it whole;
// - remembers the HTTP status (an SDK may drop it, e.g. for an error page that is not JSON);
// - reads an answer body with the limit, failing at once when the connection closes mid-body;
// - lets an agent refuse a second connection (a redirect being followed);
// - and, when the call ends, destroys whatever request or answer of it is still open.
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { RESPONSE_TOO_LARGE } from './size-limit.js';

type AnswerProblem = 'too_large' | 'closed' | 'not_json' | 'redirect_refused';

/** Why an answer could not be read; the clients' error classifiers turn it into an ApiError. */
export class AnswerError extends Error {
  override readonly name = 'AnswerError';
  constructor(
    readonly problem: AnswerProblem,
    message: string,
  ) {
    super(message);
  }
}

const scopes = new AsyncLocalStorage<HttpCall>();
let subscribed = false;

function subscribeOnce(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('http.client.request.start', (message) => {
    scopes.getStore()?.onRequest((message as { request: ClientRequest }).request);
  });
  subscribe('http.client.response.finish', (message) => {
    scopes.getStore()?.onResponse((message as { response: IncomingMessage }).response);
  });
}

export class HttpCall {
  readonly #maxBytes: number;
  readonly #requests: ClientRequest[] = [];
  #response: IncomingMessage | undefined;
  #failure: AnswerError | undefined;
  #connections = 0;

  private constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Runs `call` as one guarded API call; `close()` it when the call is over, however it ended. */
  static run<T>(maxBytes: number, call: () => Promise<T>): { http: HttpCall; outcome: Promise<T> } {
    subscribeOnce();
    const http = new HttpCall(maxBytes);
    return { http, outcome: scopes.run(http, call) };
  }

  /** The call whose async context this is, if any (for agents). */
  static current(): HttpCall | undefined {
    return scopes.getStore();
  }

  /** The status of the last answer received. */
  status(): number | undefined {
    return this.#response?.statusCode;
  }

  /** Why the answer was cut off by this module, if it was. */
  failure(): AnswerError | undefined {
    return this.#failure;
  }

  /**
   * Counts a connection an agent is about to open for this call; false for any after the first.
   * One API call is one HTTP request: a second one can only be a redirect being followed.
   */
  claimConnection(): boolean {
    this.#connections++;
    return this.#connections === 1;
  }

  onRequest(request: ClientRequest): void {
    this.#requests.push(request);
  }

  onResponse(response: IncomingMessage): void {
    this.#response = response;
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.#maxBytes) {
      this.#tooLarge(response, `${declared} bytes announced`);
      return;
    }
    // Counted where the HTTP parser hands the body over, so it holds for any reader, and for
    // chunked answers as much as for those with a Content-Length.
    let received = 0;
    const push = response.push.bind(response);
    response.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
      if (Buffer.isBuffer(chunk)) {
        received += chunk.length;
        if (received > this.#maxBytes) {
          this.#tooLarge(response, `more than ${this.#maxBytes} bytes received`);
          return false;
        }
      }
      return push(chunk, encoding);
    };
  }

  /**
   * Reads an answer body (the answer itself, or a stream an SDK piped it into) to its end, within
   * the size limit. Fails at once, not at a timeout, when the connection closes before the answer
   * is complete.
   */
  readBody(body: Readable): Promise<Buffer> {
    const incoming = this.#response;
    if (this.#failure) return Promise.reject(this.#failure);
    if ((body.destroyed && !body.readableEnded) || (incoming?.destroyed && !incoming.complete)) {
      return Promise.reject(new AnswerError('closed', 'the connection closed before the answer was complete'));
    }
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const cleanup = () => {
        body.off('data', onData);
        body.off('end', onEnd);
        body.off('error', onError);
        incoming?.off('aborted', onAborted);
        incoming?.off('error', onError);
      };
      const fail = (error: unknown) => {
        cleanup();
        body.destroy();
        reject(this.#failure ?? error);
      };
      const onData = (chunk: Buffer | string) => {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += buffer.length;
        if (size > this.#maxBytes) {
          if (incoming) this.#tooLarge(incoming, `more than ${this.#maxBytes} bytes received`);
          fail(this.#failure ?? new AnswerError('too_large', `${RESPONSE_TOO_LARGE} (${this.#maxBytes} bytes)`));
          return;
        }
        chunks.push(buffer);
      };
      const onEnd = () => {
        cleanup();
        resolve(Buffer.concat(chunks, size));
      };
      const onError = (error: unknown) => fail(error);
      const onAborted = () => fail(new AnswerError('closed', 'the connection closed before the answer was complete'));
      body.on('data', onData);
      body.once('end', onEnd);
      body.on('error', onError);
      if (incoming && incoming !== body) {
        incoming.once('aborted', onAborted);
        incoming.on('error', onError);
      } else {
        body.once('aborted', onAborted);
      }
    });
  }

  /** Ends whatever of this call is still open: a request without an answer, an answer not read to its end. */
  close(): void {
    for (const request of this.#requests) {
      const response = (request as ClientRequest & { res?: IncomingMessage | null }).res;
      if (response) {
        if (!response.complete && !response.destroyed) response.destroy();
      } else if (!request.destroyed) {
        request.destroy();
      }
    }
    if (this.#response && !this.#response.complete && !this.#response.destroyed) this.#response.destroy();
  }

  #tooLarge(response: IncomingMessage, detail: string): void {
    this.#failure ??= new AnswerError('too_large', `${RESPONSE_TOO_LARGE} (${this.#maxBytes} bytes; ${detail})`);
    response.destroy(this.#failure);
  }
}
