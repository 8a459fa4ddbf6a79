import { parseArgs } from 'node:util';
import { ParseError } from '../core/index.js';

/** A flag as util.parseArgs describes it, plus a value name for error messages. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: readonly string[];
}

/**
 * util.parseArgs in strict mode, with its TypeErrors turned into BAD_ARGUMENT errors that name
 * the command and the offending flag (exit code 2 in main).
 */
export function parseCommandArgs(
  command: string,
  argv: readonly string[],
  options: Record<string, FlagSpec>,
  positionals: { readonly min: number; readonly max: number; readonly usage: string },
): ParsedArgs {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '').replace(/\.$/, '') : String(e);
    throw new ParseError('BAD_ARGUMENT', `${message}. Usage: ${positionals.usage}`);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new ParseError('BAD_ARGUMENT', `missing argument. Usage: ${positionals.usage}`);
  if (n > positionals.max) {
    throw new ParseError('BAD_ARGUMENT', `unexpected argument '${parsed.positionals[positionals.max]}'. Usage: ${positionals.usage}`);
  }
  return parsed;
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** An integer flag in [min, max]; the error names the flag and the value given. */
export function intFlag(args: ParsedArgs, name: string, o: { min: number; max?: number; default: number }): number;
export function intFlag(args: ParsedArgs, name: string, o: { min: number; max?: number }): number | undefined;
export function intFlag(args: ParsedArgs, name: string, o: { min: number; max?: number; default?: number }): number | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return o.default;
  return parseIntIn(text, `--${name}`, o.min, o.max ?? Number.MAX_SAFE_INTEGER);
}

/** A positive number flag (seconds and the like). */
export function positiveFlag(args: ParsedArgs, name: string): number | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return undefined;
  return parsePositive(text, `--${name}`);
}

/** One of a fixed set of words. */
export function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const text = stringFlag(args, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new ParseError('BAD_ARGUMENT', `--${name} must be one of ${choices.join(', ')}; got '${text}'`);
  }
  return text as T;
}

export function parseIntIn(text: string, what: string, min: number, max: number): number {
  if (!/^[+]?\d+$/.test(text.trim())) throw new ParseError('BAD_ARGUMENT', `${what} must be an integer; got '${text}'`);
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max >= Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new ParseError('BAD_ARGUMENT', `${what} must be an integer ${range}; got '${text}'`);
  }
  return n;
}

export function parsePositive(text: string, what: string): number {
  const t = text.trim();
  const n = t === '' ? NaN : Number(t);
  if (!Number.isFinite(n) || n <= 0) throw new ParseError('BAD_ARGUMENT', `${what} must be a positive number; got '${text}'`);
  return n;
}
