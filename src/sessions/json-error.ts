/**
 * Locates the first syntax error of a text that JSON.parse rejected, so the
 * message names a line and column in every browser and in Node alike (the
 * engines' own messages differ, and V8 omits the position for some errors).
 * It only scans, never builds values, and keeps nesting on an explicit stack,
 * so deeply nested input cannot overflow the call stack. It runs only after
 * JSON.parse has failed, so its speed does not matter.
 */

export interface JsonSyntaxError {
  /** UTF-16 offset of the problem in the text */
  offset: number;
  line: number;
  column: number;
  problem: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

function shown(ch: string): string {
  return JSON.stringify(ch);
}

/** The first syntax error in `text`, or null when the text is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  const stack: string[] = [];
  let i = 0;
  let mode: 'value' | 'key' | 'after' = 'value';

  const fail = (problem: string): JsonSyntaxError => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < i && k < n; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    return { offset: i, line, column: i - lineStart + 1, problem };
  };
  const skipSpace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  /** Scans a string starting at the opening quote; returns a problem or null. */
  const scanString = (): string | null => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return 'a control character (such as a line break) inside a string';
      if (c === 0x5c) {
        const e = text.charAt(i + 1);
        if (e === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(text)) return 'an invalid \\u escape in a string';
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e) || e === '') return 'an invalid escape in a string';
        i += 2;
        continue;
      }
      i++;
    }
    return 'a string that is never closed';
  };

  for (;;) {
    skipSpace();
    if (mode === 'value') {
      if (i >= n) return fail('the text ends where a value was expected');
      const ch = text.charAt(i);
      if (ch === '{' || ch === '[') {
        i++;
        skipSpace();
        const close = ch === '{' ? '}' : ']';
        if (text.charAt(i) === close) {
          i++;
          mode = 'after';
        } else {
          stack.push(close);
          mode = ch === '{' ? 'key' : 'value';
        }
      } else if (ch === '"') {
        const problem = scanString();
        if (problem) return fail(problem);
        mode = 'after';
      } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        if (!m) return fail('an invalid number');
        i += m[0].length;
        mode = 'after';
      } else {
        const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
        if (!word) return fail(`unexpected ${shown(ch)} where a value was expected`);
        i += word.length;
        mode = 'after';
      }
    } else if (mode === 'key') {
      if (i >= n) return fail('the text ends where a property name was expected');
      if (text.charAt(i) !== '"') {
        return fail(
          `unexpected ${shown(text.charAt(i))} where a quoted property name was expected`,
        );
      }
      const problem = scanString();
      if (problem) return fail(problem);
      skipSpace();
      if (text.charAt(i) !== ':') {
        return fail(
          i >= n ? 'the text ends where ":" was expected' : 'expected ":" after a property name',
        );
      }
      i++;
      mode = 'value';
    } else {
      const close = stack[stack.length - 1];
      if (close === undefined) {
        if (i < n) return fail(`unexpected ${shown(text.charAt(i))} after the end of the data`);
        return null;
      }
      if (i >= n) return fail(`the text ends before a closing "${close}"`);
      const ch = text.charAt(i);
      if (ch === ',') {
        i++;
        mode = close === '}' ? 'key' : 'value';
      } else if (ch === close) {
        i++;
        stack.pop();
      } else {
        return fail(`unexpected ${shown(ch)} where "," or "${close}" was expected`);
      }
    }
  }
}
