// Placeholder: the Tencent emulator (signature checks, simulated accounts, fault injection) lands here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerContext, ProviderHandler } from '../server.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TencentEmulatorOptions {}

export class TencentEmulator implements ProviderHandler {
  readonly provider = 'tencent' as const;
  constructor(
    readonly options: TencentEmulatorOptions,
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
