/** One user-facing command per file (KataGo-style); `main` dispatches by name. */
export interface Command {
  readonly name: string;
  /** One line for `arbor --help`. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Returns the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}
