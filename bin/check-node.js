#!/usr/bin/env node
// The Node.js check that `jao` and `npm test` run before anything else loads: on an older Node.js they print one line
// naming the version to install, rather than fail somewhere inside a dependency. Plain CommonJS that an old Node.js
// still parses.

/** package.json's `engines.node` is `>=` this. */
const MINIMUM_NODE = '22.12';
const RECOMMENDED_NODE = 'Node.js 24 LTS';

/** The line for a Node.js older than MINIMUM_NODE, or null; `version` as in process.versions.node. */
function nodeVersionProblem(version) {
  const [major, minor] = String(version).replace(/^v/, '').split('.').map(Number);
  const [minMajor, minMinor] = MINIMUM_NODE.split('.').map(Number);
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return null;
  return (
    `jao: Node.js ${version} is too old; install ${RECOMMENDED_NODE} (jao-scraper needs ${MINIMUM_NODE} or later): ` +
    `scripts/ensure-node.sh installs it from the npm registry, then export PATH="$(scripts/ensure-node.sh):$PATH"`
  );
}

/** Prints the line and exits 1 on a Node.js that is too old. */
function checkNode() {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem !== null) {
    console.error(problem);
    process.exit(1);
  }
}

module.exports = { MINIMUM_NODE, nodeVersionProblem, checkNode };

if (require.main === module) checkNode();
