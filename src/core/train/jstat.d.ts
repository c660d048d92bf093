/**
 * The one function of jstat (no bundled types) this project uses: the
 * Student t quantile, for the clustered 95% interval (clustered.ts).
 */
declare module 'jstat' {
  const jStat: {
    studentt: { inv(p: number, dof: number): number };
  };
  export default jStat;
}
