// Caps the bytes one HTTP answer may bring, for SDK clients that accept an http.Agent: a socket
// that has received more than the limit is destroyed, and the SDK sees a network error whose
// message carries RESPONSE_TOO_LARGE so the error classifier can call it invalid_response.
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';

export const RESPONSE_TOO_LARGE = 'answer exceeds the response size limit';

/** Default limit for one API answer: far above any real scan status answer. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

function limit(socket: Duplex, maxBytes: number): Duplex {
  let received = 0;
  // Counting through emit rather than a 'data' listener: an extra listener changes how the socket
  // flows, and node-fetch (under the Tencent SDK) then reports "Premature close".
  const emit = socket.emit.bind(socket);
  socket.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'data' && Buffer.isBuffer(args[0])) {
      received += args[0].length;
      if (received > maxBytes) {
        socket.destroy(new Error(`${RESPONSE_TOO_LARGE} (${maxBytes} bytes)`));
        return false;
      }
    }
    return emit(event, ...args);
  };
  return socket;
}

/** An agent without keep-alive, so each socket carries exactly one answer and its byte count is that answer's. */
export function sizeLimitedAgent(protocol: 'http' | 'https', maxBytes: number): HttpAgent {
  const options: AgentOptions = { keepAlive: false };
  if (protocol === 'https') {
    return new (class extends HttpsAgent {
      override createConnection(...args: Parameters<HttpsAgent['createConnection']>): Duplex {
        return limit(super.createConnection(...args) as Duplex, maxBytes);
      }
    })(options);
  }
  return new (class extends HttpAgent {
    override createConnection(...args: Parameters<HttpAgent['createConnection']>): Duplex {
      return limit(super.createConnection(...args) as Duplex, maxBytes);
    }
  })(options);
}
