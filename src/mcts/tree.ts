import { EngineError } from '../core/index.js';

/**
 * Node status. A node is also the edge that leads to it (mctx style): its prior, its action
 * (an index into the parent's expansion) and its statistics live at the child's id.
 */
export const NEW = 0; // edge never selected: state unknown
export const STEPPING = 1; // env.step in flight
export const READY = 2; // state known, not yet evaluated
export const EVALUATING = 3; // waiting for the evaluator
export const EXPANDED = 4; // has children (childCount may be 0 only for a dead end, which is exact)
export const TERMINAL = 5; // terminal state: exact value set from its returns
export const DEAD = 6; // the transition failed: pruned, never selected again

const INITIAL_CAPACITY = 1024;
const COUNT_MASK = 0xfffff;

/**
 * The search tree as flat typed arrays indexed by node id, grown by doubling. Values are stored
 * from player 0's view (for one player: the player's own), so that turn order may be arbitrary
 * (a player may move twice); a parent converts with its mover's sign. The only per-node objects
 * are the lazily computed state and, for an expanded node, the evaluator's action list (what its
 * children stand for); the rest of an expansion is copied into the arrays and let go (young
 * garbage is cheap, retained objects are not).
 */
export class Tree<S, A> {
  capacity = 0;
  size = 0;
  parent: Int32Array = new Int32Array(0);
  /**
   * Two words per node, read together by the descent (one cache line instead of four arrays):
   * [2n] the first child's id; [2n+1] child count (bits 0-19) | status (bits 20-23) |
   * player + 1 (bits 24-25). All zero is a fresh node: NEW, no player, no children.
   */
  info: Int32Array = new Int32Array(0);
  visits: Int32Array = new Int32Array(0);
  virtual: Int32Array = new Int32Array(0);
  valueSum: Float64Array = new Float64Array(0);
  /** Proven value from player 0's view (terminal returns or solver); NaN while unknown. */
  exact: Float32Array = new Float32Array(0);
  /** Prior used by the search (root priors may carry Dirichlet noise). */
  prior: Float32Array = new Float32Array(0);
  /**
   * 1 + index into `states`/`actionLists` of a node whose state is known (0: none). Only about
   * one node in b (the branching factor) ever gets a state, so the object arrays stay short,
   * packed and grown by push.
   */
  slot: Int32Array = new Int32Array(0);
  private states: S[] = [];
  private actionLists: (readonly A[] | undefined)[] = [];

  constructor(capacity = INITIAL_CAPACITY) {
    this.grow(capacity);
  }

  /** Allocates `n` consecutive nodes (a sibling range) and returns the first id. */
  alloc(n: number): number {
    const first = this.size;
    if (first + n > this.capacity) {
      let cap = this.capacity * 2;
      while (cap < first + n) cap *= 2;
      this.grow(cap);
    }
    // Free ids already hold the defaults (set by `grow` and `clear`): nothing to write here.
    this.size = first + n;
    return first;
  }

  /** Forgets every node (keeps the allocated memory). */
  clear(): void {
    const n = this.size;
    this.info.fill(0, 0, 2 * n);
    this.visits.fill(0, 0, n);
    this.virtual.fill(0, 0, n);
    this.valueSum.fill(0, 0, n);
    this.prior.fill(0, 0, n);
    this.exact.fill(NaN, 0, n);
    this.parent.fill(-1, 0, n);
    this.slot.fill(0, 0, n);
    this.states.length = 0;
    this.actionLists.length = 0;
    this.size = 0;
  }

  state(n: number): S | undefined {
    const k = this.slot[n]!;
    return k === 0 ? undefined : this.states[k - 1];
  }

  setState(n: number, s: S): void {
    const k = this.slot[n]!;
    if (k !== 0) {
      this.states[k - 1] = s;
      return;
    }
    this.states.push(s);
    this.actionLists.push(undefined);
    this.slot[n] = this.states.length;
  }

  /** The actions of an expanded node's children, in child order. */
  actions(n: number): readonly A[] | undefined {
    const k = this.slot[n]!;
    return k === 0 ? undefined : this.actionLists[k - 1];
  }

  /** Only for a node whose state is set (a node is expanded after its state is known). */
  setActions(n: number, actions: readonly A[]): void {
    this.actionLists[this.slot[n]! - 1] = actions;
  }

  childStart(n: number): number {
    return this.info[2 * n]!;
  }

  childCount(n: number): number {
    return this.info[2 * n + 1]! & COUNT_MASK;
  }

  status(n: number): number {
    return (this.info[2 * n + 1]! >>> 20) & 15;
  }

  /** Player to move at a decision node; -1 elsewhere. */
  player(n: number): number {
    return ((this.info[2 * n + 1]! >>> 24) & 3) - 1;
  }

  setStatus(n: number, status: number): void {
    const i = 2 * n + 1;
    this.info[i] = (this.info[i]! & ~(15 << 20)) | (status << 20);
  }

  setPlayer(n: number, player: number): void {
    if (player < -1 || player > 2) throw new EngineError('BAD_ARGUMENT', `mcts: player ${player} out of range (0 or 1)`);
    const i = 2 * n + 1;
    this.info[i] = (this.info[i]! & ~(3 << 24)) | ((player + 1) << 24);
  }

  setChildren(n: number, first: number, count: number): void {
    if (count > COUNT_MASK) throw new EngineError('BAD_ARGUMENT', `mcts: ${count} actions at one node; at most ${COUNT_MASK} are supported`);
    this.info[2 * n] = first;
    const i = 2 * n + 1;
    this.info[i] = (this.info[i]! & ~COUNT_MASK) | count;
  }

  /** The action that leads to node `c` (not the root). */
  actionOf(c: number): A {
    const p = this.parent[c]!;
    return this.actionLists[this.slot[p]! - 1]![c - this.info[2 * p]!]!;
  }

  private grow(cap: number): void {
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.parent = i32(this.parent);
    const info = new Int32Array(2 * cap);
    info.set(this.info);
    this.info = info;
    this.visits = i32(this.visits);
    this.virtual = i32(this.virtual);
    this.slot = i32(this.slot);
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.valueSum = f64(this.valueSum);
    const exact = new Float32Array(cap);
    exact.set(this.exact);
    this.exact = exact;
    const prior = new Float32Array(cap);
    prior.set(this.prior);
    this.prior = prior;
    const old = this.capacity;
    this.exact.fill(NaN, old);
    this.parent.fill(-1, old);
    this.capacity = cap;
  }
}
