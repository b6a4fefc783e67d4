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

/** An emulated cloud's handler, as the server holds it. */
export interface CloudEmulator extends ProviderHandler {
  /** Ends now the temporary keys of `account`'s roles, or of every account's; how many ended (the control API). */
  expireTemporaryKeys(account?: string): number;
}

/** One API action an emulated cloud answers: its product and version as the SDK clients send them. */
export interface EmulatedAction {
  readonly product: string;
  readonly version: string;
  readonly action: string;
}

/** What a demo puts in an emulated cloud, and the variables the demo's configuration file reads its keys from. */
export interface EmulatedDemo<Options> {
  readonly options: Options;
  readonly environment: Readonly<Record<string, string>>;
}

/** The organization demo of a cloud: an organization whose members leave and join while it runs. */
export interface OrganizationDemo<Options, Handler> {
  /** The organization with members 1 to `members`, and their accounts. */
  options(members: number): Options;
  readonly environment: Readonly<Record<string, string>>;
  /** Member `leaving` leaves and member `joining` joins (its account made as it joins); what changed, in a few words. */
  churn(cloud: Handler, joining: number, leaving: number): string;
}

/**
 * One emulated cloud, as the emulator's registry lists it (emulator/registry.ts). (Methods, so that
 * clouds of different options and handlers are one list: each is only ever given its own.)
 */
export interface EmulatedCloud<Name extends string = string, Options = unknown, Handler extends CloudEmulator = CloudEmulator> {
  /** Its provider name: the key of its options and of its handler on the emulator (`emulator.tencent`). */
  readonly name: Name;
  /** How the emulator's command names what it emulates, e.g. "Tencent Cloud CWP". */
  readonly title: string;
  /** Every action its handler answers (the emulator's root page lists them). */
  readonly actions: readonly EmulatedAction[];
  start(options: Options, now: () => number): Handler;
  /** The accounts of `npm run demo` and `npm run emulator`. */
  readonly demo: EmulatedDemo<Options>;
  /** `npm run demo -- --organizations`. */
  readonly organizationDemo: OrganizationDemo<Options, Handler>;
}
