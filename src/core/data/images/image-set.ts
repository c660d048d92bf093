/**
 * The TaskSource of an uploaded image set: episodic N-way K-shot
 * classification over its classes (split into meta-train / val / test
 * classes by the stager), with imageShape set. Images stay as bytes
 * (size² · channels each) and are turned into [0, 1] floats only when an
 * episode draws them; `invert` maps v to 1 − v/255 (grayscale sets of dark
 * strokes on light paper, so ink = 1 as the image contract asks).
 */
import type { Rng } from '../../rng';
import type { ImageShape, Split } from '../types';
import type { ClassPool } from '../task-sets/class-pool';
import { ClassificationTaskSet, type ClassificationSplit } from '../task-sets/classification-set';
import { drawDistinct } from '../sampling/pick';

export interface StoredClass {
  name: string;
  /** the class's images, each size² · channels bytes, in upload order */
  images: Uint8Array[];
  /** the file of each image, for messages */
  files: string[];
}

class ByteImagePool implements ClassPool {
  readonly size: number;

  constructor(
    readonly name: string,
    readonly classIndex: number,
    private readonly images: Uint8Array[],
    private readonly table: Float32Array,
    readonly origin: { file: string },
  ) {
    this.size = images.length;
  }

  draw(rng: Rng, n: number): Float32Array {
    const d = (this.images[0] as Uint8Array).length;
    const out = new Float32Array(n * d);
    drawDistinct(rng, this.size, n).forEach((k, i) => {
      const img = this.images[k] as Uint8Array;
      for (let p = 0; p < d; p++) out[i * d + p] = this.table[img[p] as number] as number;
    });
    return out;
  }
}

export class ImageSetSource extends ClassificationTaskSet {
  constructor(
    name: string,
    readonly imageShape: ImageShape,
    classes: Record<Split, StoredClass[]>,
    readonly inverted: boolean,
  ) {
    const table = Float32Array.from({ length: 256 }, (_, v) => (inverted ? 1 - v / 255 : v / 255));
    const split = (s: Split): ClassificationSplit => ({
      groups: [
        {
          name: `meta-${s}`,
          classes: classes[s].map(
            (c, i) => new ByteImagePool(c.name, i, c.images, table, { file: c.files[0] ?? c.name }),
          ),
        },
      ],
      classCount: classes[s].length,
    });
    super(name, imageShape.height * imageShape.width * imageShape.channels, 'episodic', {
      train: split('train'),
      val: split('val'),
      test: split('test'),
    });
  }
}
