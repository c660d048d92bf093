// The JSON syntax error locator against inputs JSON.parse rejects.
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../../src/sessions/json-error';

describe('findJsonSyntaxError', () => {
  it('finds nothing in valid JSON, including deep nesting', () => {
    for (const text of [
      '{}',
      '[]',
      ' 1 ',
      '"a\\u00e9\\n"',
      '{"a":[1,-2.5e3,true,false,null,{"b":"c"}]}',
    ]) {
      expect(findJsonSyntaxError(text)).toBeNull();
      expect(() => JSON.parse(text)).not.toThrow();
    }
    expect(findJsonSyntaxError('['.repeat(200_000) + ']'.repeat(200_000))).toBeNull();
  });

  it.each([
    ['{"a": 1,}', 1, 9, 'unexpected "}" where a quoted property name was expected'],
    ['{"a" 1}', 1, 6, 'expected ":" after a property name'],
    ['[1, 2', 1, 6, 'the text ends before a closing "]"'],
    ['{"a": "x\ny"}', 1, 9, 'a control character (such as a line break) inside a string'],
    ['{"a": "\\q"}', 1, 8, 'an invalid escape in a string'],
    ['[01]', 1, 3, 'unexpected "1" where "," or "]" was expected'],
    ['{\n  "a": tru\n}', 2, 8, 'unexpected "t" where a value was expected'],
    ['{} x', 1, 4, 'unexpected "x" after the end of the data'],
    ['', 1, 1, 'the text ends where a value was expected'],
    ['"abc', 1, 5, 'a string that is never closed'],
    ["{'a': 1}", 1, 2, `unexpected "'" where a quoted property name was expected`],
  ])('locates the error in %j', (text, line, column, problem) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)).toMatchObject({ line, column, problem });
  });
});
