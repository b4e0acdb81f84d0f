/**
 * Import rules (docs/architecture.md "Layers"): no cycles; the layers below never import the ones
 * above them. Run by `npm run lint`.
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'cli-is-the-top',
      comment: 'Nothing imports the command line.',
      severity: 'error',
      from: { path: '^src/(?!cli/)' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'engine-above-modules-and-facts',
      comment: 'Modules and facts know nothing of the engine that runs them.',
      severity: 'error',
      from: { path: '^src/(modules|facts|template|inventory|connectors|shell)/' },
      to: { path: '^src/engine/' },
    },
    {
      name: 'connectors-below-playbooks',
      comment: 'SSH knows nothing of playbooks, templates or modules.',
      severity: 'error',
      from: { path: '^src/connectors/' },
      to: { path: '^src/(playbook|template|modules|engine|output)/' },
    },
    {
      name: 'yaml-loader-below-everything',
      comment: 'The one YAML loader serves inventories, playbooks and templates; it imports none of them.',
      severity: 'error',
      from: { path: '^src/yaml/' },
      to: { path: '^src/(?!yaml/|python/|errors\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|node_modules)/' },
  },
};
