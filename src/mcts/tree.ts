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
const SPECIAL = 1 << 26;

/** Fields of a node record (stride REC doubles: one 64-byte cache line per node). */
export const REC = 8;
/** Mean value from player 0's view (valid when VISITS > 0). */
export const MEAN = 0;
export const VISITS = 1;
/** Prior used by the search (root priors may carry Dirichlet noise); -1 marks a dead edge. */
export const PRIOR = 2;
/** Proven value from player 0's view (terminal returns or solver); NaN while unknown. */
export const EXACT = 3;
export const CHILD_START = 4;
/**
 * child count (bits 0-19) | status (bits 20-23) | player + 1 (bits 24-25) | bit 26: some child
 * is dead or has an exact value (selection can skip those checks otherwise), as an integer.
 */
export const META = 5;
/** Simulations in flight through the node (virtual visits). */
export const VIRTUAL = 6;
/** Parent id; the root's is -1. */
export const PARENT = 7;

/**
 * The search tree as one flat Float64Array of node records indexed by node id, grown by
 * doubling. A record holds everything the descent and backup touch (the statistics, the prior,
 * the proven value, the child range, status and player), so that choosing among a node's
 * children reads a few consecutive cache lines instead of one line in each of many arrays: on
 * big trees the search is bound by cache misses, not arithmetic.
 *
 * Values are stored from player 0's view (for one player: the player's own), so that turn
 * order may be arbitrary (a player may move twice); a parent converts with its mover's sign.
 * The only per-node objects are the lazily computed state and, for an expanded node, the
 * evaluator's action list (what its children stand for); the rest of an expansion is copied
 * into the records and let go (young garbage is cheap, retained objects are not).
 */
export class Tree<S, A> {
  capacity = 0;
  size = 0;
  rec: Float64Array = new Float64Array(0);
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
    if (first + n > this.capacity) this.grow(Math.max(first + n, this.capacity * 2));
    // Free records hold zeros (fresh memory, or `clear`); only EXACT has a non-zero default,
    // set here rather than over the whole capacity so that untouched pages stay untouched.
    const rec = this.rec;
    for (let i = first; i < first + n; i++) rec[i * REC + EXACT] = NaN;
    this.size = first + n;
    return first;
  }

  /** Makes room for `n` nodes in all (fresh pages are only touched when used). */
  reserve(n: number): void {
    if (n > this.capacity) this.grow(n);
  }

  /** Forgets every node (keeps the allocated memory). */
  clear(): void {
    this.rec.fill(0, 0, this.size * REC);
    this.slot.fill(0, 0, this.size);
    this.states.length = 0;
    this.actionLists.length = 0;
    this.size = 0;
  }

  /** Copies node `from` of tree `a` into node `to` of this tree (not its state, children or parent). */
  copyRecord(a: Tree<S, A>, from: number, to: number): void {
    this.rec.set(a.rec.subarray(from * REC, from * REC + REC), to * REC);
    const st = a.state(from);
    if (st !== undefined) {
      this.setState(to, st);
      const acts = a.actions(from);
      if (acts !== undefined) this.setActions(to, acts);
    }
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

  // Integer fields are read with `| 0`: V8 then keeps ids as small integers (a double read
  // from the Float64Array would otherwise travel as a boxed heap number across calls).
  parent(n: number): number {
    return this.rec[n * REC + PARENT]! | 0;
  }

  visits(n: number): number {
    return this.rec[n * REC + VISITS]!;
  }

  mean(n: number): number {
    return this.rec[n * REC + MEAN]!;
  }

  prior(n: number): number {
    return this.rec[n * REC + PRIOR]!;
  }

  exact(n: number): number {
    return this.rec[n * REC + EXACT]!;
  }

  /** Whether the node's value is exact (terminal, dead end, or solved). */
  proven(n: number): boolean {
    const e = this.rec[n * REC + EXACT]!;
    return e === e;
  }

  virtual(n: number): number {
    return this.rec[n * REC + VIRTUAL]!;
  }

  childStart(n: number): number {
    return this.rec[n * REC + CHILD_START]! | 0;
  }

  childCount(n: number): number {
    return (this.rec[n * REC + META]! | 0) & COUNT_MASK;
  }

  status(n: number): number {
    return ((this.rec[n * REC + META]! | 0) >>> 20) & 15;
  }

  /** Player to move at a decision node; -1 elsewhere. */
  player(n: number): number {
    return (((this.rec[n * REC + META]! | 0) >>> 24) & 3) - 1;
  }

  setStatus(n: number, status: number): void {
    const i = n * REC + META;
    this.rec[i] = ((this.rec[i]! | 0) & ~(15 << 20)) | (status << 20);
  }

  setPlayer(n: number, player: number): void {
    if (player < -1 || player > 2) throw new EngineError('BAD_ARGUMENT', `mcts: player ${player} out of range (0 or 1)`);
    const i = n * REC + META;
    this.rec[i] = ((this.rec[i]! | 0) & ~(3 << 24)) | ((player + 1) << 24);
  }

  /** Whether some child of `n` is dead or exact (see META). */
  hasSpecialChild(n: number): boolean {
    return ((this.rec[n * REC + META]! | 0) & SPECIAL) !== 0;
  }

  /** Sets the exact value of `n` and flags its parent (selection must then check its children). */
  setExact(n: number, v: number): void {
    this.rec[n * REC + EXACT] = v;
    this.flagParent(n);
  }

  /** Marks the edge into `n` dead: never selected again (prior -1 is the mark selection reads). */
  setDead(n: number): void {
    this.setStatus(n, DEAD);
    this.rec[n * REC + PRIOR] = -1;
    this.flagParent(n);
  }

  private flagParent(n: number): void {
    const p = this.rec[n * REC + PARENT]! | 0;
    if (p < 0) return;
    const i = p * REC + META;
    this.rec[i] = (this.rec[i]! | 0) | SPECIAL;
  }

  setChildren(n: number, first: number, count: number): void {
    if (count > COUNT_MASK) throw new EngineError('BAD_ARGUMENT', `mcts: ${count} actions at one node; at most ${COUNT_MASK} are supported`);
    this.rec[n * REC + CHILD_START] = first;
    const i = n * REC + META;
    this.rec[i] = ((this.rec[i]! | 0) & ~COUNT_MASK) | count;
  }

  /** The action that leads to node `c` (not the root). */
  actionOf(c: number): A {
    const p = this.rec[c * REC + PARENT]! | 0;
    return this.actionLists[this.slot[p]! - 1]![c - (this.rec[p * REC + CHILD_START]! | 0)]!;
  }

  private grow(cap: number): void {
    // Copies only the used part: the rest of the fresh arrays is never touched until used.
    const used = this.size;
    const rec = new Float64Array(cap * REC);
    rec.set(this.rec.subarray(0, used * REC));
    this.rec = rec;
    const slot = new Int32Array(cap);
    slot.set(this.slot.subarray(0, used));
    this.slot = slot;
    this.capacity = cap;
  }
}
