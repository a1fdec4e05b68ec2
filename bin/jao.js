#!/usr/bin/env node
// A source checkout runs cli/ through tsx (a stale dist/ never shadows the sources); the runtime image, which holds
// no sources, runs the compiled dist/cli/ (docs/deployment.md). The only place that exits the process: once the
// command is done and what it wrote has left (into a pipe, a large answer is still being written when it returns;
// a start-up that failed may leave a connection attempt or timer behind, which must not keep the process alive).
require('./check-node.js').checkNode();
const { existsSync } = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', 'cli', 'process.ts');
let entry;
if (!existsSync(source)) {
  entry = require('../dist/cli/process.js');
} else {
  try {
    require.resolve('tsx/cjs');
  } catch {
    console.error('jao: tsx is not installed; run "npm ci" (with dev dependencies) in this checkout');
    process.exit(2);
  }
  require('tsx/cjs');
  entry = require(source);
}

function exitWhenWritten(code) {
  let pending = 2;
  const written = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', written);
  process.stderr.write('', written);
}

entry.runProcess(process.argv.slice(2), (code) => process.exit(code)).then(exitWhenWritten);
