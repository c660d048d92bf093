/**
 * The meta learning rate at a given meta-step: constant, or a half cosine
 * from the base rate at the first step toward 0 at the end of the run
 * (Loshchilov & Hutter 2017 without restarts). Pure, so the schedule is
 * tested on hand-computed values and resumes exactly from the step count
 * the optimizer saves.
 *
 * Step t counts from 1 (the first update). lr_t = base · ½(1 + cos(π (t−1)/T))
 * for T total meta-steps: lr_1 = base, lr_{T/2+1} = base/2, and the last
 * step (t = T) still moves a little; after T (a run continued past its
 * planned length) the rate stays at 0.
 */
export function scheduledLr(base: number, t: number, total: number, cosine: boolean): number {
  if (!cosine) return base;
  const progress = Math.min(1, Math.max(0, (t - 1) / Math.max(1, total)));
  return base * 0.5 * (1 + Math.cos(Math.PI * progress));
}
