/**
 * From parsed records to a rectangular table of strings. Records arrive in
 * chunks (so the same builder serves one-shot and streaming parses); the
 * first non-blank record is the header. Invariants of the finished table:
 * every row has exactly `header.length` cells, header names are trimmed,
 * non-empty and distinct, and `rowNumbers[i]` is the spreadsheet row of
 * `rows[i]` (the header is row 1 when the file starts with it; blank lines
 * count, as they do in a spreadsheet). Values stay verbatim strings: a name
 * with markup in it is data, never interpreted.
 *
 * Refusals (DataError): empty file, header only, too many columns, duplicate
 * header names, a named-less column that has values, an unclosed quote, a
 * file whose rows mostly disagree with the header's width. Repairs (logged):
 * ragged rows and rows with malformed quotes are dropped; trailing empty cells
 * are ignored; a column with neither a name nor values is removed.
 */
import type { ParseError } from 'papaparse';
import { MAX_COLUMNS } from './caps';
import type { Delimiter } from './sniff';
import { DECIMAL_COMMA } from './cells';
import type { TextEncoding } from './text-checks';
import {
  ProblemLog,
  quoteCell,
  refuse,
  type DataProblem,
  type ProblemCounts,
  columnRef,
} from './problems';

export interface ParsedTable {
  fileName: string;
  delimiter: Delimiter;
  header: string[];
  /** spreadsheet row of the header (1 unless the file starts with blank lines) */
  headerRow: number;
  /** every row has header.length cells */
  rows: string[][];
  /** spreadsheet row number (header = row 1) of each entry of `rows` */
  rowNumbers: number[];
  /** data rows read, including the ones dropped */
  dataRows: number;
  /** blank lines skipped between the header and the last row */
  blankRows: number;
  /** repairs made while reading (the first few per kind) */
  problems: DataProblem[];
  problemCounts: ProblemCounts;
  /** how the bytes were decoded (text given as a string counts as UTF-8) */
  encoding?: TextEncoding;
  /** ',' when the delimiter is ';' and numbers are written with a decimal comma */
  decimalMark?: '.' | ',';
}

/** How the text was obtained, for the report: its encoding and, if not UTF-8, why. */
export interface TextOrigin {
  encoding: TextEncoding;
  /** the report's sentence when the file was not UTF-8 */
  note?: string;
}

export function delimiterName(d: Delimiter): 'comma' | 'semicolon' | 'tab' {
  return d === ',' ? 'comma' : d === ';' ? 'semicolon' : 'tab';
}

function isBlank(record: readonly string[]): boolean {
  return record.every((c) => c.trim() === '');
}

/** Does any cell read as a number written with a decimal comma ("1,5")? */
function hasDecimalComma(rows: readonly string[][]): boolean {
  for (const row of rows) for (const c of row) if (DECIMAL_COMMA.test(c.trim())) return true;
  return false;
}

export class TableBuilder {
  private header: string[] | null = null;
  private headerRow = 1;
  private readonly rows: string[][] = [];
  private readonly rowNumbers: number[] = [];
  private records = 0;
  private dataRows = 0;
  private blankRows = 0;
  /** blank records not yet followed by a row: trailing ones are not counted */
  private pendingBlank = 0;
  private ragged = 0;
  /** the first ragged rows, named in a refusal */
  private readonly raggedRows: { row: number; cells: number }[] = [];
  private readonly log = new ProblemLog();

  constructor(
    private readonly fileName: string,
    private readonly delimiter: Delimiter,
    private readonly origin: TextOrigin = { encoding: 'utf-8' },
  ) {}

  /** Rows read so far (for progress reports). */
  get rowCount(): number {
    return this.dataRows;
  }

  /** One parse chunk: its records and Papa's errors, whose `row` indexes into `records`. */
  addChunk(records: readonly string[][], errors: readonly ParseError[]): void {
    const malformed = new Set<number>();
    for (const e of errors) {
      const rowNumber = this.records + (e.row ?? 0) + 1;
      if (e.code === 'MissingQuotes') {
        throw refuse(
          { file: this.fileName, row: rowNumber },
          'a quoted cell starts here but its closing quote (") is missing, so the rest of the file would be read as one cell; fix the quotes and try again.',
        );
      }
      if (e.code === 'InvalidQuotes' && e.row !== undefined) malformed.add(e.row);
    }
    records.forEach((record, i) => this.addRecord(record, malformed.has(i)));
  }

