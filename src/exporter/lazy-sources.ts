// A cloud's source and member lister, each loaded on first use: an exporter of one cloud never
// loads the other's SDK, about 8 MiB of resident memory each.
import type { FetchContext, MemberSource, Provider, Snapshot, Source } from '../contract/types.js';

/** A cloud's source, its module (and so its SDK) loaded on the account's first refresh. */
export class LazySource implements Source<Snapshot> {
  #source: Promise<Source<Snapshot>> | undefined;

  constructor(
    readonly provider: Provider,
    readonly account: string,
    private readonly load: () => Promise<Source<Snapshot>>,
  ) {}

  async fetch(context: FetchContext<Snapshot>): Promise<Snapshot> {
    this.#source ??= this.load();
    return (await this.#source).fetch(context);
  }
}

/** An organization's member lister, its module (and so its cloud's SDK) loaded on the first listing. */
export class LazyMemberSource implements MemberSource {
  #source: Promise<MemberSource> | undefined;

  constructor(
    readonly provider: Provider,
    readonly organization: string,
    private readonly load: () => Promise<MemberSource>,
  ) {}

  async list(...args: Parameters<MemberSource['list']>): ReturnType<MemberSource['list']> {
    this.#source ??= this.load();
    return (await this.#source).list(...args);
  }
}
