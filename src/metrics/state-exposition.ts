// The series rendered from account states (cloud data, and each account's up, last success and
// refresh duration), written by hand as compressible pieces rather than kept in prom-client: each
// account's are rendered to bytes once per state change and replaced whole, so no label set
// outlives the data it came from and a warm scrape only writes bytes (text.ts, gzip.ts).
import type { AccountState, SnapshotRenderer } from '../contract/account-state.js';
import { ItemMemo } from '../base/item-memo.js';
import { HEALTH, type Family } from './families.js';
import { CompressiblePiece } from './gzip.js';
import { accountSampleBlocks, liveSamples, type Sample, type SampleBlock } from './samples.js';
import { familyHeader, sampleLine } from './text.js';

/**
 * Health families rendered from account states once per change, in exposition order; the clouds'
 * families follow, in the order of their accounts' renderers (LIVE_FAMILIES go after HEALTH's).
 */
const HEALTH_STATE_FAMILIES: readonly Family[] = [
  HEALTH.up,
  HEALTH.actionUp,
  HEALTH.lastSuccess,
  HEALTH.collectDuration,
  HEALTH.lastRefreshError,
  HEALTH.refreshFailedCalls,
];
/** Families rendered on every scrape: their values move without the state changing. */
const LIVE_FAMILIES: readonly Family[] = [HEALTH.refreshProgress, HEALTH.dataAge];
/** Where the live families go in the exposition: right after the state-rendered health families. */
const LIVE_AFTER = HEALTH.refreshFailedCalls;

/** Family headers never change: each is compressed once for the process. */
const HEADERS = new Map<Family, CompressiblePiece>();

export function headerOf(family: Family): CompressiblePiece {
  let header = HEADERS.get(family);
  if (header === undefined) {
    header = new CompressiblePiece(familyHeader(family));
    HEADERS.set(family, header);
  }
  return header;
}

export interface AccountRender {
  state: AccountState;
  renderer: SnapshotRenderer;
}

interface RenderedAccount {
  version: number;
  /** Sample lines by family name, as UTF-8 (a large fleet's are tens of MiB: kept apart, not joined). */
  chunks: Map<string, CompressiblePiece[]>;
  /** The latest state seen, for the live samples (which change without the version changing). */
  state: AccountState;
  /** What rendered it: a reload may give the account another (per_server_series changed), with its state's version restarting. */
  renderer: SnapshotRenderer;
}

/** Every account's rendered series, by provider/account, in configuration order. */
export class RenderedStates {
  readonly #rendered = new Map<string, RenderedAccount>();
  /** Account keys in configuration order. */
  #order: string[] = [];

  /**
   * Brings the rendered series of every account (`key` of each: provider/account) in line with its
   * state; returns the keys of the accounts no longer listed, whose series are dropped.
   */
  sync(accounts: ReadonlyArray<AccountRender & { key: string }>): string[] {
    this.#order = accounts.map(({ key }) => key);
    for (const account of accounts) {
      const rendered = this.#rendered.get(account.key);
      if (rendered?.version === account.state.version && rendered.renderer === account.renderer) {
        rendered.state = account.state;
        continue;
      }
      const chunks = renderBlocks(accountSampleBlocks(account.state, account.renderer));
      this.#rendered.set(account.key, { version: account.state.version, chunks, state: account.state, renderer: account.renderer });
    }
    const present = new Set(this.#order);
    const gone = [...this.#rendered.keys()].filter((key) => !present.has(key));
    for (const key of gone) this.#rendered.delete(key);
    return gone;
  }

  /** Every account's series, family by family; `now` (Unix ms) dates the live samples. */
  pieces(now: number): CompressiblePiece[] {
    const accounts = this.#order.flatMap((key) => this.#rendered.get(key) ?? []);
    return statePieces(
      accounts.map((account) => account.chunks),
      accounts.map((account) => liveSamples(account.state, now)),
      accounts.map((account) => account.renderer.families),
    );
  }

  forget(key: string): void {
    this.#rendered.delete(key);
  }
}

/** One account's series rendered afresh (for /probe: nothing of another account or of an earlier probe shows up). */
export function accountPieces(account: AccountRender, now: number): CompressiblePiece[] {
  return statePieces(
    [renderBlocks(accountSampleBlocks(account.state, account.renderer))],
    [liveSamples(account.state, now)],
    [account.renderer.families],
  );
}

/** A block's pieces by family name, kept while its items live. */
const renderedBlocks = new ItemMemo<Map<string, CompressiblePiece>>();

function renderBlock(block: SampleBlock): Map<string, CompressiblePiece> {
  const render = () => {
    const lines = new Map<string, string[]>();
    for (const { family, labels, value } of block.samples()) {
      const list = lines.get(family.name) ?? [];
      list.push(sampleLine(family.name, labels, value));
      lines.set(family.name, list);
    }
    return new Map([...lines].map(([name, list]) => [name, new CompressiblePiece(list.join(''))]));
  };
  return block.sources ? renderedBlocks.get(block.sources, render) : render();
}

/** Each family's pieces, block by block in order: unchanged blocks keep their (compressed) pieces. */
function renderBlocks(blocks: readonly SampleBlock[]): Map<string, CompressiblePiece[]> {
  const pieces = new Map<string, CompressiblePiece[]>();
  for (const block of blocks) {
    for (const [name, piece] of renderBlock(block)) {
      const list = pieces.get(name) ?? [];
      list.push(piece);
      pieces.set(name, list);
    }
  }
  return pieces;
}

/**
 * Each family's header and then every account's lines of it, in account order: the cached pieces
 * of the state families, with the live families (rendered now, joined per family) after HEALTH's.
 */
function statePieces(
  rendered: ReadonlyArray<Map<string, CompressiblePiece[]>>,
  live: ReadonlyArray<readonly Sample[]>,
  cloudFamilies: ReadonlyArray<readonly Family[]>,
): CompressiblePiece[] {
  const parts: CompressiblePiece[] = [];
  const add = (family: Family, pieces: readonly CompressiblePiece[]) => {
    if (pieces.length > 0) parts.push(headerOf(family), ...pieces);
  };
  const stateFamilies = new Set([...HEALTH_STATE_FAMILIES, ...cloudFamilies.flat()]);
  for (const family of stateFamilies) {
    add(
      family,
      rendered.flatMap((chunks) => chunks.get(family.name) ?? []),
    );
    if (family !== LIVE_AFTER) continue;
    for (const liveFamily of LIVE_FAMILIES) {
      const text = live.flatMap((samples) =>
        samples.filter((s) => s.family === liveFamily).map((s) => sampleLine(s.family.name, s.labels, s.value)),
      );
      add(liveFamily, text.length > 0 ? [new CompressiblePiece(text.join(''))] : []);
    }
  }
  return parts;
}
