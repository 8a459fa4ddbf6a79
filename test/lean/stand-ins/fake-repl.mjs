#!/usr/bin/env node
// A misbehaving Lean REPL for fault-handling tests. It frames like the REPL (requests end at a
// blank line; answers are multi-line JSON ended by a blank line) and obeys directives in `cmd`:
//   echo:TEXT        answer an env with one info message TEXT
//   sleep:MS:TEXT    the same after MS milliseconds
//   hang             never answer
//   crash            write half an answer, a line on stderr, exit 1
//   crash-once:TOK   crash the first time TOK is seen (marker file in $FAKE_REPL_DIR), else echo TOK
//   exit             exit 0 without answering
//   garbage          answer with text that is not JSON
//   bad-schema       answer with JSON that is not a REPL response ({"env": "zero"})
//   huge:BYTES       answer with a message of BYTES characters
//   unasked          answer, then write a second answer nobody asked for
//   spawn-child      start a grandchild process (same process group) and answer with its pid
//   stderr-flood     write 2 MB to stderr, end with a marker line, then exit 1
// A header `import Bad...` elaborates with an error; other imports succeed.
// Options: --slow-start MS (wait before reading input), --die-at-start, --log FILE (one line per request).
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (args.includes('--die-at-start')) {
  process.stderr.write('fake-repl: cannot load the Lean toolchain\n');
  process.exit(2);
}
const logFile = opt('--log');
const slowStart = Number(opt('--slow-start') ?? 0);
let env = 0;

const write = (s) => process.stdout.write(s);
const answerEnv = (text, severity = 'info') => {
  const n = env++;
  if (text === undefined) return write(`{"env": ${n}}\n\n`);
  write(
    `{"messages":\n [{"severity": ${JSON.stringify(severity)},\n   "pos": {"line": 1, "column": 0},\n   "endPos": {"line": 1, "column": 4},\n   "data": ${JSON.stringify(text)}}],\n "env": ${n}}\n\n`,
  );
};

function handle(text) {
  let req;
  try {
    req = JSON.parse(text);
  } catch {
    return write(`{"message": "Could not parse JSON"}\n\n`);
  }
  if (logFile !== undefined) appendFileSync(logFile, `${process.pid} ${JSON.stringify(req)}\n`);
  if (typeof req.tactic === 'string') {
    const n = env++;
    return write(`{"proofStatus": "Completed", "proofState": ${n}, "goals": []}\n\n`);
  }
  const cmd = String(req.cmd ?? '');
  if (cmd.startsWith('import')) return cmd.startsWith('import Bad') ? answerEnv('unknown module prefix \'Bad\'', 'error') : answerEnv(undefined);
  const [verb, ...rest] = cmd.split(':');
  const arg = rest.join(':');
  switch (verb) {
    case 'echo':
      return answerEnv(arg);
    case 'sleep': {
      const [ms, ...t] = arg.split(':');
      return setTimeout(() => answerEnv(t.join(':')), Number(ms));
    }
    case 'hang':
      return;
    case 'crash':
      write('{"messages":\n [{"severity": "info",\n');
      process.stderr.write('fake-repl: PANIC at Lean.Elab.Command (crashing on purpose)\n');
      return setTimeout(() => process.exit(1), 5);
    case 'crash-once': {
      const marker = join(process.env.FAKE_REPL_DIR ?? '/tmp', `crash-once-${arg}`);
      if (!existsSync(marker)) {
        writeFileSync(marker, 'x');
        write('{"env":');
        return setTimeout(() => process.exit(1), 5);
      }
      return answerEnv(arg);
    }
    case 'exit':
      return process.exit(0);
    case 'garbage':
      return write('uncaught exception: this is not json\n\n');
    case 'bad-schema':
      return write('{"env": "zero"}\n\n');
    case 'huge':
      return answerEnv('x'.repeat(Number(arg)));
    case 'unasked':
      answerEnv('asked');
      return answerEnv('not asked');
    case 'stderr-flood':
      process.stderr.write('y'.repeat(2 * 1024 * 1024));
      process.stderr.write('\nfake-repl: LAST WORDS\n', () => process.exit(1));
      return;
    case 'spawn-child': {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      return answerEnv(String(child.pid));
    }
    default:
      return answerEnv(`unknown directive ${cmd}`, 'error');
  }
}

function start() {
  let buf = '';
  let cur = [];
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim() === '') {
        if (cur.length > 0) handle(cur.join(''));
        cur = [];
      } else cur.push(line.replace(/\s+$/, ''));
    }
  });
  process.stdin.on('end', () => {
    if (cur.length > 0) handle(cur.join(''));
    // Like the REPL: end of input ends the process (after pending timers, unless hanging forever).
    setTimeout(() => process.exit(0), 10);
  });
}

if (slowStart > 0) setTimeout(start, slowStart);
else start();
