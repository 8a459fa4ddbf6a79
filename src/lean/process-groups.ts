/**
 * Every REPL runs in its own process group (spawned detached), because `lake env repl` is a
 * process tree: killing only the direct child would orphan the real `repl`. This registry knows
 * every live group and kills them all when Arbor exits, normally or by SIGINT/SIGTERM/SIGHUP, so
 * no Lean process outlives us.
 */
import { readdirSync, readFileSync } from 'node:fs';

const live = new Set<number>();
let installed = false;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function onExit(): void {
  killAllProcessGroups();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllProcessGroups();
  // If nobody else handles this signal, restore the default action (terminate) and re-raise it,
  // so that our cleanup does not swallow Ctrl-C.
  if (process.listenerCount(signal) === 1) {
    uninstall();
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener('exit', onExit);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

export function registerProcessGroup(pgid: number): void {
  live.add(pgid);
  install();
}

/** Forget a group (after it was killed and its leader reaped). Handlers go when none is left. */
export function unregisterProcessGroup(pgid: number): void {
  live.delete(pgid);
  if (live.size === 0) uninstall();
}

/** SIGKILL to a whole process group; false if it no longer exists. */
export function killProcessGroup(pgid: number): boolean {
  try {
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** Synchronous, so it also works inside `process.on('exit')`. */
export function killAllProcessGroups(): number {
  let n = 0;
  for (const g of live) if (killProcessGroup(g)) n++;
  return n;
}

export function liveProcessGroups(): readonly number[] {
  return [...live];
}

/** Does any process of this group still exist (zombies excluded)? */
export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  // kill(0) succeeds for zombies too; on Linux, look closer.
  const members = groupMembers(pgid);
  return members === undefined || members.some((m) => m.state !== 'Z');
}

/** Resident memory of all processes of a group, in bytes (Linux /proc; undefined elsewhere). */
export function processGroupRssBytes(pgid: number): number | undefined {
  const members = groupMembers(pgid);
  if (members === undefined) return undefined;
  let total = 0;
  for (const m of members) total += m.rssPages * 4096;
  return total;
}

interface Member {
  readonly pid: number;
  readonly state: string;
  readonly rssPages: number;
}

function groupMembers(pgid: number): Member[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const out: Member[] = [];
  for (const e of entries) {
    const c = e.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name (which is in parentheses and may contain spaces).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0]=state, rest[2]=pgrp, rest[21]=rss (pages): fields 3, 5 and 24 of proc(5).
    if (Number(rest[2]) !== pgid) continue;
    out.push({ pid: Number(e), state: rest[0] ?? '?', rssPages: Number(rest[21] ?? 0) });
  }
  return out;
}
