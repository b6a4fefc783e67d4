// Reading a file the configuration names (the config file, the web config, its TLS files, `*_file`
// secrets) without letting the file decide how long that takes: regular files only, up to a size
// limit. A named pipe would block the read until someone writes to it, `/dev/urandom` or
// `/dev/zero` never end, and a huge file takes the memory and the event loop with it.
//
// The file is opened with O_NONBLOCK (so opening a FIFO does not wait for a writer; it has no effect
// on regular files) and checked with fstat on that same descriptor, so nothing can swap the file
// between the check and the read. At most `maxBytes + 1` bytes are ever read.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** The size limits, in bytes; documented in docs/configuration.md and docs/cli.md. */
export const FILE_LIMITS = {
  /** --config.file: 10,000 listed servers take about 450 KB. */
  config: 1024 * 1024,
  /** --web.config.file. */
  webConfig: 1024 * 1024,
  /** A certificate, key or client CA file named by the web config. */
  tls: 1024 * 1024,
  /** A `*_file` secret. */
  secret: 64 * 1024,
} as const;

/** Why a file could not be read; `message` says what is wrong and never holds the file's contents. */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';

  constructor(
    message: string,
    /** The errno code when the system refused (ENOENT, EACCES, ...). */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** "1 MiB", "64 KiB", "100 bytes". */
function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The bytes of a regular file of at most `maxBytes`; throws FileReadError otherwise. */
export function readRegularFile(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new FileReadError(error instanceof Error ? error.message : String(error), (error as NodeJS.ErrnoException).code);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileReadError(`${kindOf(stats)}, not a regular file`);
    const limit = `larger than the ${formatBytes(maxBytes)} limit`;
    if (stats.size > maxBytes) throw new FileReadError(limit);
    // The size can change while we read: read until EOF, never past the limit.
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stats.size + 1, 4096)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw new FileReadError(limit);
        throw new FileReadError('changed while being read');
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw new FileReadError(limit);
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError(error instanceof Error ? error.message : String(error), (error as NodeJS.ErrnoException).code);
  } finally {
    closeSync(fd);
  }
}

/** readRegularFile as UTF-8 text. */
export function readRegularTextFile(path: string, maxBytes: number): string {
  return readRegularFile(path, maxBytes).toString('utf8');
}
