/**
 * Several files uploaded together must describe the same table: each file is
 * read with its own delimiter, but all must have the same column names (in
 * any order). A file given twice, or with different columns, is refused with
 * the first file as reference, naming what is missing and what is extra.
 */
import { refuse } from './problems';
import type { ParsedTable } from './table';

const quoteList = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

export function checkFileSet(tables: readonly ParsedTable[]): void {
  const first = tables[0];
  if (first === undefined) throw refuse({}, 'no file was given.');
  const names = new Set<string>();
  for (const t of tables) {
    if (names.has(t.fileName)) {
      throw refuse({ file: t.fileName }, 'this file was given twice; give each file once.');
    }
    names.add(t.fileName);
  }
  const reference = new Set(first.header);
  for (const t of tables.slice(1)) {
    const own = new Set(t.header);
    const missing = first.header.filter((h) => !own.has(h));
    const extra = t.header.filter((h) => !reference.has(h));
    if (missing.length > 0 || extra.length > 0) {
      const parts: string[] = [];
      if (missing.length > 0) parts.push(`missing ${quoteList(missing)}`);
      if (extra.length > 0) parts.push(`extra ${quoteList(extra)}`);
      throw refuse(
        { file: t.fileName, row: t.headerRow },
        `its columns differ from those of ${first.fileName} (${parts.join('; ')}); files uploaded together must have the same columns.`,
      );
    }
  }
}

/** The task name of a file when each file is one task: its name without the extension. */
export function taskNamesFromFiles(tables: readonly ParsedTable[]): string[] {
  const bases = tables.map((t) => t.fileName.replace(/\.[^./\\]+$/, '') || t.fileName);
  return bases.map((b, i) =>
    bases.indexOf(b) === bases.lastIndexOf(b) ? b : (tables[i]?.fileName ?? b),
  );
}
