// The layer table of ARCHITECTURE.md, read as a person reads it: the markdown table whose header is
// | folder | layer | rank | what it is |. One row per folder; `<cloud>` (any `<word>`) in a folder
// stands for each folder at that place without a row of its own, each its own layer, so the row's
// layer names the placeholder too. A folder's row covers the modules directly in it, not its subfolders.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface Layer {
  /** The layer's name, a placeholder filled in (`tencent source`): modules of one layer may import each other. */
  readonly group: string;
  readonly rank: number;
}

export interface LayerRow {
  /** The folder as the table writes it, from the repository root, ending with `/` (`src/sources/<cloud>/`). */
  readonly folder: string;
  readonly layer: string;
  readonly rank: number;
  /** The line of ARCHITECTURE.md it is on. */
  readonly line: number;
}

export interface LayerTable {
  readonly rows: readonly LayerRow[];
  /** The top folders the table places modules in (src, scripts, ...): the import graph reads these. */
  readonly roots: readonly string[];
  /** The row of a folder (`src/sources/tencent/`), exact rows before placeholder ones; undefined when none. */
  rowOf(folder: string): LayerRow | undefined;
  /** The layer of a module (a repository path such as `src/cmd/main.ts`); undefined when its folder has no row. */
  layerOf(module: string): Layer | undefined;
}

export const ARCHITECTURE = 'ARCHITECTURE.md';

const HEADER = ['folder', 'layer', 'rank', 'what it is'];
const PLACEHOLDER = /<([a-z]+)>/g;

export class LayerTableError extends Error {}

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());

const plain = (cell: string): string => cell.replace(/`/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim();

function parseRow(line: string, number: number, fileName: string): LayerRow {
  const where = `${fileName}:${number}`;
  const row = cells(line);
  const [folderCell, layerCell, rankCell] = row;
  if (row.length !== HEADER.length)
    throw new LayerTableError(`${where}: a row of the layer table has ${HEADER.length} cells (${HEADER.join(', ')})`);
  const folder = /^`([^`]+)`$/.exec(folderCell!)?.[1];
  if (folder === undefined || !/^(?:(?:[\w.-]+|<[a-z]+>)\/)+$/.test(folder)) {
    throw new LayerTableError(
      `${where}: the folder ${JSON.stringify(folderCell)} is not one path in backticks ending with / (e.g. \`src/base/\`)`,
    );
  }
  const layer = plain(layerCell!);
  if (layer === '') throw new LayerTableError(`${where}: the folder ${folder} has no layer`);
  const placeholders = (text: string) =>
    [...text.matchAll(PLACEHOLDER)]
      .map((match) => match[0])
      .sort()
      .join();
  if (placeholders(folder) !== placeholders(layer)) {
    throw new LayerTableError(
      `${where}: the layer "${layer}" must name the placeholders of its folder ${folder}, so that each such folder is a layer of its own`,
    );
  }
  if (!/^\d+$/.test(rankCell!))
    throw new LayerTableError(`${where}: the rank ${JSON.stringify(rankCell)} of ${folder} is not a whole number`);
  return { folder, layer, rank: Number(rankCell), line: number };
}

/** The layer table of a markdown text; a LayerTableError names the line of anything wrong. */
export function parseLayerTable(markdown: string, fileName = ARCHITECTURE): LayerTable {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim().startsWith('|') && cells(line).join('|').toLowerCase() === HEADER.join('|'));
  if (start < 0) throw new LayerTableError(`${fileName}: no layer table (a table whose header is | ${HEADER.join(' | ')} |)`);
  if (!/^\|(\s*:?-+:?\s*\|)+$/.test(lines[start + 1]?.trim() ?? ''))
    throw new LayerTableError(`${fileName}:${start + 2}: the layer table's header is not followed by its |---| line`);
  const rows: LayerRow[] = [];
  for (let index = start + 2; index < lines.length && lines[index]!.trim().startsWith('|'); index++)
    rows.push(parseRow(lines[index]!, index + 1, fileName));
  if (rows.length === 0) throw new LayerTableError(`${fileName}:${start + 1}: the layer table has no rows`);
  for (const [index, row] of rows.entries()) {
    const before = rows.slice(0, index);
    const twin = before.find((other) => other.folder === row.folder);
    if (twin) throw new LayerTableError(`${fileName}:${row.line}: ${row.folder} has a row already, on line ${twin.line}`);
    const sameLayer = before.find((other) => other.layer === row.layer && other.rank !== row.rank);
    if (sameLayer)
      throw new LayerTableError(
        `${fileName}:${row.line}: the layer "${row.layer}" has rank ${row.rank} here and ${sameLayer.rank} on line ${sameLayer.line}`,
      );
  }
  return layerTable(rows);
}

/** The layer table of the repository at `root`. */
export function readLayerTable(root: string): LayerTable {
  return parseLayerTable(readFileSync(join(root, ARCHITECTURE), 'utf8'));
}

function layerTable(rows: readonly LayerRow[]): LayerTable {
  const exact = new Map(rows.filter((row) => !row.folder.includes('<')).map((row) => [row.folder, row]));
  const patterns = rows
    .filter((row) => row.folder.includes('<'))
    .map((row) => {
      const names: string[] = [];
      const source = row.folder.split(PLACEHOLDER).map((part, index) => {
        if (index % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part);
        return '([^/]+)';
      });
      return { row, names, pattern: new RegExp(`^${source.join('')}$`) };
    });
  const match = (folder: string) => {
    for (const { row, names, pattern } of patterns) {
      const found = pattern.exec(folder);
      if (found) return { row, values: new Map(names.map((name, index) => [name, found[index + 1]!])) };
    }
    return undefined;
  };
  const rowOf = (folder: string): LayerRow | undefined => exact.get(folder) ?? match(folder)?.row;
  return {
    rows,
    roots: [...new Set(rows.map((row) => row.folder.split('/')[0]!))],
    rowOf,
    layerOf(module) {
      const folder = `${posix.dirname(module)}/`;
      const row = exact.get(folder);
      if (row) return { group: row.layer, rank: row.rank };
      const found = match(folder);
      if (!found) return undefined;
      return { group: found.row.layer.replace(PLACEHOLDER, (_, name: string) => found.values.get(name)!), rank: found.row.rank };
    },
  };
}
