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
      to: { path: '^src/(playbook|template|modules|engine|output|argspec)/' },
    },
    {
      name: 'python-values-import-nothing',
      comment: 'Python value rules (repr, literal_eval, fnmatch, boolean) stand alone.',
      severity: 'error',
      from: { path: '^src/python/' },
      to: { path: '^src/(?!python/)' },
    },
    {
      name: 'templates-below-argspec-and-playbooks',
      comment: 'Templating knows nothing of argument specs, playbooks, modules or hosts.',
      severity: 'error',
      from: { path: '^src/template/' },
      to: { path: '^src/(argspec|playbook|modules|engine|inventory|facts|connectors|output)/' },
    },
    {
      name: 'argspec-below-playbooks',
      comment: 'The one argument validator serves playbooks and modules; it imports neither.',
      severity: 'error',
      from: { path: '^src/argspec/' },
      to: { path: '^src/(playbook|modules|engine|inventory|connectors|output)/' },
    },
    {
      name: 'yaml-loader-below-everything',
      comment: 'The one YAML loader serves inventories, playbooks and templates; it imports none of them.',
      severity: 'error',
      from: { path: '^src/yaml/' },
      to: { path: '^src/(?!yaml/|python/|errors\\.ts$)' },
    },
    {
      name: 'commands-load-their-handlers-on-demand',
      comment:
        'What every invocation loads (main, the command definitions and their options) imports a handler, and so the engine, modules, templates, SSH and YAML, only with import() when its command runs (docs/architecture.md).',
      severity: 'error',
      from: { path: '^src/cli/(main|command|options|shard-option|workers-option|commands/[^/]+)\\.ts$' },
      to: {
        path: '^(src/|node_modules/)',
        pathNot:
          '^(src/(cli/(command|options|shard-option|workers-option|commands/[^/]+)|errors|inventory/shard|connectors/connection-type|sandbox/types|alerts/priority)\\.ts$|node_modules/yargs/)',
        dependencyTypesNot: ['dynamic-import', 'type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|node_modules)/' },
  },
};
