// When the worker turns the run's latest snapshot into a checkpoint event.
import { describe, expect, it } from 'vitest';
import { CheckpointSchedule } from '../../../src/worker/checkpoints';

describe('CheckpointSchedule', () => {
  it('posts the first snapshot at once, then at most once per interval', () => {
    const s = new CheckpointSchedule(1000);
    expect(s.last).toBe(-1);
    expect(s.due(10, 0)).toBe(true);
    s.mark(10, 0);
    expect(s.due(20, 500)).toBe(false);
    expect(s.due(20, 1000)).toBe(true);
    s.mark(20, 1000);
    expect(s.last).toBe(20);
  });

  it('never posts the same step twice, even when forced', () => {
    const s = new CheckpointSchedule(1000);
    s.mark(30, 0);
    expect(s.due(30, 5000)).toBe(false);
    expect(s.due(30, 5000, true)).toBe(false);
    expect(s.due(29, 5000, true)).toBe(false);
  });

  it('a forced check (pagehide) ignores the interval', () => {
    const s = new CheckpointSchedule(1000);
    s.mark(30, 0);
    expect(s.due(31, 10, true)).toBe(true);
  });
});
