/**
 * Scratch benchmark (not a test): how long the embedded kernel takes to verify big tactic
 * scripts. Step 1 (`gen`) runs the propositional solver on ILTP problems and saves
 * {name, header, script} to a JSON file, so later runs time the very same inputs even when the
 * solver changes; step 2 (`time`) re-verifies every saved script and prints ms per proof and per
 * 1k script characters. Run:
 *   npx rolldown bench/kernel-verify.ts --platform node -f esm -o /tmp/kernel-verify.mjs
 *   node /tmp/kernel-verify.mjs gen  /tmp/kv.json [file.lean] [maxMsPerProblem]
 *   node /tmp/kernel-verify.mjs time /tmp/kv.json [nameFilter]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { KernelEnvironment, parseLeanFile, solveGoal } from '../src/proof/index.js';

/** Process CPU time: the machine is shared, so wall time is noisy. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Saved { readonly name: string; readonly header: string; readonly classical: boolean; readonly script: readonly string[] }

const [mode, out = '/tmp/kv.json', arg3, arg4] = process.argv.slice(2);

if (mode === 'gen') {
  const file = arg3 ?? '/work/shared/bench/iltp/iltp-prop.lean';
  const budgetMs = Number(arg4 ?? 3000);
  const saved: Saved[] = [];
  for (const item of parseLeanFile(readFileSync(file, 'utf8'))) {
    if (item.kind !== 'theorem' || item.status?.startsWith('unprovable')) continue;
    const classical = item.status !== 'theorem';
    const env = new KernelEnvironment({ intuitionistic: !classical });
    const st = env.startSync({ name: item.name, header: item.header });
    if (st.kind !== 'ok') continue;
    const g = st.state.goals[0]!;
    const r = solveGoal(g, { classical, deadline: Date.now() + budgetMs });
    if (r === null || r.kind !== 'proved') continue;
    saved.push({ name: item.name, header: item.header, classical, script: r.tactics });
    process.stdout.write(`${item.name} ${r.tactics.join('\n').length}\n`);
  }
  writeFileSync(out, JSON.stringify(saved));
  console.log(`saved ${saved.length} scripts to ${out}`);
} else if (mode === 'time') {
  const saved = (JSON.parse(readFileSync(out, 'utf8')) as Saved[]).filter((s) => arg3 === undefined || s.name.includes(arg3));
  new KernelEnvironment(); // loads (proves) the library once, outside the timings
  let totalMs = 0, totalCpu = 0, totalChars = 0, verified = 0;
  for (const s of saved) {
    const env = new KernelEnvironment({ intuitionistic: !s.classical });
    const chars = s.script.join('\n').length;
    const t0 = performance.now(), c0 = cpuMs();
    const v = env.verifySync({ name: s.name, header: s.header }, s.script);
    const ms = performance.now() - t0, cpu = cpuMs() - c0;
    totalMs += ms; totalCpu += cpu; totalChars += chars;
    if (v.kind === 'verified') verified++;
    console.log(`${s.name.padEnd(24)} ${String(chars).padStart(8)} chars ${ms.toFixed(1).padStart(9)} ms ${cpu.toFixed(0).padStart(7)} cpu-ms ${(ms / chars * 1000).toFixed(1).padStart(7)} ms/1k ${v.kind}${v.kind === 'rejected' ? `: ${v.reason.slice(0, 80)}` : ''}`);
  }
  console.log(`total: ${saved.length} proofs, ${verified} verified, ${totalChars} chars, ${totalMs.toFixed(0)} ms (cpu ${totalCpu.toFixed(0)} ms), ${(totalMs / Math.max(1, saved.length)).toFixed(1)} ms/proof, ${(totalMs / Math.max(1, totalChars) * 1000).toFixed(2)} ms/1k chars`);
} else {
  console.log('usage: kernel-verify gen|time FILE.json ...');
}
