// ESLint: typescript-eslint's recommended rules. Run by `npm run lint` (part of `npm test`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.sandbox/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a parameter or binding kept for its position (an interface's
      // signature, a destructured tuple): the convention TypeScript itself honours.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      // Tests and benchmarks read untyped JSON (event streams, recorded Ansible output) and poke at
      // results without declaring every shape; production code keeps the rule.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
