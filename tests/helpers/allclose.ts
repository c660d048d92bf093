/**
 * An all-close assertion that names the worst element, so a failing numeric
 * test says where and by how much: |a − b| ≤ atol + rtol·|b| elementwise.
 */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  {
    atol = 1e-6,
    rtol = 1e-5,
    label = 'values',
  }: { atol?: number; rtol?: number; label?: string } = {},
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length} ≠ expected ${expected.length}`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const b = expected[i] as number;
    const excess = Math.abs(a - b) - (atol + rtol * Math.abs(b));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${label}: element ${worst} is ${actual[worst]} but expected ${expected[worst]} ` +
        `(|diff| ${Math.abs((actual[worst] as number) - (expected[worst] as number)).toExponential(3)}, atol ${atol}, rtol ${rtol})`,
    );
  }
}
