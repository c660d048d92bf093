/**
 * A small test runner for the browser tests (Playwright's own runner is not
 * installed; playwright-core drives Debian's Chromium): named tests run one
 * after another, each with a time limit; failures are collected, not thrown,
 * so one failing test does not hide the others; measurements are recorded by
 * name and printed at the end with the artifact paths.
 */
import assert from 'node:assert/strict';

export { assert };

export interface TestCase {
  name: string;
  timeoutMs: number;
  fn: () => Promise<void>;
}

export interface Outcome {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export const measurements: Record<string, unknown> = {};
export const artifacts: string[] = [];

export function record(name: string, value: unknown): void {
  measurements[name] = value;
  console.log(`  · ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

export function log(line: string): void {
  console.log(`  ${line}`);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export async function runTests(tests: TestCase[], only?: RegExp): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const t of tests) {
    if (only && !only.test(t.name)) continue;
    console.log(`▶ ${t.name}`);
    const t0 = performance.now();
    try {
      await withTimeout(t.fn(), t.timeoutMs);
      const ms = performance.now() - t0;
      outcomes.push({ name: t.name, ok: true, ms });
      console.log(`✔ ${t.name} (${(ms / 1000).toFixed(1)} s)`);
    } catch (e) {
      const ms = performance.now() - t0;
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      outcomes.push({ name: t.name, ok: false, ms, error });
      console.log(`✘ ${t.name} (${(ms / 1000).toFixed(1)} s)\n${error.replace(/^/gm, '    ')}`);
    }
  }
  return outcomes;
}
