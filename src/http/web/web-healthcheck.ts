// The container's HEALTHCHECK: `node dist/src/http/web/web-healthcheck.js [url]` exits 0 when the URL
// (default http://127.0.0.1:9787/-/healthy) answers 200, 1 otherwise. The slim image has no curl.
//
// It works whether or not the web config turns on TLS: when plain HTTP fails it retries the same
// address over HTTPS without checking the certificate (a liveness probe on the container's own
// loopback; it sends nothing secret). /-/healthy needs no basic auth (see web-server.ts). With
// client_auth_type RequireAndVerifyClientCert, give the probe a client certificate through
// HEALTHCHECK_CERT_FILE and HEALTHCHECK_KEY_FILE, or override the image's HEALTHCHECK.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pathToFileURL } from 'node:url';

const DEFAULT_HEALTH_URL = 'http://127.0.0.1:9787/-/healthy';

interface HealthResult {
  ok: boolean;
  /** One line for `docker inspect`'s health log. */
  detail: string;
}

function get(url: URL, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = { method: 'GET', timeout: timeoutMs };
    if (url.protocol === 'https:') {
      options.rejectUnauthorized = false;
      const certFile = env['HEALTHCHECK_CERT_FILE'];
      const keyFile = env['HEALTHCHECK_KEY_FILE'];
      if (certFile && keyFile) {
        options.cert = readFileSync(certFile);
        options.key = readFileSync(keyFile);
      }
    }
    const request = (url.protocol === 'https:' ? https : http).request(url, options, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

export async function checkHealth(
  target: string = DEFAULT_HEALTH_URL,
  timeoutMs = 4000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<HealthResult> {
  const url = new URL(target);
  const attempts = [url];
  if (url.protocol === 'http:') {
    const secure = new URL(url);
    secure.protocol = 'https:';
    attempts.push(secure);
  }
  const failures: string[] = [];
  for (const attempt of attempts) {
    try {
      const status = await get(attempt, timeoutMs, env);
      if (status === 200) return { ok: true, detail: `${attempt.href}: 200` };
      // The server answered: no point trying another scheme.
      return { ok: false, detail: `${attempt.href}: HTTP ${status}` };
    } catch (error) {
      failures.push(`${attempt.href}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { ok: false, detail: failures.join('; ') };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  checkHealth(process.argv[2]).then(
    (result) => {
      process.stdout.write(`${result.detail}\n`);
      process.exit(result.ok ? 0 : 1);
    },
    (error: unknown) => {
      process.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
