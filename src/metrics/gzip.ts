// A gzip answer assembled from pieces compressed once each. Every piece is a raw deflate stream of
// its own, ended with a sync flush (byte-aligned, not final) and sharing no history with the
// others, so pieces concatenate into one valid deflate stream (as pigz joins its blocks). A scrape
// then compresses only what changed since the last one: an account's series are compressed once
// per change of its data, and only the small per-scrape part is compressed every time. Hand-written
// rather than a compression middleware, which gzips the whole answer on every scrape, for a
// measured reason (bench part 7; docs/benchmarks.md and bench/BEFORE.md): at 10,000
// servers gzip -1 of the 97.8 MB answer costs about 66 ms each time, while a warm gzip scrape here
// costs 15.0 ms of CPU against 16.7 ms for identity, for 3.15 MB on the wire.
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, type ZlibOptions } from 'node:zlib';

const deflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(deflateRaw);

/** Fast: an account's pieces are compressed again whenever its data changes. gzip -1 made 9.9 MB into 0.39 MB. */
const LEVEL = constants.Z_BEST_SPEED;

/** A member header: magic, deflate, no flags, no mtime, no extra flags, unknown OS. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
/** An empty final block with fixed Huffman codes: ends the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** A piece of exposition text that keeps its compressed form once asked for it. */
export class CompressiblePiece {
  readonly text: Buffer;
  #compressed: Promise<CompressedPiece> | undefined;

  constructor(text: Buffer | string) {
    this.text = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  }

  /** Compressed on the first call only; zlib's thread pool does the work, not the event loop. */
  compressed(): Promise<CompressedPiece> {
    this.#compressed ??= compressPiece(this.text);
    return this.#compressed;
  }
}

interface CompressedPiece {
  deflated: Buffer;
  crc: number;
  length: number;
}

async function compressPiece(text: Buffer): Promise<CompressedPiece> {
  const deflated = await deflateRawAsync(text, { level: LEVEL, finishFlush: constants.Z_SYNC_FLUSH });
  return { deflated, crc: crc32(text), length: text.length };
}

/** One gzip member holding the pieces' text in order. */
function gzipMember(pieces: readonly CompressedPiece[]): Buffer[] {
  let crc = 0;
  let length = 0;
  for (const piece of pieces) {
    crc = crc32Combine(crc, piece.crc, piece.length);
    length += piece.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return [GZIP_HEADER, ...pieces.map((piece) => piece.deflated), FINAL_BLOCK, trailer];
}

// ---- CRC-32 of a concatenation from the pieces' CRCs (zlib's crc32_combine) -------------------

const POLYNOMIAL = 0xedb88320;

/** a(x) * b(x) modulo the CRC polynomial, both in reflected form. */
function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let product = 0;
  for (;;) {
    if ((a & m) !== 0) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial, for k = 0..31. */
const X_POW_2K: readonly number[] = (() => {
  const table = [0x40000000];
  for (let k = 1; k < 32; k++) table.push(multiplyModP(table[k - 1]!, table[k - 1]!));
  return table;
})();

/** x^(n * 2^k) modulo the polynomial. */
function xPowModP(n: number, k: number): number {
  let p = 0x80000000;
  while (n > 0) {
    if (n % 2 === 1) p = multiplyModP(X_POW_2K[k & 31]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/** The CRC-32 of A followed by B, from crc(A), crc(B) and B's length in bytes. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multiplyModP(xPowModP(lengthB, 3), crcA >>> 0) ^ crcB) >>> 0;
}

/** An exposition as pieces of text in order; cached pieces keep their compressed form. */
export type Exposition = readonly CompressiblePiece[];

export function identityBody(exposition: Exposition): Buffer[] {
  return exposition.map((piece) => piece.text);
}

export async function gzipBody(exposition: Exposition): Promise<Buffer[]> {
  return gzipMember(await Promise.all(exposition.map((piece) => piece.compressed())));
}
