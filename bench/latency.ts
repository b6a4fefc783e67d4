// Measuring HTTP latency from a client in this process: percentiles over many sequential or
// concurrent GETs with a keep-alive agent, so connection setup is not what is measured.
import { Agent, request } from 'node:http';

export interface LatencyStats {
  count: number;
  p50Ms: number;
  p99Ms: number;
  bytes: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * A kept-alive socket that the server closed while idle (after its keep-alive timeout) fails with
 * ECONNRESET when reused; such a request is sent once more, on a new socket.
 */
async function retryReset<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
    return send();
  }
}

export function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return retryReset(() => getOnce(url, headers));
}

function getOnce(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** GETs and throws the body away, counting its bytes: for load where the content does not matter. */
export function drain(url: string): Promise<{ status: number; bytes: number }> {
  return retryReset(() => drainOnce(url));
}

function drainOnce(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function measure(url: string, requests: number, concurrency = 1): Promise<LatencyStats> {
  const times: number[] = [];
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      const started = performance.now();
      const { status, body } = await get(url);
      times.push(performance.now() - started);
      if (status !== 200) throw new Error(`${url} answered ${status}`);
      bytes = body.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { count: times.length, p50Ms: at(0.5), p99Ms: at(0.99), bytes };
}

export function closeAgent(): void {
  agent.destroy();
}
