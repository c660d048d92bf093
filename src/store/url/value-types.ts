/**
 * The kinds of value a setting in the address can hold, each as a pair of
 * plain functions: `parse` reads the text of one `key=value` pair and
 * returns undefined for anything outside the allowed values (never throws),
 * `format` writes a value back so that `parse(format(v))` gives `v` again.
 * `allowed` says in words what is accepted, for the notice about a bad value.
 *
 * Numbers are read strictly (decimal notation only: no "0x10", no empty
 * text read as 0) and written with String(), which round-trips every
 * finite double exactly.
 */

export interface ValueType<T> {
  /** what is accepted, in words: "a whole number from 1 to 1000" */
  readonly allowed: string;
  parse(text: string): T | undefined;
  format(value: T): string;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A finite number written in decimal notation, or undefined. */
function readNumber(text: string): number | undefined {
  const t = text.trim();
  if (!DECIMAL.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

const count = (n: number) => n.toLocaleString('en-US');

/** A whole number in [min, max] (safe integers only, so the text round-trips). */
export function whole(min: number, max: number): ValueType<number> {
  return {
    allowed:
      max >= Number.MAX_SAFE_INTEGER
        ? `a whole number${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${count(min)}` : ''}`
        : `a whole number from ${count(min)} to ${count(max)}`,
    parse(text) {
      const v = readNumber(text);
      return v !== undefined && Number.isSafeInteger(v) && v >= min && v <= max ? v : undefined;
    },
    format: (v) => String(v),
  };
}

/** A positive finite number (learning rates). */
export const positive: ValueType<number> = {
  allowed: 'a positive number',
  parse(text) {
    const v = readNumber(text);
    return v !== undefined && v > 0 ? v : undefined;
  },
  format: (v) => String(v),
};

/** A finite number in [min, max] (weight decay, dropout rate). */
export function between(min: number, max: number): ValueType<number> {
  return {
    allowed: `a number from ${min} to ${max}`,
    parse(text) {
      const v = readNumber(text);
      return v !== undefined && v >= min && v <= max ? v : undefined;
    },
    format: (v) => String(v),
  };
}

/** A comma-separated list of 1..maxLength whole numbers in [min, max] (layer sizes). */
export function wholeList(min: number, max: number, maxLength: number): ValueType<number[]> {
  const item = whole(min, max);
  return {
    allowed: `1 to ${maxLength} whole numbers from ${min} to ${count(max)}, separated by commas`,
    parse(text) {
      const parts = text.split(',');
      if (parts.length > maxLength) return undefined;
      const values = parts.map((p) => item.parse(p));
      return values.every((v) => v !== undefined) ? (values as number[]) : undefined;
    },
    format: (v) => v.join(','),
  };
}

/** One of a fixed list of names (algorithms, data families, backends). */
export function oneOf<T extends string>(values: readonly T[]): ValueType<T> {
  return {
    allowed: `one of ${values.join(', ')}`,
    parse: (text) => values.find((v) => v === text.trim()),
    format: (v) => v,
  };
}

/** A switch: 1/true/yes or 0/false/no; written as 1 or 0. */
export const flag: ValueType<boolean> = {
  allowed: '1 or 0',
  parse(text) {
    const t = text.trim().toLowerCase();
    if (t === '1' || t === 'true' || t === 'yes') return true;
    if (t === '0' || t === 'false' || t === 'no') return false;
    return undefined;
  },
  format: (v) => (v ? '1' : '0'),
};
