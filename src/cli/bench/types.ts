/** A benchmark suite measures one area and reports sections of rows (printed as tables). */
export interface BenchContext {
  /** Smaller workloads (`arbor bench --quick`), for smoke runs. */
  readonly quick: boolean;
  /** Path to the shared data folder (default ../shared beside the repository). */
  readonly sharedDir: string;
  log(line: string): void;
}

export interface BenchSection {
  readonly title: string;
  readonly rows: readonly Record<string, string | number>[];
  readonly notes?: readonly string[];
}

export interface BenchSuite {
  readonly name: string;
  run(ctx: BenchContext): Promise<readonly BenchSection[]>;
}
