/**
 * Generates the two sample CSVs the data panel offers as "Try a sample".
 * Both are synthetic and say so in public/samples/index.json; this script is
 * the whole recipe (`npx tsx scripts/make-samples.ts` rewrites them, same
 * seed, same bytes).
 *
 * - station-temperatures.csv: regression, one task per weather station. A
 *   station's daily mean temperature follows an annual cycle
 *   T(d) = mean + amplitude · cos(2π (d − warmest) / 365) + noise, with the
 *   mean, amplitude and warmest day drawn per station in ranges typical of
 *   mid-latitude climate normals. Related tasks: the shape is shared, the
 *   parameters differ, which is what meta-learning exploits.
 * - leaf-measurements.csv: episodic classification, 40 "species", each a
 *   Gaussian cluster in four leaf measurements with correlated length and
 *   width; meta-learning is asked to tell apart species it never saw.
 */
import { writeFileSync } from 'node:fs';
import { Rng } from '../src/core/rng';

const rng = new Rng(20261122);
const round = (v: number, d: number) => Number(v.toFixed(d));

function stations(): string {
  const lines = ['station,day_of_year,temp_c'];
  for (let s = 0; s < 120; s++) {
    const id = `ST${String(s + 1).padStart(3, '0')}`;
    const mean = rng.uniform(-2, 22);
    const amplitude = rng.uniform(2, 16);
    const warmest = rng.uniform(180, 225) + (rng.next() < 0.15 ? 182 : 0); // a few southern-hemisphere stations
    const days = rng
      .sampleWithoutReplacement(365, 40)
      .map((d) => d + 1)
      .sort((a, b) => a - b);
    for (const d of days) {
      const t =
        mean + amplitude * Math.cos((2 * Math.PI * (d - warmest)) / 365) + 1.2 * rng.normal();
      lines.push(`${id},${d},${round(t, 1)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function leaves(): string {
  const lines = ['leaf_length_mm,leaf_width_mm,petiole_mm,serrations,species'];
  for (let c = 0; c < 40; c++) {
    const species = `species_${String(c + 1).padStart(2, '0')}`;
    const length = rng.uniform(30, 160);
    const aspect = rng.uniform(0.25, 0.9);
    const petiole = rng.uniform(3, 40);
    const serrations = rng.uniform(0, 40);
    for (let i = 0; i < 20; i++) {
      const size = 1 + 0.08 * rng.normal(); // length and width grow together
      lines.push(
        [
          round(length * size + 2 * rng.normal(), 1),
          round(length * aspect * size + 1.5 * rng.normal(), 1),
          round(Math.max(0.5, petiole + 1.5 * rng.normal()), 1),
          Math.max(0, Math.round(serrations + 2.5 * rng.normal())),
          species,
        ].join(','),
      );
    }
  }
  return lines.join('\n') + '\n';
}

writeFileSync('public/samples/station-temperatures.csv', stations());
writeFileSync('public/samples/leaf-measurements.csv', leaves());
console.log('wrote public/samples/station-temperatures.csv and leaf-measurements.csv');
