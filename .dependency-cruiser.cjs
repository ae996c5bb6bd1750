/**
 * The layering of DESIGN.md, checked in CI (`npm run lint`):
 *  - core is pure: no I/O modules, no other Vortex folder.
 *  - only connectors/* (and the simulators) speak HTTP to outside systems; connectors never import each other.
 *  - policies and contexts never import the CLI, the HTTP server or the simulators.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'src/core holds money, types, errors and policies: no I/O and no other Vortex module.',
      from: { path: '^src/core/' },
      to: {
        pathNot: ['^src/core/', '^node_modules/(decimal\\.js|zod)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'core-no-node-io',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster)(/|$)' },
    },
    {
      name: 'only-connectors-speak-http',
      severity: 'error',
      comment: 'HTTP clients to outside systems live in src/connectors/*.',
      from: { path: '^src/', pathNot: ['^src/connectors/', '^src/http/', '^src/cli/'] },
      to: { path: '^(node:)?(http|https|http2)$|^node_modules/(undici|axios|got|node-fetch)/' },
    },
    {
      name: 'connectors-are-independent',
      severity: 'error',
      comment: 'A connector never imports another connector: compose them in a context (catalog, orders, …).',
      from: { path: '^src/connectors/([^/]+)/' },
      to: { path: '^src/connectors/([^/]+)/', pathNot: '^src/connectors/$1/' },
    },
    {
      name: 'contexts-do-not-import-entrypoints',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/app\\.ts$', '^src/demo/'] },
      to: { path: '^(src/cli/|sim/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
