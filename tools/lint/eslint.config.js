// ESLint for Label Lab (run from the repository root by `npm run lint`). Type-aware rules only where they
// catch real bugs: a promise nobody awaits or catches, a promise passed where a callback's result is
// ignored, and `any`. Formatting is Prettier's job, not ESLint's.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'tools/**', 'test-output/**', 'bench-data/**', 'scratch/**', '**/*.js'],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'vite.config.ts', 'vitest.config.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: process.cwd() },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
