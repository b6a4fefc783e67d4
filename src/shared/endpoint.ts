// Where an API is reached: named by config (which parses it) and by the sources (which call it).

/** https://host or http://host:port; host may carry a port. */
export interface Endpoint {
  protocol: 'https' | 'http';
  host: string;
}
