// A process that owns a LeanPool (the compiled src/lean/index.js named by $ARBOR_LEAN_INDEX). It starts two REPL
// stand-ins, has one spawn a grandchild, leaves both busy, prints every pid as one JSON line, and
// then waits to be ended: by a signal, or by "exit" on stdin (process.exit with work in flight).
import { fileURLToPath, pathToFileURL } from 'node:url';

const { LeanPool } = await import(pathToFileURL(process.env.ARBOR_LEAN_INDEX).href);

const fake = fileURLToPath(new URL('./fake-repl.mjs', import.meta.url));
const pool = new LeanPool({ command: process.execPath, args: [fake], header: 'import Mathlib', workers: 2 });
await pool.warmup();
const r = await pool.request({ kind: 'command', cmd: 'spawn-child' });
const grandchild = Number(r.messages[0].data);
void pool.request({ kind: 'command', cmd: 'hang' }).catch(() => {});
void pool.request({ kind: 'command', cmd: 'hang' }).catch(() => {});
setTimeout(() => {
  process.stdout.write(`${JSON.stringify({ pids: [...pool.livePids(), grandchild] })}\n`);
}, 100);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  if (d.includes('exit')) process.exit(0);
});
setInterval(() => {}, 1000);
