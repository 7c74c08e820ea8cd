// ESLint (flat config) over every source folder; `npm run lint` fails on any warning.
// Type-aware (typescript-eslint's recommendedTypeChecked): a whole run takes ~20 s on this 2-core machine, and
// the rules that need types (floating promises, misused promises, unsafe `any`) are the ones that catch bugs.
// Formatting is left alone: no stylistic rules.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Every Node built-in, with and without the `node:` prefix: `import 'crypto'` is as Node-only as `node:crypto`.
const nodeBuiltins = { group: ['node:*', ...builtinModules, ...builtinModules.map((m) => `${m}/*`)] }

// A relative import that climbs out to another top-level folder (`../../node/...`).
const outOf = (folders) => ({ regex: `^(\\.\\./)+(${folders.join('|')})(/|$)` })

export default defineConfig(
  globalIgnores(['dist/', 'ui/dist/', 'contracts/artifacts/', 'test/artifacts/', 'simulations/out/', '.porchlight-demo/', '.tmp/', 'docs/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked against its nearest tsconfig.json: protocol/ against its DOM-only one, ui/ against
        // its own. ui/vite.config.ts is in no tsconfig (it runs under Node, not in the page) and gets a default one.
        projectService: { allowDefaultProject: ['ui/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname
      }
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: 'error',
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_',
        varsIgnorePattern: '^_',
        caughtErrorsIgnorePattern: '^_',
        destructuredArrayIgnorePattern: '^_',
        // `const { EIP712Domain: _, ...types } = json.types` drops a key on purpose.
        ignoreRestSiblings: true
      }],
      // node:test's `test()`/`describe()` return promises the runner itself awaits; everything else must be
      // awaited, returned or voided.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }]
      }],
      // Off: an `async` function without `await` is how a function keeps its promise contract (fastify plugins,
      // interface stubs) and turns a throw into a rejection; dropping `async` to satisfy the rule would change that.
      '@typescript-eslint/require-await': 'off',
      // `reject(signal.reason)` is the abort idiom, and `AbortSignal.reason` is typed `any`.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
      // Under `verbatimModuleSyntax`, `import { type A } from 'x'` still loads 'x' at run time; `import type` does not.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // A promise returned from inside `try` without `await` escapes its `catch` and `finally`. Only that case: the
      // code's `return await` elsewhere is harmless and gives better stack traces.
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      // A switch over a union (message kinds, roles) must say what happens to a member added later.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }]
    }
  },
  {
    // DESIGN.md §3: protocol/ is pure and runs in the browser; it imports no other folder.
    files: ['protocol/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { ...nodeBuiltins, message: 'protocol/ runs in the browser: no Node built-ins.' },
          { ...outOf(['node', 'ui', 'simulations', 'bench', 'scripts', 'test', 'contracts', 'bin']), message: 'protocol/ imports no other folder (DESIGN.md §3).' }
        ]
      }]
    }
  },
  {
    // DESIGN.md §3: `ui → protocol`, never `ui → node`; the pages run in the browser.
    files: ['ui/src/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { ...nodeBuiltins, message: 'ui/src runs in the browser: no Node built-ins.' },
          { ...outOf(['node', 'simulations', 'bench', 'scripts', 'test', 'bin']), message: 'ui/ imports only protocol/ (DESIGN.md §3).' }
        ]
      }]
    }
  },
  {
    // Tests read untyped JSON (HTTP bodies, fixtures) and hand stubs where real services go; `any` there is the
    // test's business. What still matters in tests (an un-awaited assertion) stays on.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off'
    }
  },
  {
    // bin/ and scripts/ are plain JavaScript under Node, outside every tsconfig.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node }
  }
)
