#!/usr/bin/env node
// A stand-in for the Lean REPL that replays recorded transcripts (plain Node, no dependencies, so
// it runs from a source checkout and from dist alike; see stand-in.ts for how it is located).
//
//   node replay-repl.mjs --transcript NAME.in NAME.expected.out [--transcript ...]
//       strict: the i-th request received must equal (as JSON) the i-th recorded request (several
//       transcripts are replayed one after the other, as if by one long session); the
//       answer is the i-th recorded response, written byte for byte. A mismatch, or a request past
//       the end of the recording, is reported on stderr and ends the process with code 3.
//   node replay-repl.mjs --table FILE.json      ([{ "request": {...}, "response": "<raw text>" }];
//       an entry with "hang": true instead of a response is never answered, to test timeouts)
//   node replay-repl.mjs --dir DIR              (every NAME.in/NAME.expected.out pair in DIR)
//       lenient: any request found in the table is answered with its (first) recorded response;
//       an unknown request is reported on stderr and ends the process with code 3.
//
// Requests are read the way the REPL reads them: lines up to an empty line (or end of input),
// each stripped of trailing whitespace and joined without separator; `#`/`--` lines are comments.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Splits REPL input into request texts, as the REPL does. */
export function splitRequests(text) {
  const out = [];
  let cur = [];
  const flush = () => {
    if (cur.length > 0) {
      const joined = cur.join('');
      if (!(joined.startsWith('#') || joined.startsWith('--'))) out.push(joined);
      cur = [];
    }
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') flush();
    else cur.push(line.replace(/\s+$/, ''));
  }
  flush();
  return out;
}

/** Splits a recorded output into response chunks (each ending with its blank line), exactly. */
export function splitResponses(text) {
  const out = [];
  let start = 0;
  let pos = 0;
  let sawContent = false;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.slice(pos, end);
    if (line.trim() === '') {
      if (sawContent) {
        out.push(text.slice(start, end));
        start = end;
        sawContent = false;
      }
    } else sawContent = true;
    pos = end;
  }
  if (start < text.length) {
    if (sawContent) out.push(text.slice(start));
    else if (out.length > 0) out[out.length - 1] += text.slice(start);
  }
  return out;
}

function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function loadPair(inFile, outFile) {
  const requests = splitRequests(readFileSync(inFile, 'utf8'));
  const rawOut = readFileSync(outFile, 'utf8');
  const responses = splitResponses(rawOut);
  if (responses.join('') !== rawOut) fail(`internal: response split of ${outFile} is not exact`);
  if (requests.length !== responses.length) fail(`${inFile}: ${requests.length} requests but ${responses.length} responses in ${outFile}`);
  return requests.map((r, i) => ({ request: JSON.parse(r), response: responses[i] }));
}

function fail(msg) {
  process.stderr.write(`replay-repl: ${msg}\n`);
  process.exit(3);
}

function main(argv) {
  let strict;
  const table = new Map();
  const addAll = (pairs) => {
    for (const p of pairs) {
      const k = canonical(p.request);
      if (!table.has(k)) table.set(k, p.hang === true ? null : p.response);
    }
  };
  if (argv[0] === '--transcript' && argv.length >= 3 && argv.length % 3 === 0) {
    strict = [];
    for (let i = 0; i < argv.length; i += 3) {
      if (argv[i] !== '--transcript') fail(`expected --transcript at argument ${i + 1}, got ${argv[i]}`);
      strict.push(...loadPair(argv[i + 1], argv[i + 2]));
    }
  } else if (argv[0] === '--table' && argv.length === 2) {
    addAll(JSON.parse(readFileSync(argv[1], 'utf8')));
  } else if (argv[0] === '--dir' && argv.length === 2) {
    for (const f of readdirSync(argv[1]).sort()) {
      if (!f.endsWith('.in')) continue;
      const out = join(argv[1], f.replace(/\.in$/, '.expected.out'));
      if (existsSync(out)) addAll(loadPair(join(argv[1], f), out));
    }
  } else {
    fail('usage: replay-repl.mjs --transcript NAME.in NAME.expected.out | --table FILE.json | --dir DIR');
  }

  let index = 0;
  const answer = (text) => {
    let got;
    try {
      got = JSON.parse(text);
    } catch {
      fail(`request #${index + 1} is not JSON: ${text.slice(0, 300)}`);
    }
    if (strict !== undefined) {
      const rec = strict[index];
      if (rec === undefined) fail(`request #${index + 1} is past the end of the recording (${strict.length} requests): ${text.slice(0, 300)}`);
      if (canonical(rec.request) !== canonical(got)) {
        fail(`request #${index + 1} differs from the recording:\n  expected ${canonical(rec.request)}\n  received ${canonical(got)}`);
      }
      index++;
      process.stdout.write(rec.response);
      return;
    }
    index++;
    const res = table.get(canonical(got));
    if (res === undefined) fail(`no recorded answer for request #${index}: ${canonical(got).slice(0, 500)}`);
    if (res !== null) process.stdout.write(res);
  };

  let buf = '';
  let cur = [];
  const onLine = (line) => {
    if (line.trim() === '') {
      if (cur.length > 0) {
        const joined = cur.join('');
        cur = [];
        if (!(joined.startsWith('#') || joined.startsWith('--'))) answer(joined);
      }
    } else cur.push(line.replace(/\s+$/, ''));
  };
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
  process.stdin.on('end', () => {
    if (buf !== '') onLine(buf);
    onLine('');
    process.exit(0);
  });
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop())) main(process.argv.slice(2));
