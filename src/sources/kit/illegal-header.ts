// A credential that a request header cannot carry (issue 21, finding 4): a secret file saved with a
// byte-order mark, a line break or another encoding. node-fetch, under the Tencent SDK, refuses the
// header quoting its whole value ("<value> is not a legal HTTP header value": the session token, or
// the Authorization header with the SecretId and the signature); Node's http says ERR_INVALID_CHAR.
// Either way it is the configuration's fault, not the network's: never retried, and shown with a
// fixed text and no cause, since every text of the SDK's error may quote the value.
import { errorChain } from '../../base/error-chain.js';
import { ApiError, type Provider } from '../../contract/types.js';

/** The code such a call is counted under. */
const ILLEGAL_HEADER_CODE = 'invalid_credentials';

const ILLEGAL_HEADER = /is not a legal HTTP header value|Invalid character in header content/;

/** The ApiError for `error` when it is a header HTTP cannot carry; undefined for any other error. */
export function illegalHeaderError(provider: Provider, action: string, error: unknown): ApiError | undefined {
  const illegal = errorChain(error).some((link) => link.code === 'ERR_INVALID_CHAR' || ILLEGAL_HEADER.test(link.message));
  if (!illegal) return undefined;
  return new ApiError(
    provider,
    action,
    ILLEGAL_HEADER_CODE,
    'config',
    `${action}: a credential holds a character a request header cannot carry (a byte-order mark, a line break, a character of another encoding?): check the account's keys and token, in their files or variables`,
  );
}
