/**
 * Omniglot (Lake, Salakhutdinov & Tenenbaum 2015) as an episodic N-way
 * K-shot classification source over 28×28 grayscale images, ink = 1.
 *
 * Protocol (fixed, independent of any seed):
 * - meta-train: background characters 1–868 (Omniglot numbers 0001–0868),
 *   each in 4 rotations (0°, 90°, 180°, 270° counter-clockwise) that count as
 *   4 classes: 3,472 classes;
 * - meta-val: the last 96 background characters (0869–0964, ≈10%), also ×4
 *   rotations: 384 classes;
 * - meta-test: the 659 evaluation characters (0965–1623), ×4 rotations by
 *   default (2,636 classes), as Prototypical Networks test on rotated
 *   classes; `rotateTest: false` gives the 659 upright classes.
 * Every class has the 20 drawings of its character, so K + Q ≤ 20.
 *
 * The images stay as the asset's bytes (25 MB for all 1,623 × 20 drawings);
 * a class pool converts only the drawings an episode draws, rotating them
 * through a precomputed index map. Layout and sampling are those of
 * ClassificationTaskSet (class-major episodes, supportClass/queryClass as
 * indices into the split's class list c·R + r for character c, rotation r).
 */
import type { Rng } from '../../rng';
import type { ImageShape, Split } from '../types';
import { decodeOmniglotAsset, type OmniglotData } from '../omniglot/asset';
import { checkOmniglotAsset } from '../omniglot/checksum';
import type { ClassPool } from '../task-sets/class-pool';
import { ClassificationTaskSet, type ClassificationSplit } from '../task-sets/classification-set';
import { drawDistinct } from '../sampling/pick';

export interface OmniglotOptions {
  /** count the 4 rotations of each evaluation character as test classes (default true) */
  rotateTest?: boolean;
}

/** Background characters held out for meta-validation: the last 96 of 964. */
export const OMNIGLOT_VAL_CHARACTERS = 96;
export const OMNIGLOT_IMAGE_SHAPE: ImageShape = { height: 28, width: 28, channels: 1 };

const TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** Index maps for k quarter turns counter-clockwise: out[p] = in[map[p]]. */
function rotationMaps(size: number): Int32Array[] {
  const maps = [Int32Array.from({ length: size * size }, (_, p) => p)];
  for (let k = 1; k < 4; k++) {
    const prev = maps[k - 1] as Int32Array;
    const next = new Int32Array(size * size);
    // One more quarter turn CCW: out(y, x) = in(x, size − 1 − y).
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) next[y * size + x] = prev[x * size + (size - 1 - y)] as number;
    }
    maps.push(next);
  }
  return maps;
}

class OmniglotClassPool implements ClassPool {
  constructor(
    readonly name: string,
    readonly classIndex: number,
    readonly size: number,
    private readonly images: Uint8Array,
    /** byte offset of the character's first drawing */
    private readonly start: number,
    private readonly map: Int32Array,
  ) {}

  draw(rng: Rng, n: number): Float32Array {
    const d = this.map.length;
    const out = new Float32Array(n * d);
    drawDistinct(rng, this.size, n).forEach((drawing, i) => {
      const at = this.start + drawing * d;
      for (let p = 0; p < d; p++) {
        out[i * d + p] = TO_UNIT[this.images[at + (this.map[p] as number)] as number] as number;
      }
    });
    return out;
  }
}

function characterName(n: number, rotation: number, rotated: boolean): string {
  const id = `#${String(n).padStart(4, '0')}`;
  return rotated ? `${id} ${rotation * 90}°` : id;
}

function buildSplits(
  data: OmniglotData,
  opts: OmniglotOptions,
): Record<Split, ClassificationSplit> {
  const { meta, images } = data;
  const px = meta.height * meta.width;
  const perChar = meta.drawings * px;
  const maps = rotationMaps(meta.height);
  const setMeta = (name: 'background' | 'evaluation') => {
    const s = meta.sets.find((x) => x.name === name);
    if (!s) throw new Error(`The Omniglot asset has no ${name} set.`);
    return s;
  };
  const classes = (
    set: 'background' | 'evaluation',
    from: number,
    to: number,
    rotations: number,
  ): ClassPool[] => {
    const first = setMeta(set).firstNumber;
    const out: ClassPool[] = [];
    for (let c = from; c < to; c++) {
      for (let r = 0; r < rotations; r++) {
        out.push(
          new OmniglotClassPool(
            characterName(first + c, r, rotations > 1),
            out.length,
            meta.drawings,
            images[set],
            c * perChar,
            maps[r] as Int32Array,
          ),
        );
      }
    }
    return out;
  };
  const background = setMeta('background').characters;
  const cut = background - OMNIGLOT_VAL_CHARACTERS;
  const split = (name: string, pools: ClassPool[]): ClassificationSplit => ({
    groups: [{ name, classes: pools }],
    classCount: pools.length,
  });
  return {
    train: split('meta-train', classes('background', 0, cut, 4)),
    val: split('meta-val', classes('background', cut, background, 4)),
    test: split(
      'meta-test',
      classes('evaluation', 0, setMeta('evaluation').characters, opts.rotateTest === false ? 1 : 4),
    ),
  };
}

export class OmniglotSource extends ClassificationTaskSet {
  readonly imageShape: ImageShape = OMNIGLOT_IMAGE_SHAPE;

  constructor(
    readonly data: OmniglotData,
    readonly options: OmniglotOptions = {},
  ) {
    if (data.meta.height !== 28 || data.meta.width !== 28) {
      throw new Error(`The Omniglot asset is ${data.meta.height}×${data.meta.width}, not 28×28.`);
    }
    super('omniglot', 28 * 28, 'episodic', buildSplits(data, options));
  }
}

/**
 * The Omniglot source from the asset's bytes (as the CLI reads them from
 * public/ or the worker fetches them), checked against the committed
 * SHA-256 first; `where` names the file or URL in messages.
 */
export async function omniglotSourceFromBytes(
  bytes: Uint8Array,
  where: string,
  opts: OmniglotOptions = {},
): Promise<OmniglotSource> {
  await checkOmniglotAsset(bytes, where);
  return new OmniglotSource(decodeOmniglotAsset(bytes), opts);
}
