// Import graph gate, run by `npm run lint` after ESLint: no module may take
// part in an import cycle. Type-only imports count (tsPreCompilationDeps):
// a cycle closed by a type is still two modules that cannot be understood,
// moved or tested apart, and the cycles this project had were all of that
// kind. ESLint (eslint.config.js) keeps the per-file rules: the engine never
// imports the app, and the page takes values from src/core only via core/spec.
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment:
        'An import cycle (type-only imports included). Move the shared type or value to the module that owns it, so the dependency points one way.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
