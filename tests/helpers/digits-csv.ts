/**
 * A small digits-like CSV for the evaluation tests: `classes` classes, each a
 * fixed random 16-pixel template in [0, 1], `perClass` noisy copies of it
 * (pixel noise std 0.15). Raw-pixel prototypes separate such classes well,
 * so a weakly trained ProtoNet should lose to them — what issue 12 asks the
 * evaluation table to show.
 */
import { Rng } from '../../src/core/rng';

export function digitsCsv(classes = 10, perClass = 30, seed = 7): string {
  const rng = new Rng(seed);
  const P = 16;
  const header = ['label', ...Array.from({ length: P }, (_, i) => `p${i}`)];
  const lines = [header.join(',')];
  for (let c = 0; c < classes; c++) {
    const template = Array.from({ length: P }, () => (rng.uniform(0, 1) < 0.5 ? 0.1 : 0.9));
    for (let r = 0; r < perClass; r++) {
      const px = template.map((t) => (t + 0.15 * rng.normal()).toFixed(3));
      lines.push([`digit${c}`, ...px].join(','));
    }
  }
  return lines.join('\n') + '\n';
}
