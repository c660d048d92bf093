/**
 * The words of the image adaptation view: verdicts against the class-major
 * query order, scores, class labels and the episode sentence, on a hand-made
 * result whose right answers are known.
 */
import { describe, expect, it } from 'vitest';
import type { AdaptResult } from '../../../src/worker/adapt-types';
import {
  classLabel,
  episodeSentence,
  percentOf,
  score,
  verdict,
} from '../../../src/ui/adaptation/image-summary';

// 2-way, 2 queries a class: queries 0, 1 are class 0; 2, 3 are class 1.
const result = {
  steps: 1,
  models: [
    {
      name: 'protonet',
      metric: [0.75, 0.75],
      predictions: [],
      classes: {
        predicted: Uint8Array.from([0, 1, 1, 1]),
        probability: Float32Array.from([0.9, 0.6, 0.8, 0.7]),
      },
    },
    { name: 'scratch', metric: [0.5, 0.5], predictions: [] },
  ],
  images: {
    height: 2,
    width: 2,
    channels: 1,
    ways: 2,
    shots: 1,
    queries: 2,
    classNames: ['Greek alpha', 'class 2'],
    support: new Uint8ClampedArray(8),
    query: new Uint8ClampedArray(16),
  },
} as unknown as AdaptResult;

describe('image adaptation words', () => {
  it('marks each query against its class-major truth and counts the right ones', () => {
    const m = result.models[0]!;
    expect(verdict(m, 0, 2)).toEqual({
      right: true,
      predicted: 0,
      probability: 0.8999999761581421,
    });
    expect(verdict(m, 1, 2)?.right).toBe(false);
    expect(verdict(m, 3, 2)?.right).toBe(true);
    expect(verdict(result.models[1]!, 0, 2)).toBeNull();
    expect(score(m, 2)).toEqual({ right: 3, total: 4 });
  });

  it('names classes and says the episode in one sentence', () => {
    expect(classLabel(['Greek alpha', 'class 2'], 0)).toBe('1 · Greek alpha');
    expect(classLabel(['Greek alpha', 'class 2'], 1)).toBe('2');
    expect(percentOf(1 / 3)).toBe('33.3%');
    expect(episodeSentence(result)).toBe(
      '2-way 1-shot episode on held-out classes, 2 queries a class, after 1 adaptation step: Prototypical Networks 3 of 4 right (75%).',
    );
  });
});
