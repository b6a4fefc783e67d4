// What the emulator's server gives each cloud's handler, and what a handler offers it.
// Its own module so the two halves and the server that holds them import one way.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from '../../contract/types.js';
import type { CallLog } from './calls.js';
import type { FaultInjector } from './faults.js';
import type { Quotas } from './quotas.js';

export interface HandlerContext {
  faults: FaultInjector;
  calls: CallLog;
  /** Per-account rate limits, as the clouds enforce them; none unless set. */
  quotas: Quotas;
  /** The emulator's clock in Unix ms; tests pass a fake one. */
  now(): number;
  /**
   * The clock signing times are checked against (Tencent's 5 minutes, Alibaba's 15): real time by
   * default, since the SDKs sign with the machine's clock even when a test drives the simulation
   * with a fake one; a test moves it to show a skewed client refused.
   */
  signingNow(): number;
  /** Responses held open by a `hang` fault, ended when the emulator closes. */
  hanging: Set<ServerResponse>;
}

export interface ProviderHandler {
  readonly provider: Provider;
  /** Whether this request is addressed to this cloud's API. */
  accepts(req: IncomingMessage, url: URL): boolean;
  handle(req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse, context: HandlerContext): Promise<void>;
}
