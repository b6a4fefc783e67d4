// The HTTP agent of the Tencent client. The SDK fetches with node-fetch, which follows redirects
// (to any host, with X-TC-Token and the signed headers) and takes no option to stop it; the agent
// is the one place the SDK lets us decide where a request may go. It connects only to the
// configured endpoint, and only once per API call: a second connection within a call can only be a
// redirect being followed, so it is refused before anything is sent.
import { Agent as HttpAgent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Endpoint } from '../../base/endpoint.js';
import { AnswerError, HttpCall } from '../kit/http-call.js';

export const REDIRECT_REFUSED = 'refused to follow a redirect';

function checkTarget(endpoint: { hostname: string; port: string }, options: ClientRequestArgs): void {
  const host = String(options.host ?? options.hostname ?? '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  const port = String(options.port ?? '');
  if (host !== endpoint.hostname || port !== endpoint.port || HttpCall.current()?.claimConnection() === false) {
    throw new AnswerError('redirect_refused', `${REDIRECT_REFUSED} (to ${host}:${port})`);
  }
}

/** An agent without keep-alive that connects only to `endpoint`, once per API call. */
export function endpointAgent(endpoint: Endpoint): HttpAgent {
  const url = new URL(`${endpoint.protocol}://${endpoint.host}`);
  const target = {
    hostname: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(),
    port: url.port || (endpoint.protocol === 'https' ? '443' : '80'),
  };
  const options: AgentOptions = { keepAlive: false };
  if (endpoint.protocol === 'https') {
    return new (class extends HttpsAgent {
      override createConnection(...args: Parameters<HttpsAgent['createConnection']>): Duplex {
        checkTarget(target, args[0]);
        return super.createConnection(...args) as Duplex;
      }
    })(options);
  }
  return new (class extends HttpAgent {
    override createConnection(...args: Parameters<HttpAgent['createConnection']>): Duplex {
      checkTarget(target, args[0]);
      return super.createConnection(...args) as Duplex;
    }
  })(options);
}
