#!/usr/bin/env node
// Completes the package.json that `nx build backend` generates (dist/backend/package.json):
// Nx lists only the modules main.js imports statically, but TypeORM loads its database drivers
// by name at run time (better-sqlite3 for the embedded default, mysql2 for MySQL/MariaDB), and
// the tsc-compiled bundle requires tslib (importHelpers). Each is pinned to the exact version in
// the root package-lock.json, so the image runs what the tests ran.
// Usage: node runtime-package.cjs <generated package.json> <root package-lock.json>
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const RUNTIME_ONLY = ['better-sqlite3', 'mysql2', 'tslib'];
const [pkgPath, lockPath] = process.argv.slice(2);
if (!pkgPath || !lockPath) {
  console.error('usage: runtime-package.cjs <package.json> <root package-lock.json>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
pkg.dependencies = pkg.dependencies || {};
for (const name of RUNTIME_ONLY) {
  const entry = lock.packages && lock.packages[`node_modules/${name}`];
  if (!entry || !entry.version) {
    console.error(`${name}: not found in ${lockPath}; run npm install at the repository root first`);
    process.exit(1);
  }
  pkg.dependencies[name] ??= entry.version;
}
writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`runtime dependencies: ${Object.keys(pkg.dependencies).length} (added ${RUNTIME_ONLY.join(', ')})`);
