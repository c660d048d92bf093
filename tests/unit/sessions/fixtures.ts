/**
 * Test helpers: the committed session fixtures, loaded fresh for each use so
 * a test may tamper with its copy freely.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/sessions/', import.meta.url));

/**
 * A fresh deep copy of a fixture. Typed loosely on purpose: tests reach into
 * nested fields to break them, which a precise type would forbid.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture(name: 'v0-example' | 'v1-example' | 'v2-example'): Record<string, any> {
  return JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8'));
}
