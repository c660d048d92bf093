/**
 * Reading one CSV cell as a number. A cell is a number only when the whole
 * trimmed text is a decimal literal (so "", " ", "0x10" and "1e" are not
 * numbers, unlike JavaScript's Number()). The usual spreadsheet spellings of
 * a missing value (empty, NA, N/A, NaN, null, #N/A, ?) are "missing", and
 * inf / Infinity (or a literal too large for a double) are "non-finite".
 * With a semicolon delimiter a decimal comma ("1,5") is accepted, because that
 * is how spreadsheets in comma-decimal locales write CSV.
 *
 * The engine computes in 32-bit floats: a literal beyond FLOAT32_MAX in
 * magnitude (1e308, 1.8e308 — which a double already rounds to Infinity)
 * cannot be held at all, and a regression target beyond MAX_TARGET would
 * make squared errors in original units overflow. literalMagnitude lets the
 * row reader refuse such cells by row and column instead of training on
 * infinities.
 */

export type CellValue =
  | { kind: 'number'; value: number }
  | { kind: 'missing' }
  | { kind: 'non-finite' }
  | { kind: 'text' };

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
export const DECIMAL_COMMA = /^[+-]?\d+,\d+([eE][+-]?\d+)?$/;
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '#n/a', '?']);
const NON_FINITE = new Set(['inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity']);

/** The largest finite float32, (2 − 2⁻²³) · 2¹²⁷. */
export const FLOAT32_MAX = 3.4028234663852886e38;
/** Targets are squared in the MSE (original units): keep (2·MAX_TARGET)² below FLOAT32_MAX. */
export const MAX_TARGET = 1e18;

/**
 * |value| of a numeric literal as written (Infinity for one that overflows a
 * double, like 1.8e308); null when the cell is not a numeric literal.
 */
export function literalMagnitude(raw: string, decimalComma = false): number | null {
  const t = raw.trim();
  if (DECIMAL.test(t)) return Math.abs(Number(t));
  if (decimalComma && DECIMAL_COMMA.test(t)) return Math.abs(Number(t.replace(',', '.')));
  return null;
}

export function isMissingCell(raw: string): boolean {
  return MISSING.has(raw.trim().toLowerCase());
}

export function parseCell(raw: string, decimalComma = false): CellValue {
  const t = raw.trim();
  const lower = t.toLowerCase();
  if (MISSING.has(lower)) return { kind: 'missing' };
  if (NON_FINITE.has(lower)) return { kind: 'non-finite' };
  let literal: string | null = null;
  if (DECIMAL.test(t)) literal = t;
  else if (decimalComma && DECIMAL_COMMA.test(t)) literal = t.replace(',', '.');
  if (literal === null) return { kind: 'text' };
  const value = Number(literal);
  return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'non-finite' };
}

/**
 * A class label or task name as a grouping key: surrounding spaces removed,
 * numeric codes canonicalized so "1", "1.0" and " 1" are the same class.
 * Everything else is kept verbatim (markup included: it is data, not HTML).
 */
export function labelKey(raw: string, decimalComma = false): string {
  const t = raw.trim();
  const cell = parseCell(t, decimalComma);
  return cell.kind === 'number' ? String(cell.value) : t;
}
