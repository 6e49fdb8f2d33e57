// A small rule set on purpose: bugs types can prove, not style (the formatter owns layout).
// Type-aware rules read tsconfig.lint.json, which adds the plain-JS scripts to the project.
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'src/generated/'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.lint.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // every member of a union is named, even beside a default: a new member must be decided everywhere
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // a leading underscore marks a name left unused on purpose (a drained loop, a dropped field)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-unused-private-class-members': 'error',
    },
  },
];
