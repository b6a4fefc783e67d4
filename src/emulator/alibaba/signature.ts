// Checks Alibaba Cloud request signatures the way the Darabonba base client computes them:
// ACS3-HMAC-SHA256 in the Authorization header (the default), or the older RPC signature
// (HMAC-SHA1 in the query, signatureAlgorithm "v2"). Secrets are compared in constant time and
// never leave this module.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

type SignatureCheck =
  { ok: true; accessKeyId: string } | { ok: false; accessKeyId: string | null; reason: 'missing' | 'unknown_key' | 'mismatch' };

/** Percent-encoding of the SDK (RFC 3986: encodeURIComponent plus !'()*). */
function acsEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

/** Decoded query parameters in wire order; the last value of a repeated key wins, as in the SDK's map. */
export function parseQuery(search: string): Record<string, string> {
  const params: Record<string, string> = {};
  const text = search.startsWith('?') ? search.slice(1) : search;
  if (text === '') return params;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const key = decode(at < 0 ? part : part.slice(0, at));
    params[key] = at < 0 ? '' : decode(part.slice(at + 1));
  }
  return params;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return text;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // Compare digests so that unequal lengths take the same time as equal ones.
  const hash = (value: Buffer) => createHash('sha256').update(value).digest();
  return timingSafeEqual(hash(left), hash(right)) && left.length === right.length;
}

const ACS3 = /^ACS3-HMAC-SHA256 Credential=([^,]*),SignedHeaders=([^,]*),Signature=([0-9a-f]+)$/;

/**
 * `params` are the query parameters (and form body fields), `secretOf` finds the secret of a key id.
 * Only ACS3-HMAC-SHA256 and the HMAC-SHA1 RPC signature are accepted.
 */
export function checkSignature(
  req: IncomingMessage,
  pathname: string,
  query: Record<string, string>,
  form: Record<string, string>,
  body: Buffer,
  secretOf: (accessKeyId: string) => string | undefined,
): SignatureCheck {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string' && authorization !== '') {
    return checkAcs3(req, pathname, query, body, authorization, secretOf);
  }
  if (query['Signature'] !== undefined && query['AccessKeyId'] !== undefined) {
    return checkRpcV2(req.method ?? 'GET', { ...query, ...form }, secretOf);
  }
  return { ok: false, accessKeyId: null, reason: 'missing' };
}

function checkAcs3(
  req: IncomingMessage,
  pathname: string,
  query: Record<string, string>,
  body: Buffer,
  authorization: string,
  secretOf: (accessKeyId: string) => string | undefined,
): SignatureCheck {
  const match = ACS3.exec(authorization.trim());
  if (!match) return { ok: false, accessKeyId: null, reason: 'missing' };
  const [, accessKeyId = '', signedList = '', signature = ''] = match;
  const secret = secretOf(accessKeyId);
  if (secret === undefined) return { ok: false, accessKeyId, reason: 'unknown_key' };

  const signedHeaders = signedList.split(';');
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const claimedHash = header(req, 'x-acs-content-sha256');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-acs-content-sha256') || claimedHash !== payloadHash) {
    return { ok: false, accessKeyId, reason: 'mismatch' };
  }
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((key) => `${key}=${acsEncode(query[key]!)}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${header(req, name).trim()}\n`).join('');
  const canonicalUri = pathname.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  const canonicalRequest = [req.method ?? 'GET', canonicalUri, canonicalQuery, canonicalHeaders, signedList, claimedHash].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const expected = createHmac('sha256', secret).update(stringToSign).digest('hex');
  return sameText(expected, signature) ? { ok: true, accessKeyId } : { ok: false, accessKeyId, reason: 'mismatch' };
}

function checkRpcV2(method: string, params: Record<string, string>, secretOf: (accessKeyId: string) => string | undefined): SignatureCheck {
  const accessKeyId = params['AccessKeyId'] ?? '';
  const secret = secretOf(accessKeyId);
  if (secret === undefined) return { ok: false, accessKeyId, reason: 'unknown_key' };
  const signature = params['Signature'] ?? '';
  const canonical = Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${acsEncode(key)}=${acsEncode(params[key]!)}`)
    .join('&');
  const stringToSign = `${method}&${acsEncode('/')}&${acsEncode(canonical)}`;
  const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
  return sameText(expected, signature) ? { ok: true, accessKeyId } : { ok: false, accessKeyId, reason: 'mismatch' };
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}
