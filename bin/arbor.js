#!/usr/bin/env node
// The `arbor` command: the compiled CLI lives in dist/ (built by `npm ci` via `prepare`).
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code ?? 0; },
  (err) => { console.error(err?.stack ?? String(err)); process.exitCode = 1; },
);