  private addRecord(record: string[], malformedQuotes: boolean): void {
    const rowNumber = ++this.records;
    if (isBlank(record)) {
      this.pendingBlank++;
      return;
    }
    this.blankRows += this.pendingBlank;
    this.pendingBlank = 0;
    if (this.header === null) {
      this.setHeader(record, rowNumber);
      return;
    }
    this.dataRows++;
    const where = { file: this.fileName, row: rowNumber };
    if (malformedQuotes) {
      this.log.add(
        'malformed-quotes',
        'row-dropped',
        where,
        'a quoted cell has text after its closing quote; the row was dropped.',
      );
      return;
    }
    const width = this.header.length;
    let cells = record;
    if (cells.length > width && cells.slice(width).every((c) => c.trim() === '')) {
      cells = cells.slice(0, width);
    }
    if (cells.length !== width) {
      this.ragged++;
      if (this.raggedRows.length < 10)
        this.raggedRows.push({ row: rowNumber, cells: cells.length });
      const text =
        cells.length > width
          ? `the row has ${cells.length} cells but the header has ${width} columns (extra text ${quoteCell(cells.slice(width).find((c) => c.trim() !== '') ?? '')} after the last column); the row was dropped.`
          : `the row has ${cells.length} cells but the header has ${width} columns (${columnRef(this.header[cells.length], cells.length)} and after are missing); the row was dropped.`;
      const column = cells.length < width ? this.header[cells.length] : undefined;
      this.log.add(
        'ragged-row',
        'row-dropped',
        column !== undefined ? { ...where, column, columnIndex: cells.length } : where,
        text,
      );
      return;
    }
    this.rows.push(cells);
    this.rowNumbers.push(rowNumber);
  }

  private setHeader(record: string[], rowNumber: number): void {
    if (record.length > MAX_COLUMNS) {
      throw refuse(
        { file: this.fileName, row: rowNumber },
        `the header has ${record.length} columns; at most ${MAX_COLUMNS} are accepted (each column becomes a model input, and wider data would not fit in memory for training in a browser). Keep the columns you need and try again.`,
      );
    }
    // A byte order mark can survive chunked decoding; it is never part of a name.
    const names = record.map((c, i) => (i === 0 ? c.replace(/^\ufeff/, '') : c).trim());
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      if (name === '') return;
      const first = seen.get(name);
      if (first !== undefined) {
        throw refuse(
          { file: this.fileName, row: rowNumber, column: name },
          `the header name is used twice (columns ${first + 1} and ${i + 1}); give each column its own name and try again.`,
        );
      }
      seen.set(name, i);
    });
    this.header = names;
    this.headerRow = rowNumber;
  }

  finish(): ParsedTable {
    const file = this.fileName;
    if (this.header === null) {
      throw refuse({ file }, 'the file is empty; there is nothing to load.');
    }
    if (this.dataRows === 0) {
      throw refuse({ file }, 'the file has a header row but no data rows.');
    }
    if (this.ragged > this.dataRows / 2) {
      const listed = this.raggedRows.map((r) => `row ${r.row} has ${r.cells}`).join(', ');
      const more = this.ragged > this.raggedRows.length ? ', …' : '';
      throw refuse(
        { file },
        `most rows (${this.ragged} of ${this.dataRows}) do not have as many cells as the header row (${this.header.length} columns): ${listed}${more}. The file cannot be read as a table; it was read as ${delimiterName(this.delimiter)}-separated: check the delimiter and the quotes.`,
      );
    }
    const { header, rows } = this.dropNamelessEmptyColumns(this.header);
    if (rows.length === 0) {
      const listed = this.log
        .problems()
        .slice(0, 5)
        .map((p) => p.message);
      throw refuse(
        { file },
        `none of its ${this.dataRows} data rows could be used${listed.length ? ` (problems: ${listed.join(' ')})` : ''}.`,
      );
    }
    if (this.origin.note !== undefined)
      this.log.add('text-encoding', 'note', { file }, this.origin.note);
    return {
      fileName: file,
      delimiter: this.delimiter,
      header,
      headerRow: this.headerRow,
      rows,
      rowNumbers: this.rowNumbers,
      dataRows: this.dataRows,
      blankRows: this.blankRows,
      problems: this.log.problems(),
      problemCounts: this.log.problemCounts(),
      encoding: this.origin.encoding,
      decimalMark: this.delimiter === ';' && hasDecimalComma(rows) ? ',' : '.',
    };
  }

  /** A column without a header name is removed when it is empty, refused when it holds values. */
  private dropNamelessEmptyColumns(header: string[]): { header: string[]; rows: string[][] } {
    const nameless = header.flatMap((name, i) => (name === '' ? [i] : []));
    if (nameless.length === 0) return { header, rows: this.rows };
    for (const i of nameless) {
      const r = this.rows.findIndex((row) => (row[i] ?? '').trim() !== '');
      if (r >= 0) {
        throw refuse(
          { file: this.fileName, row: this.headerRow, columnIndex: i },
          `this column has values (e.g. ${quoteCell(this.rows[r]?.[i] ?? '')} in row ${this.rowNumbers[r]}) but no name in the header row; give it a name and try again.`,
        );
      }
      this.log.add(
        'unnamed-empty-column',
        'column-excluded',
        { file: this.fileName, columnIndex: i },
        'this column has no name and no values; it was ignored.',
      );
    }
    const keep = header.map((_, i) => !nameless.includes(i));
    return {
      header: header.filter((_, i) => keep[i]),
      rows: this.rows.map((row) => row.filter((_, i) => keep[i])),
    };
  }
}
