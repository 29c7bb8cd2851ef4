import baseConfig from '../eslint.config.mjs';

// The layering of STYLE.md inside the backend: config <- platform <- core <- products <- vendor.
// Arrows point one way; an import against them fails lint.
const forbid = (files, groups, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
  },
});

export default [
  ...baseConfig,
  forbid(
    ['src/config/**/*.ts'],
    ['**/platform/**', '**/core/**', '**/products/**', '**/vendor/**'],
    'config/ is the bottom layer: it may not import anything of the app.',
  ),
  forbid(
    ['src/platform/**/*.ts'],
    ['**/core/**', '**/products/**', '**/vendor/**', '**/bootstrap/**'],
    'platform/ holds technology adapters and knows nothing of core, products or vendor.',
  ),
  forbid(
    ['src/core/**/*.ts'],
    ['**/products/**', '**/vendor/**'],
    'core/ may not depend on products or the vendor console.',
  ),
  forbid(['src/products/**/*.ts'], ['**/vendor/**'], 'products may not depend on the vendor console.'),
];
