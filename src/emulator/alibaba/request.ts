// One Alibaba call as the emulator reads it (RPC parameters from the query and a form body alike, the
// action and version from the ACS3 headers or the parameters) and the refusals every action shares:
// its parameters outside the document's limits, or an action the signer's RAM policy does not allow.
import type { IncomingMessage } from 'node:http';
import { parseQuery } from './signature.js';
import { AlibabaRequestError, checkAlibabaParameters, type routeAlibaba } from './actions.js';
import type { EmulatedAccount } from './fleet.js';

export type Query = Record<string, string>;

/** An error answer: its code, and a message where the cloud's is not the code's usual one. */
export interface Refusal {
  code: string;
  message?: string | undefined;
}

export type AlibabaActionSpec = ReturnType<typeof routeAlibaba>;

/** One call as it arrived: RPC parameters from the query and a form body alike (the signature tells them apart). */
export interface EmulatedRequest {
  requestId: string;
  hostId: string;
  path: string;
  query: Query;
  form: Query;
  body: Buffer;
  params: Query;
  action: string;
  version: string;
}

export function readRequest(req: IncomingMessage, url: URL, body: Buffer, requestId: string): EmulatedRequest {
  const query = parseQuery(url.search);
  const form = isForm(req) ? parseQuery(body.toString('utf8')) : {};
  const params: Query = { ...query, ...form };
  return {
    requestId,
    hostId: typeof req.headers.host === 'string' ? req.headers.host.replace(/:\d+$/, '') : 'tds.aliyuncs.com',
    path: url.pathname,
    query,
    form,
    body,
    params,
    action: headerText(req, 'x-acs-action') || params['Action'] || '',
    version: headerText(req, 'x-acs-version') || params['Version'] || '',
  };
}

/** The action's parameters as its document limits them, then RAM: the signer's policy (a role's, for temporary keys) must allow it. */
export function actionRefusal(spec: AlibabaActionSpec, params: Query, signer: EmulatedAccount, action: string): Refusal | undefined {
  try {
    checkAlibabaParameters(spec, params);
  } catch (error) {
    if (error instanceof AlibabaRequestError) return { code: error.code, message: error.message };
    throw error;
  }
  if (!signer.deniedActions.includes(action)) return undefined;
  const service = spec.product === 'Sas' ? 'yundun-sas' : spec.product.toLowerCase();
  return {
    code: 'NoPermission',
    message: `You are not authorized to do this action (${service}:${action}). You should be authorized by RAM.`,
  };
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

export function headerText(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return typeof value === 'string' ? value : '';
}

export function intParam(params: Query, key: string, fallback: number): number | null {
  const text = params[key];
  if (text === undefined || text === '') return fallback;
  return /^\d+$/.test(text) ? Number(text) : null;
}
