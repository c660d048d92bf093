/**
 * Turns zod's validation issues into plain sentences with the path of the
 * offending field, e.g. `config.innerLr: expected a positive number (got -1)`.
 * Messages may quote (clipped) values from the input: whoever shows them must
 * render them as text, never as HTML.
 *
 * Field-specific wording lives in the schema (number ranges, formats); this
 * module supplies the default wording for everything else, through zod's
 * per-parse error map, and the formatting of the path and the value seen.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

const TYPE_WORDS: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Default wording for issues the schema did not word itself (pass as `error` to safeParse). */
export const plainErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[iss.expected] ?? iss.expected}`;
    case 'too_small': {
      const min = Number(iss.minimum);
      if (iss.origin === 'array' || iss.origin === 'set')
        return `expected at least ${plural(min, 'item')}`;
      if (iss.origin === 'string') {
        return min === 1
          ? 'expected non-empty text'
          : `expected at least ${plural(min, 'character')}`;
      }
      if (!iss.inclusive && min === 0) return 'expected a positive number';
      return `expected a number ${iss.inclusive ? '≥' : '>'} ${min}`;
    }
    case 'too_big': {
      const max = Number(iss.maximum);
      if (iss.origin === 'array' || iss.origin === 'set')
        return `expected at most ${plural(max, 'item')}`;
      if (iss.origin === 'string') return `expected at most ${plural(max, 'character')}`;
      return `expected a number ${iss.inclusive ? '≤' : '<'} ${max}`;
    }
    case 'invalid_value':
      return iss.values.length === 1
        ? `expected ${JSON.stringify(iss.values[0])}`
        : `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return iss.format === 'regex' ? 'has the wrong form' : `expected ${iss.format} text`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(iss.divisor)}`;
    case 'invalid_union':
      return 'does not match any of the allowed forms';
    case 'invalid_key': {
      const why = iss.issues[0]?.message;
      return why ? `is a key that is not allowed (${why})` : 'is a key that is not allowed';
    }
    case 'invalid_element':
      return 'has an element that is not allowed';
    case 'unrecognized_keys':
      return `has unknown fields: ${iss.keys.join(', ')}`;
    case 'custom':
      return iss.message ?? 'is not valid';
    default:
      return undefined;
  }
};

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `config.hidden[1]`, `evaluation.models["my model"].mean[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** What was found instead, worded for people; '' when the message says enough. */
function seen(issue: Issue): string {
  if (!('input' in issue)) return '';
  const input: unknown = issue.input;
  if (input === undefined) return issue.code === 'invalid_type' ? ', but it is missing' : '';
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    if (typeof input === 'string') return ` (got ${plural(input.length, 'character')})`;
    if (Array.isArray(input)) return ` (got ${plural(input.length, 'item')})`;
  }
  if (typeof input === 'string') return ` (got ${JSON.stringify(clip(input))})`;
  if (typeof input === 'number' || typeof input === 'boolean' || input === null) {
    return ` (got ${String(input)})`;
  }
  if (issue.code === 'invalid_type')
    return Array.isArray(input) ? ' (got a list)' : ' (got an object)';
  return '';
}

/** One line per issue, the first `limit` of them, joined with "; ". */
export function describeIssues(issues: readonly Issue[], limit = 3): string {
  const lines = issues.slice(0, limit).map((issue) => {
    const where = formatPath(issue.path) || 'the document';
    return `${where}: ${issue.message}${seen(issue)}`;
  });
  const more = issues.length - limit;
  if (more > 0) lines.push(`and ${plural(more, 'more problem')}`);
  return lines.join('; ');
}
