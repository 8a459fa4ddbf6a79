import { ParseError } from '../core/index.js';

/**
 * A player spec names a player kind and its options: `uct:sims=2000,c=1.4`, `random`,
 * `perfect`, `az:model=runs/c4/best,sims=200`. Parsing is syntax only; each kind's factory
 * checks its own keys and values (players.ts).
 */
export interface PlayerSpec {
  readonly text: string;
  readonly kind: string;
  /** Options in the order given; keys are unique. */
  readonly params: ReadonlyMap<string, string>;
}

const KIND = /^[a-z][a-z0-9_-]*$/;
const KEY = /^[a-z][a-z0-9_-]*$/;

export function specError(spec: string, problem: string): ParseError {
  return new ParseError('BAD_PLAYER_SPEC', `player spec '${spec}': ${problem}`);
}

export function parsePlayerSpec(text: string): PlayerSpec {
  const spec = text.trim();
  if (spec === '') throw specError(text, 'empty; expected e.g. uct:sims=2000, random or perfect');
  const colon = spec.indexOf(':');
  const kind = (colon < 0 ? spec : spec.slice(0, colon)).trim().toLowerCase();
  if (!KIND.test(kind)) throw specError(spec, `'${kind}' is not a player name (expected e.g. uct, random, perfect, az)`);
  const params = new Map<string, string>();
  if (colon >= 0) {
    const body = spec.slice(colon + 1);
    if (body.trim() === '') throw specError(spec, `nothing after ':'; expected key=value options, e.g. ${kind}:sims=1000`);
    for (const part of body.split(',')) {
      const eq = part.indexOf('=');
      if (eq < 0) throw specError(spec, `option '${part.trim()}' is not key=value`);
      const key = part.slice(0, eq).trim().toLowerCase();
      const value = part.slice(eq + 1).trim();
      if (!KEY.test(key)) throw specError(spec, `'${part.slice(0, eq).trim()}' in '${part.trim()}' is not an option name`);
      if (value === '') throw specError(spec, `option '${key}' has no value`);
      if (params.has(key)) throw specError(spec, `option '${key}' is given twice`);
      params.set(key, value);
    }
  }
  return { text: spec, kind, params };
}

/** The canonical text of a spec (lower-case names, options in the order given). */
export function formatPlayerSpec(spec: PlayerSpec): string {
  if (spec.params.size === 0) return spec.kind;
  return `${spec.kind}:${[...spec.params].map(([k, v]) => `${k}=${v}`).join(',')}`;
}

/** Checks a spec's option names against the kind's allowed keys. */
export function checkKeys(spec: PlayerSpec, allowed: readonly string[]): void {
  for (const key of spec.params.keys()) {
    if (!allowed.includes(key)) {
      const hint = allowed.length === 0 ? `'${spec.kind}' takes no options` : `'${spec.kind}' takes ${allowed.join(', ')}`;
      throw specError(spec.text, `unknown option '${key}' (${hint})`);
    }
  }
}

export function specInt(spec: PlayerSpec, key: string, min: number, max: number): number | undefined {
  const v = spec.params.get(key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min || Number(v) > max) {
    throw specError(spec.text, `${key}=${v}: ${key} must be an integer between ${min} and ${max}`);
  }
  return Number(v);
}

export function specPositive(spec: PlayerSpec, key: string): number | undefined {
  const v = spec.params.get(key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw specError(spec.text, `${key}=${v}: ${key} must be a positive number`);
  return n;
}

/** One of `choices`, or undefined when the key is absent. */
export function specChoice<T extends string>(spec: PlayerSpec, key: string, choices: readonly T[]): T | undefined {
  const v = spec.params.get(key);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) throw specError(spec.text, `${key}=${v}: ${key} must be one of ${choices.join(', ')}`);
  return v as T;
}

export function specFraction(spec: PlayerSpec, key: string): number | undefined {
  const v = spec.params.get(key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw specError(spec.text, `${key}=${v}: ${key} must be a number from 0 to 1`);
  return n;
}
