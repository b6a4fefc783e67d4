// Where an API is reached: named by config (which parses it) and by the sources (which call it and
// describe it). Endpoint values: a host name (with an optional port) meaning https, or a URL with only
// a scheme (http or https), a host and a port.

/** https://host or http://host:port; host may carry a port. */
export interface Endpoint {
  protocol: 'https' | 'http';
  host: string;
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const HINT = 'use a host name such as cwp.tencentcloudapi.com or a URL such as http://127.0.0.1:8080';

/** The Endpoint, or a message saying what is wrong (the value is quoted unless it may hold a password). */
export function parseEndpoint(text: string): Endpoint | { error: string } {
  const value = text.trim();
  if (value.includes('@')) return { error: `an endpoint takes no user name or password (${HINT})` };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value);
  if (scheme === null) {
    if (!HOST.test(value) || !validPort(value)) return { error: `${JSON.stringify(text)} is not a host name or URL (${HINT})` };
    return { protocol: 'https', host: value.toLowerCase() };
  }
  const protocol = scheme[1]?.toLowerCase();
  if (protocol !== 'http' && protocol !== 'https') {
    return { error: `${JSON.stringify(text)}: scheme ${protocol ?? ''} is not supported (${HINT})` };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: `${JSON.stringify(text)} is not a host name or URL (${HINT})` };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || value.endsWith('?') || value.endsWith('#')) {
    return { error: `${JSON.stringify(text)}: an endpoint URL takes only a scheme, a host and a port, no path or query` };
  }
  if (url.host === '') return { error: `${JSON.stringify(text)} has no host (${HINT})` };
  return { protocol, host: url.host };
}

function validPort(hostPort: string): boolean {
  const port = /:(\d+)$/.exec(hostPort)?.[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

export function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.protocol === 'https' && !endpoint.host.includes(':') ? endpoint.host : `${endpoint.protocol}://${endpoint.host}`;
}

/** True for a host of this machine: 127.0.0.0/8, ::1, localhost (with or without a port). */
export function isLoopback(endpoint: Endpoint): boolean {
  const host = endpoint.host
    .toLowerCase()
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
