// The methods each endpoint answers. Any other method on a known path gets 405 Method Not Allowed
// with an `Allow` header (RFC 9110 15.5.6), before a route runs; unknown paths stay 404.
import type { NextFunction, Request, Response } from 'express';

const READ = ['GET', 'HEAD'] as const;

const ENDPOINT_METHODS: Readonly<Record<string, readonly string[]>> = {
  '/': READ,
  '/metrics': READ,
  '/probe': READ,
  '/targets': READ,
  '/-/healthy': READ,
  '/-/ready': READ,
  '/-/reload': ['POST'],
};

export function rejectUnsupportedMethods(req: Request, res: Response, next: NextFunction): void {
  // As Express routes match: case-insensitive, one trailing slash optional.
  const path = req.path.length > 1 ? req.path.replace(/\/$/, '').toLowerCase() : req.path;
  const allowed = Object.hasOwn(ENDPOINT_METHODS, path) ? ENDPOINT_METHODS[path] : undefined;
  if (allowed === undefined || allowed.includes(req.method)) {
    next();
    return;
  }
  res
    .status(405)
    .set('Allow', allowed.join(', '))
    .type('text')
    .send(`Method ${req.method.slice(0, 20)} not allowed here; use ${allowed.join(' or ')}.\n`);
}
