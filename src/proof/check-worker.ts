/** A worker thread for `checkFileThreaded`: `{ text, opts }` in, the TheoremCheck list out. */
import { parentPort } from 'node:worker_threads';
import { type CheckOptions, checkFile } from './check-file.js';

parentPort?.once('message', (msg: { text: string; opts: CheckOptions }) => {
  parentPort!.postMessage(checkFile(msg.text, msg.opts));
});
