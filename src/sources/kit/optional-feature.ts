// An optional part of an account's data, such as the hosts of CWP scan tasks: read by an action the
// account's scan state does not need. When the cloud refuses that action for lack of permission (a
// least-privilege policy written before the part existed), the part is turned off for the account
// instead of marking it down: its calls stop, its data goes, the snapshot says so (FeatureOff, which
// the collector logs once, with the permission to add). It is tried again on a slower schedule, so
// granting the permission later brings the part back within FEATURE_RETRY_MS, without a restart or
// a reload. Any other error of its calls is an error of the refresh, as before.
import type { ApiError, FeatureOff } from '../../contract/types.js';

/** How long a part stays off before its action is tried again. */
export const FEATURE_RETRY_MS = 10 * 60_000;

interface OptionalFeatureOptions {
  action: string;
  feature: string;
  permission: string;
  /** Whether a code is the cloud's refusal for lack of permission (sources/<cloud>/errors.ts). */
  permissionDenied: (code: string) => boolean;
}

export class OptionalFeature {
  #off: FeatureOff | undefined;

  constructor(private readonly options: OptionalFeatureOptions) {}

  /** Whether the part is read in a refresh starting at `now`: while on, and once off when its retry is due. */
  wanted(now: number): boolean {
    return this.#off === undefined || now >= this.#off.retryAt;
  }

  /** A call of the part failed with `error` at `now`: true when it was refused for lack of permission, which turns the part off. */
  refused(error: ApiError, now: number): boolean {
    if (error.action !== this.options.action || !this.options.permissionDenied(error.code)) return false;
    const { action, feature, permission } = this.options;
    this.#off = {
      action,
      feature,
      permission,
      code: error.code,
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      since: this.#off?.since ?? now,
      retryAt: now + FEATURE_RETRY_MS,
    };
    return true;
  }

  /** A call of the part succeeded: it is on. */
  allowed(): void {
    this.#off = undefined;
  }

  /** The part's state for the snapshot: off, or nothing. */
  get off(): FeatureOff[] {
    return this.#off === undefined ? [] : [this.#off];
  }
}
