#!/usr/bin/env node
// A source checkout runs cli/main.ts through tsx (a stale dist/ never shadows the sources); the runtime image,
// which holds no sources, runs the compiled dist/cli/main.js (docs/deployment.md).
require('./check-node.js').checkNode();
const { existsSync } = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', 'cli', 'main.ts');
if (!existsSync(source)) {
  require('../dist/cli/main.js');
} else {
  try {
    require.resolve('tsx/cjs');
  } catch {
    console.error('jao: tsx is not installed; run "npm ci" (with dev dependencies) in this checkout');
    process.exit(2);
  }
  require('tsx/cjs');
  require(source);
}
