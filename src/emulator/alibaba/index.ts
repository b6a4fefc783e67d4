// Placeholder: the Alibaba emulator (signature checks, simulated accounts, fault injection) lands here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerContext, ProviderHandler } from '../server.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AlibabaEmulatorOptions {}

export class AlibabaEmulator implements ProviderHandler {
  readonly provider = 'alibaba' as const;
  constructor(
    readonly options: AlibabaEmulatorOptions,
    readonly now: () => number,
  ) {}
  accepts(_req: IncomingMessage, _url: URL): boolean {
    return false;
  }
  async handle(_req: IncomingMessage, _url: URL, _body: Buffer, res: ServerResponse, _context: HandlerContext): Promise<void> {
    res.writeHead(501);
    res.end();
  }
}
