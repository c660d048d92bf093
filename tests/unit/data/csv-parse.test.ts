import { describe, expect, it } from 'vitest';
import {
  decodeCsvBytes,
  parseCsvStream,
  parseCsvText,
  type ParseProgress,
} from '../../../src/core/data/index';
import { csv, dataError, dataErrorAsync } from './helpers';

describe('parseCsvText: formats', () => {
  it('tolerates a UTF-8 byte order mark', () => {
    const t = parseCsvText('\ufefftask,x,y\na,1,2\n', 'bom.csv');
    expect(t.header).toEqual(['task', 'x', 'y']);
    expect(t.rows).toEqual([['a', '1', '2']]);
  });

  it('sniffs semicolons (with decimal commas in cells) and tabs', () => {
    const semi = parseCsvText('x;y;label\n1,5;2;cat\n3;4,25;dog\n', 'eu.csv');
    expect(semi.delimiter).toBe(';');
    expect(semi.header).toEqual(['x', 'y', 'label']);
    expect(semi.rows).toEqual([
      ['1,5', '2', 'cat'],
      ['3', '4,25', 'dog'],
    ]);
    const tab = parseCsvText('x\ty\tlabel\n1\t2\tcat\n', 'tabs.tsv');
    expect(tab.delimiter).toBe('\t');
    expect(tab.rows).toEqual([['1', '2', 'cat']]);
    const comma = parseCsvText('x,y\n1,2\n', 'plain.csv');
    expect(comma.delimiter).toBe(',');
  });

  it('reads CRLF and LF alike', () => {
    const crlf = parseCsvText('x,y\r\n1,2\r\n3,4\r\n', 'win.csv');
    const lf = parseCsvText('x,y\n1,2\n3,4\n', 'unix.csv');
    expect(crlf.rows).toEqual(lf.rows);
    expect(crlf.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('reads quoted fields with delimiters, newlines and doubled quotes', () => {
    const t = parseCsvText(
      'name,x,y\n"a, b",1,2\n"multi\nline",3,4\n"say ""hi""",5,6\n',
      'quoted.csv',
    );
    expect(t.rows).toEqual([
      ['a, b', '1', '2'],
      ['multi\nline', '3', '4'],
      ['say "hi"', '5', '6'],
    ]);
    // a cell spanning two lines is one spreadsheet row
    expect(t.rowNumbers).toEqual([2, 3, 4]);
  });

  it('counts rows as a spreadsheet does: header is row 1, blank lines count', () => {
    const t = parseCsvText('x,y\n1,2\n\n3,4\n', 'gaps.csv');
    expect(t.rowNumbers).toEqual([2, 4]);
    expect(t.dataRows).toBe(2);
  });

  it('keeps names with markup verbatim', () => {
    const t = parseCsvText('task,<b>x</b>,y\n<script>alert(1)</script>,1,&amp;\n', 'markup.csv');
    expect(t.header).toEqual(['task', '<b>x</b>', 'y']);
    expect(t.rows[0]).toEqual(['<script>alert(1)</script>', '1', '&amp;']);
  });

  it('ignores trailing empty cells (a trailing delimiter)', () => {
    const t = parseCsvText('x,y\n1,2,\n3,4,,\n', 'trail.csv');
    expect(t.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(t.problems).toEqual([]);
  });
});

describe('parseCsvText: refusals and repairs', () => {
  it('refuses an empty file', () => {
    for (const text of ['', '\n\n', '\ufeff']) {
      const e = dataError(() => parseCsvText(text, 'empty.csv'));
      expect(e.message).toBe('empty.csv: the file is empty; there is nothing to load.');
      expect(e.where).toEqual({ file: 'empty.csv' });
    }
  });

  it('refuses a header without data rows', () => {
    const e = dataError(() => parseCsvText('task,x,y\n', 'head.csv'));
    expect(e.message).toBe('head.csv: the file has a header row but no data rows.');
  });

  it('drops ragged rows, naming row and column', () => {
    const t = parseCsvText(
      csv([
        ['a', 'b', 'y'],
        [1, 2, 3],
        [1, 2, 3, 9],
        [1, 2],
        [4, 5, 6],
      ]),
      'rag.csv',
    );
    expect(t.rows).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
    expect(t.rowNumbers).toEqual([2, 5]);
    expect(t.problemCounts['ragged-row']).toBe(2);
    expect(t.problems.map((p) => p.message)).toEqual([
      'rag.csv, row 3: the row has 4 cells but the header has 3 columns (extra text "9" after the last column); the row was dropped.',
      'rag.csv, row 4, column "y": the row has 2 cells but the header has 3 columns (column "y" and after are missing); the row was dropped.',
    ]);
    expect(t.problems[1]?.where).toEqual({ file: 'rag.csv', row: 4, column: 'y' });
    expect(t.problems[1]?.action).toBe('row-dropped');
  });

  it('refuses a file whose rows mostly disagree with the header', () => {
    const e = dataError(() => parseCsvText('a,b,c\n1,2\n3,4\n5,6,7\n', 'bad.csv'));
    expect(e.message).toBe(
      'bad.csv: most rows (2 of 3) do not have as many cells as the header row (3 columns): row 2 has 2, row 3 has 2. The file cannot be read as a table; it was read as comma-separated: check the delimiter and the quotes.',
    );
  });

  it('refuses duplicate header names', () => {
    const e = dataError(() => parseCsvText('x,y,x\n1,2,3\n', 'dup.csv'));
    expect(e.message).toBe(
      'dup.csv, row 1, column "x": the header name is used twice (columns 1 and 3); give each column its own name and try again.',
    );
    expect(e.where).toEqual({ file: 'dup.csv', row: 1, column: 'x' });
  });

  it('refuses a column with values but no name, and removes one with neither', () => {
    const e = dataError(() => parseCsvText('x,,y\n1,5,2\n', 'noname.csv'));
    expect(e.message).toBe(
      'noname.csv, row 1, column 2 (B): this column has values (e.g. "5" in row 2) but no name in the header row; give it a name and try again.',
    );
    expect(e.where).toEqual({ file: 'noname.csv', row: 1, column: 'column 2 (B)' });

    const t = parseCsvText('x, ,y\n1,,2\n3,,4\n', 'gap.csv');
    expect(t.header).toEqual(['x', 'y']);
    expect(t.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(t.problems[0]?.message).toBe(
      'gap.csv, column 2 (B): this column has no name and no values; it was ignored.',
    );
    expect(t.problems[0]?.action).toBe('column-excluded');
  });

  it('refuses very wide files, with the reason', () => {
    const header = Array.from({ length: 2001 }, (_, i) => `c${i}`);
    const e = dataError(() => parseCsvText(csv([header, header.map(() => 1)]), 'wide.csv'));
    expect(e.message).toMatch(
      /^wide\.csv, row 1: the header has 2001 columns; at most 2000 are accepted \(each column becomes a model input/,
    );
    const ok = Array.from({ length: 2000 }, (_, i) => `c${i}`);
    expect(parseCsvText(csv([ok, ok.map(() => 1)]), 'ok.csv').header.length).toBe(2000);
  });

  it('refuses an unclosed quote, naming the row', () => {
    const e = dataError(() => parseCsvText('x,y\n1,2\n"3,4\n5,6\n', 'quote.csv'));
    expect(e.message).toBe(
      'quote.csv, row 3: a quoted cell starts here but its closing quote (") is missing, so the rest of the file would be read as one cell; fix the quotes and try again.',
    );
    expect(e.where).toEqual({ file: 'quote.csv', row: 3 });
  });

  it('refuses files that are not text', () => {
    const xlsx = 'PK\u0003\u0004\u0014\u0000\u0006\u0000\b\u0000\u0000\u0000!\u0000';
    const e = dataError(() => parseCsvText(xlsx, 'book.xlsx'));
    expect(e.message).toContain(
      'book.xlsx: this is not a text file (it contains binary data, such as NUL bytes)',
    );
    expect(e.message).toContain('Excel workbook');
    const png = '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR';
    expect(dataError(() => parseCsvText(png, 'pic.png')).message).toContain(
      'pic.png: this is not a text file',
    );
    const garbage = Array.from({ length: 200 }, (_, i) =>
      String.fromCharCode(i % 2 ? 0xfffd : 1),
    ).join('');
    expect(dataError(() => parseCsvText(garbage, 'noise.bin')).message).toContain(
      'noise.bin: this does not look like a text file',
    );
  });

  it('decodes bytes: UTF-8 with BOM, UTF-16 with BOM, and refuses binary bytes', () => {
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('x,y\n1,é\n')]);
    expect(decodeCsvBytes(utf8, 'a.csv')).toBe('x,y\n1,é\n');
    const text16 = 'x,y\n1,2\n';
    const utf16 = new Uint8Array(2 + text16.length * 2);
    utf16[0] = 0xff;
    utf16[1] = 0xfe;
    for (let i = 0; i < text16.length; i++) utf16[2 + 2 * i] = text16.charCodeAt(i);
    expect(decodeCsvBytes(utf16, 'b.csv')).toBe(text16);
    const e = dataError(() =>
      decodeCsvBytes(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), 'c.xlsx'),
    );
    expect(e.message).toContain('c.xlsx: this is not a text file');
  });
});

describe('parseCsvStream', () => {
  const text = csv([
    ['task', 'x', 'y'],
    ...Array.from({ length: 500 }, (_, i) => [`t${i % 7}`, i, `"${i / 2}"`]),
  ]);

  it('gives the same table as parseCsvText, with progress up to 1', async () => {
    const progress: ParseProgress[] = [];
    const streamed = await parseCsvStream(text, 'big.csv', (p) => progress.push(p), {
      chunkSize: 512,
    });
    const whole = parseCsvText(text, 'big.csv');
    expect(streamed).toEqual(whole);
    expect(progress.length).toBeGreaterThan(5);
    for (let i = 1; i < progress.length; i++) {
      expect((progress[i] as ParseProgress).fraction).toBeGreaterThanOrEqual(
        (progress[i - 1] as ParseProgress).fraction,
      );
    }
    expect(progress[progress.length - 1]).toEqual({ rows: 500, fraction: 1 });
  });

  it('keeps spreadsheet row numbers across chunks', async () => {
    const t = await parseCsvStream('x,y\n1,2\n\n3,4\n5\n6,7\n', 'gaps.csv', () => {}, {
      chunkSize: 3,
    });
    expect(t.rowNumbers).toEqual([2, 4, 6]);
    expect(t.problems[0]?.message).toContain('gaps.csv, row 5, column "y"');
  });

  it('reads a Blob slice by slice, with progress in bytes', async () => {
    const blob = new Blob(['\ufeff', text]);
    const progress: ParseProgress[] = [];
    const t = await parseCsvStream(blob, 'blob.csv', (p) => progress.push(p), { chunkSize: 1000 });
    expect(t).toEqual(parseCsvText(text, 'blob.csv'));
    expect(progress.length).toBeGreaterThan(3);
    expect(progress[0]?.fraction).toBeCloseTo(1000 / blob.size, 6);
    expect(progress[progress.length - 1]).toEqual({ rows: 500, fraction: 1 });
  });

  it('decodes characters split between two slices whole (UTF-8 and UTF-16)', async () => {
    const text = 'ville,x,y\nZürich,1,2\nSão Paulo,3,4\n東京,5,6\n😀 ok,7,8\n';
    const expected = parseCsvText(text, 'u.csv');
    for (const chunkSize of [1, 2, 3, 5, 7]) {
      const utf8 = await parseCsvStream(new Blob([text]), 'u.csv', () => {}, { chunkSize });
      expect(utf8.rows).toEqual(expected.rows);
    }
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      utf16[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      utf16[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    const t16 = await parseCsvStream(new Blob([utf16]), 'u16.csv', () => {}, { chunkSize: 3 });
    expect(t16.header).toEqual(['ville', 'x', 'y']);
    expect(t16.rows).toEqual(expected.rows);
  });

  it('rejects with the same DataError as parseCsvText', async () => {
    const e = await dataErrorAsync(() =>
      parseCsvStream('x,y\n1,2\n"3,4\n', 'q.csv', () => {}, { chunkSize: 4 }),
    );
    expect(e.message).toContain('q.csv, row 3: a quoted cell starts here');
    const empty = await dataErrorAsync(() => parseCsvStream(new Blob([]), 'e.csv'));
    expect(empty.message).toBe('e.csv: the file is empty; there is nothing to load.');
    const binary = await dataErrorAsync(() =>
      parseCsvStream(new Blob([new Uint8Array([0, 1, 2, 0])]), 'b.bin'),
    );
    expect(binary.message).toContain('b.bin: this is not a text file');
    const header = Array.from({ length: 2500 }, (_, i) => `c${i}`).join(',');
    const wide = await dataErrorAsync(() =>
      parseCsvStream(new Blob([`${header}\n`, '1,2\n'.repeat(5000)]), 'wide.csv', () => {}, {
        chunkSize: 4096,
      }),
    );
    expect(wide.message).toContain('wide.csv, row 1: the header has 2500 columns');
  });
});
