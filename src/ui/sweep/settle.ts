/**
 * How long the sweep's charts wait after the last trial change before they
 * are drawn. A trial ends as the next one's worker starts (its backend set
 * up, its kernels compiled); drawn at once, the chart worker competed with
 * that start for the cores and the page's long tasks grew with it. The
 * sentences under the charts follow at once.
 */
export const SWEEP_CHART_SETTLE_MS = 2000;
