/**
 * How a file's bytes become text, and what the report says about it (issue
 * 12, item 8): a Windows-1252 file reads "Côte d'Ivoire" and says it was not
 * UTF-8 (before: "C\uFFFDte d'Ivoire" with no repair noted); UTF-8 that breaks
 * off past the sniffed start is refused naming the line; a semicolon file
 * with decimal commas says so; the preview shows parsed values.
 */
import { describe, expect, it } from 'vitest';
import {
  csvTextFromBytes,
  loadCsvTexts,
  parseCsvStream,
  type SchemaOverrides,
} from '../../../src/core/data/index';
import { dataErrorAsync } from './helpers';

/** Windows-1252 bytes of a string whose characters are all in Latin-1. */
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function countries(): string {
  const lines = ['country,year,gdp'];
  const names = ['Côte d\u2019Ivoire', 'Brazil', 'Chile', 'Peru', 'Ghana', 'Togo'];
  names.forEach((n, t) => {
    for (let y = 0; y < 8; y++) lines.push(`${n},${2000 + y},${t + y / 10}`);
  });
  return lines.join('\n') + '\n';
}

const overrides: SchemaOverrides = { taskColumn: 'country', target: 'gdp' };

describe('text encodings', () => {
  it('reads a Windows-1252 file as such and says so in the repairs, naming the line', () => {
    // U+2019 is 0x92 in Windows-1252 (not in Latin-1 proper): build the bytes by hand.
    const text = countries();
    const bytes = Uint8Array.from(text, (c) => (c === '\u2019' ? 0x92 : c.charCodeAt(0)));
    const t = csvTextFromBytes(bytes, 'gdp.csv');
    expect(t.text).toContain('Côte d\u2019Ivoire');
    expect(t.text).not.toContain('\uFFFD');
    const r = loadCsvTexts([t], overrides, { seed: 1 });
    expect(r.report.problemCounts['text-encoding']).toBe(1);
    const note = r.report.problems.find((p) => p.code === 'text-encoding');
    expect(note?.message).toMatch(
      /^gdp\.csv: the file is not valid UTF-8 \(first at line 2\), so it was read as Windows-1252 \(Latin-1\): line 2 reads "Côte d’Ivoire,2000,0"/,
    );
    expect(r.report.splits.train.concat(r.report.splits.val, r.report.splits.test)).toContain(
      'Côte d\u2019Ivoire',
    );
  });

  it('leaves valid UTF-8 alone, with no note', () => {
    const t = csvTextFromBytes(new TextEncoder().encode(countries()), 'gdp.csv');
    expect(t.origin?.encoding).toBe('utf-8');
    const r = loadCsvTexts([t], overrides, { seed: 1 });
    expect(r.report.problemCounts['text-encoding']).toBeUndefined();
  });

  it('streams a Latin-1 upload as Windows-1252 too, with the same note', async () => {
    const blob = new Blob([latin1(countries().replace('\u2019', "'"))]);
    const table = await parseCsvStream(blob, 'gdp.csv', () => {}, { chunkSize: 64 });
    expect(table.encoding).toBe('windows-1252');
    expect(table.rows[0]?.[0]).toBe("Côte d'Ivoire");
    expect(table.problemCounts['text-encoding']).toBe(1);
  });

  it('refuses UTF-8 that stops being UTF-8 past the sniffed start, naming the line', async () => {
    const head =
      'task,x,y\n' + Array.from({ length: 7000 }, (_, i) => `t${i % 5},${i},${i}`).join('\n');
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(head + '\n'),
      ...latin1('Côte,1,2\n'),
    ]);
    const e = await dataErrorAsync(() =>
      parseCsvStream(new Blob([bytes]), 'late.csv', () => {}, { chunkSize: 4096 }),
    );
    expect(e.message).toBe(
      'late.csv: line 7002 is not valid UTF-8 although the start of the file is; save the file as "CSV UTF-8" (or all of it as Windows-1252) and try again.',
    );
  });
});

describe('separator, decimal mark and preview', () => {
  it("says \"detected ';' as separator and ',' as decimal mark\" and previews parsed numbers", () => {
    const lines = ['task;x;y'];
    for (let t = 0; t < 5; t++) for (let i = 0; i < 6; i++) lines.push(`t${t};${i},5;${t},25`);
    const r = loadCsvTexts(
      [{ fileName: 'eu.csv', text: lines.join('\n') }],
      { taskColumn: 'task', target: 'y', kind: 'regression' },
      { seed: 1 },
    );
    expect(r.report.notes).toContain("eu.csv: detected ';' as separator and ',' as decimal mark.");
    expect(r.report.preview.rows[0]).toEqual(['t0', '0.5', '0.25']);
  });

  it('says only the separator when numbers use a decimal point', () => {
    const lines = ['task;x;y'];
    for (let t = 0; t < 5; t++) for (let i = 0; i < 6; i++) lines.push(`t${t};${i}.5;${t}.25`);
    const r = loadCsvTexts(
      [{ fileName: 'semi.csv', text: lines.join('\n') }],
      { taskColumn: 'task', target: 'y', kind: 'regression' },
      { seed: 1 },
    );
    expect(r.report.notes).toContain("semi.csv: detected ';' as separator.");
  });
});
