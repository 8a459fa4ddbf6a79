import { WireError } from './protocol.js';

/**
 * Bot specs, the same shape as the CLI's player specs: `kind[:key=value,key=value]`, e.g.
 * `random`, `uct:sims=2000`, `uct:time=500,c=1.4`, `az:model=c4-best,sims=400`.
 * The server parses them itself (it may not import the CLI) and validates every value, since
 * specs come from remote clients.
 */
export interface BotSpec {
  readonly kind: string;
  readonly params: ReadonlyMap<string, string>;
  /** Canonical text: kind, then params in the order given. */
  readonly text: string;
}

const kindPattern = /^[a-z][a-z0-9_-]{0,31}$/;
const keyPattern = /^[a-z][a-z0-9_]{0,31}$/;
const valuePattern = /^[A-Za-z0-9_.+-]{1,128}$/;

/** Throws WireError BAD_BOT_SPEC naming the offending part. */
export function parseBotSpec(text: string): BotSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const kind = (colon < 0 ? trimmed : trimmed.slice(0, colon)).toLowerCase();
  if (!kindPattern.test(kind)) {
    throw new WireError('BAD_BOT_SPEC', `bot spec "${clip(text)}": "${clip(kind)}" is not a bot kind (expected e.g. "random" or "uct:sims=2000")`);
  }
  const params = new Map<string, string>();
  if (colon >= 0) {
    const rest = trimmed.slice(colon + 1);
    for (const part of rest.split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new WireError('BAD_BOT_SPEC', `bot spec "${clip(text)}": "${clip(part)}" is not key=value`);
      const key = part.slice(0, eq).trim().toLowerCase();
      const value = part.slice(eq + 1).trim();
      if (!keyPattern.test(key)) throw new WireError('BAD_BOT_SPEC', `bot spec "${clip(text)}": "${clip(key)}" is not a parameter name`);
      if (!valuePattern.test(value)) throw new WireError('BAD_BOT_SPEC', `bot spec "${clip(text)}": value "${clip(value)}" of ${key} has characters outside [A-Za-z0-9_.+-]`);
      if (params.has(key)) throw new WireError('BAD_BOT_SPEC', `bot spec "${clip(text)}": ${key} given twice`);
      params.set(key, value);
    }
  }
  const canonical = params.size === 0 ? kind : `${kind}:${[...params].map(([k, v]) => `${k}=${v}`).join(',')}`;
  return { kind, params, text: canonical };
}

/** Reads typed parameters and rejects unknown ones, so a typo never silently means a default. */
export class SpecReader {
  private readonly used = new Set<string>();
  constructor(private readonly spec: BotSpec) {}

  int(key: string, opts: { min: number; max: number; def: number; limitName?: string }): number {
    const raw = this.take(key);
    if (raw === undefined) return opts.def;
    if (!/^\d{1,15}$/.test(raw)) throw this.bad(`${key}=${raw} is not a whole number`);
    const n = Number(raw);
    if (n < opts.min) throw this.bad(`${key}=${raw} is below the minimum ${opts.min}`);
    if (n > opts.max) {
      throw new WireError(
        opts.limitName ? 'OVER_LIMIT' : 'BAD_BOT_SPEC',
        `bot spec "${this.spec.text}": ${key}=${raw} is over ${opts.limitName ? `this server's limit ${opts.limitName}=${opts.max}` : `the maximum ${opts.max}`}`,
      );
    }
    return n;
  }

  /** A decimal number, or null when absent. */
  optionalFloat(key: string, opts: { min: number; max: number; limitName?: string }): number | null {
    const raw = this.take(key);
    if (raw === undefined) return null;
    const n = Number(raw);
    if (!/^[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?$/.test(raw) || !Number.isFinite(n)) throw this.bad(`${key}=${raw} is not a number`);
    if (n < opts.min) throw this.bad(`${key}=${raw} is below the minimum ${opts.min}`);
    if (n > opts.max) {
      throw new WireError(
        opts.limitName ? 'OVER_LIMIT' : 'BAD_BOT_SPEC',
        `bot spec "${this.spec.text}": ${key}=${raw} is over ${opts.limitName ? `this server's limit (${opts.limitName})` : `the maximum ${opts.max}`}`,
      );
    }
    return n;
  }

  string(key: string): string | undefined {
    return this.take(key);
  }

  /** Call after reading every known key. */
  done(): void {
    const unknown = [...this.spec.params.keys()].filter((k) => !this.used.has(k));
    if (unknown.length > 0) throw this.bad(`unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} for bot kind "${this.spec.kind}"`);
  }

  private take(key: string): string | undefined {
    this.used.add(key);
    return this.spec.params.get(key);
  }

  private bad(what: string): WireError {
    return new WireError('BAD_BOT_SPEC', `bot spec "${this.spec.text}": ${what}`);
  }
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
