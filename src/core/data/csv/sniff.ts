/**
 * Delimiter sniffing among comma, semicolon and tab. Papa Parse's own guess
 * gives up on small files with a trailing newline, so we parse the start of
 * the file once per candidate (quotes respected) and keep the delimiter that
 * splits the header into several columns with the largest share of rows
 * agreeing with the header's width; ties go to more columns, then to the
 * order comma, semicolon, tab. A file with a single column reads as comma.
 */
import Papa from 'papaparse';

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

const PREVIEW_RECORDS = 50;

function isBlank(record: readonly string[]): boolean {
  return record.every((c) => c.trim() === '');
}

/** `truncated`: the sample is a prefix of a longer file, so its last record may be cut. */
export function sniffDelimiter(sample: string, truncated = false): Delimiter {
  let best: Delimiter = ',';
  let bestScore: [number, number] = [-1, 0];
  for (const d of DELIMITERS) {
    const parsed = Papa.parse<string[]>(sample, { delimiter: d, preview: PREVIEW_RECORDS });
    let records = parsed.data.filter((r) => !isBlank(r));
    if (truncated && records.length > 2) records = records.slice(0, -1);
    const header = records[0];
    if (header === undefined || header.length < 2) continue;
    const rows = records.slice(1);
    const agree =
      rows.length === 0 ? 1 : rows.filter((r) => r.length === header.length).length / rows.length;
    const score: [number, number] = [agree, header.length];
    if (score[0] > bestScore[0] || (score[0] === bestScore[0] && score[1] > bestScore[1])) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}
