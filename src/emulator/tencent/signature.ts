// TC3-HMAC-SHA256, checked the way Tencent Cloud checks it: the canonical request the SDK signs
// (content-type and host, host without port), the service as the host's first DNS label, and the
// date scope of X-TC-Timestamp.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Tencent answers a request signed more than this far from its clock with AuthFailure.SignatureExpire. */
const MAX_CLOCK_SKEW_SECONDS = 300;

type SignatureCheck = { ok: true; secretId: string } | { ok: false; code: string; message: string; secretId?: string };

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/;

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

export function tc3Signature(options: {
  secretKey: string;
  date: string;
  service: string;
  timestamp: string;
  contentType: string;
  host: string;
  body: Buffer;
}): string {
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${options.contentType}\nhost:${options.host}\n`,
    'content-type;host',
    sha256Hex(options.body),
  ].join('\n');
  const scope = `${options.date}/${options.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', options.timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`TC3${options.secretKey}`, options.date);
  const kService = hmac(kDate, options.service);
  const kSigning = hmac(kService, 'tc3_request');
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
}

/** Checks a request's signature; `secretKeyOf` gives the key of a SecretId, or undefined when unknown. */
export function checkTc3(
  headers: IncomingHttpHeaders,
  body: Buffer,
  secretKeyOf: (secretId: string) => string | undefined,
  nowSeconds: number,
): SignatureCheck {
  const authorization = headers['authorization'] ?? '';
  const match = AUTHORIZATION.exec(authorization);
  if (!match) {
    return { ok: false, code: 'AuthFailure.InvalidAuthorization', message: 'The Authorization header is missing or malformed.' };
  }
  const [, secretId, date, service, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
  const secretKey = secretKeyOf(secretId);
  if (secretKey === undefined) {
    return {
      ok: false,
      code: 'AuthFailure.SecretIdNotFound',
      message: 'The SecretId is not found, please ensure that your SecretId is correct.',
    };
  }
  const timestamp = String(headers['x-tc-timestamp'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - nowSeconds) > MAX_CLOCK_SKEW_SECONDS) {
    return {
      ok: false,
      code: 'AuthFailure.SignatureExpire',
      message: 'Signature expired: the request timestamp is too far from the server time.',
      secretId,
    };
  }
  const host = (headers['host'] ?? '').replace(/:\d+$/, '');
  const expectedDate = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
  if (signedHeaders !== 'content-type;host' || date !== expectedDate || service !== host.split('.')[0]) {
    return { ok: false, code: 'AuthFailure.SignatureFailure', message: 'The provided credentials could not be validated.', secretId };
  }
  const expected = tc3Signature({
    secretKey,
    date,
    service,
    timestamp,
    contentType: String(headers['content-type'] ?? ''),
    host,
    body,
  });
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    return {
      ok: false,
      code: 'AuthFailure.SignatureFailure',
      message: 'The provided credentials could not be validated. Please check your signature is correct.',
      secretId,
    };
  }
  return { ok: true, secretId };
}
