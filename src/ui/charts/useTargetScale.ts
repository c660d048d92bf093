/**
 * The CSV regression target's meta-train scale when an upload is the data in
 * use, else null (built-in families and classification are not rescaled).
 * The selected object comes from the store as is, so it is reference-stable.
 */
import { useAppStore } from '../../store';
import type { TargetScale } from './units';

export function useTargetScale(): TargetScale | null {
  return useAppStore((s) =>
    s.csv.inUse ? (s.csv.staged?.report.normalization.target ?? null) : null,
  );
}
