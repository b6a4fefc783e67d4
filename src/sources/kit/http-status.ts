// The error of an HTTP status that is not an API answer, the same for every cloud: http_NNN, retried
// when the server or the rate limit is at fault.
import type { ApiErrorKind } from '../../contract/types.js';

export function httpStatusError(status: number): { code: string; kind: ApiErrorKind } {
  return { code: `http_${status}`, kind: status >= 500 ? 'server' : status === 429 ? 'throttled' : 'client' };
}
