/**
 * The layering of src/ as rules that fail `npm test` (`npm run layers`). The layer map and why
 * each rule exists: CONTRIBUTING.md.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules form a tree of layers; a cycle means two of them are one.',
      from: { path: '^(src|support)/' },
      to: { circular: true },
    },
    {
      name: 'protocol-stays-protocol',
      severity: 'error',
      comment: 'The wire protocol (signatures, envelope, params) knows nothing of faults, engines or the control plane.',
      from: { path: '^src/protocol/' },
      to: { path: '^src/(faults|engines|admin|service)/' },
    },
    {
      name: 'engines-know-no-server',
      severity: 'error',
      comment: 'Engines are libraries: no Fastify, no protocol, no pipeline; they throw ApiErrors and nothing else.',
      from: { path: '^src/engines/' },
      to: { path: '(^src/(protocol|pipeline|admin|actions|faults|service)/)|(^node_modules/(fastify|@fastify)/)' },
    },
    {
      name: 'actions-use-engine-entry-points',
      severity: 'error',
      comment: "Actions reach an engine through its public index.ts (or the engines' shared top-level modules), never its insides.",
      from: { path: '^src/actions/' },
      to: { path: '^src/engines/[^/]+/', pathNot: '^src/engines/[^/]+/(index|types)\\.ts$' },
    },
    {
      name: 'tests-and-benchmarks-apart',
      severity: 'error',
      comment: 'What tests and benchmarks share lives in support/; neither imports the other.',
      from: { path: '^test/' },
      to: { path: '^bench/' },
    },
    {
      name: 'benchmarks-and-tests-apart',
      severity: 'error',
      comment: 'What tests and benchmarks share lives in support/; neither imports the other.',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
