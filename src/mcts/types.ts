/**
 * The search boundary. The search core knows no game, no Lean and no tensors: an environment
 * says what a state is (whose move, terminal returns) and how to step it (possibly lazily,
 * asynchronously, possibly failing); an evaluator proposes actions with priors and a value.
 */

/** What a state is to the search. Players are numbered 0..numPlayers-1. */
export type NodeKind =
  | { readonly kind: 'decision'; readonly player: number }
  | { readonly kind: 'terminal'; readonly returns: readonly number[] };

/** The result of a transition: a new state, or a dead edge (pruned by the search). */
export type Step<S> = { readonly kind: 'ok'; readonly state: S } | { readonly kind: 'dead'; readonly reason: string };

export interface Environment<S, A> {
  /** 1 (puzzles, proofs: reward in [0,1]) or 2 (zero-sum: returns in [-1,1], negamax backup). */
  readonly numPlayers: 1 | 2;
  node(state: S): NodeKind;
  /** May be asynchronous (a verifier call) and may fail; failures are values, not exceptions. */
  step(state: S, action: A): Step<S> | Promise<Step<S>>;
  /** Transposition key; states with equal keys are interchangeable. Optional. */
  key?(state: S): string | number;
}

/** An evaluator's verdict on a non-terminal state. */
export interface Expansion<A> {
  /** Candidate actions (for games: every legal action). */
  readonly actions: readonly A[];
  /** Prior probabilities aligned with `actions` (non-negative, summing to 1). */
  readonly priors: Float32Array;
  /** Expected return for the player to move at this state: [-1,1] for 2 players, [0,1] for 1. */
  readonly value: number;
}

/**
 * Evaluates a batch of states at once (a network sees real batches). May answer synchronously
 * (rollouts) so the search does not pay for a promise per simulation.
 *
 * Ownership (src/mcts relies on it to allocate nothing per simulation): the `states` array
 * belongs to the caller, which may refill it once the call has answered (copy it to keep it).
 * The search never writes to an expansion's `actions` or `priors` (it copies the priors and
 * keeps `actions`), so an evaluator may share those arrays between answers.
 */
export interface Evaluator<S, A> {
  evaluate(states: readonly S[]): readonly Expansion<A>[] | Promise<readonly Expansion<A>[]>;
}

/** Per-action statistics at the root, for analysis and as a training target. */
export interface ActionStats<A> {
  readonly action: A;
  readonly visits: number;
  /** Mean return for the player to move at the root after this action; NaN if unvisited. */
  readonly q: number;
  readonly prior: number;
  /** Exact result known by MCTS-Solver, from the root mover's view. */
  readonly proven: 'win' | 'loss' | 'draw' | null;
}

export interface SearchResult<A> {
  /** The chosen action (by visits, temperature, or a proven win). */
  readonly action: A;
  readonly stats: readonly ActionStats<A>[];
  /** Visit distribution over `stats` order: the policy training target. */
  readonly policy: Float32Array;
  /** Root value from the mover's view. */
  readonly value: number;
  /** Principal variation: most-visited path from the root. */
  readonly pv: readonly A[];
  readonly simulations: number;
  /** Exact root result if the solver proved it. */
  readonly proven: 'win' | 'loss' | 'draw' | null;
}
