import { EngineError } from '../core/index.js';
import type { ActionStats, Environment, Evaluator, Expansion, SearchResult, Step } from './types.js';
import { resolveOptions, type MctsOptions, type ResolvedOptions } from './options.js';
import { DEAD, EVALUATING, EXACT, EXPANDED, MEAN, NEW, PARENT, PRIOR, READY, REC, STEPPING, TERMINAL, Tree, VIRTUAL, VISITS } from './tree.js';

/** What a search needs: the environment, the evaluator, and the tuning options. */
export interface MctsConfig<S, A> extends MctsOptions {
  readonly env: Environment<S, A>;
  readonly evaluator: Evaluator<S, A>;
}

/** Budget and stop conditions of one `search` call. */
export interface SearchOptions {
  /**
   * Simulations to run (each one evaluation, terminal visit or proven-node visit). Optional
   * when `timeMs` or `signal` bounds the search instead.
   */
  readonly simulations?: number;
  /** Wall-clock limit; the search stops after the round in flight. */
  readonly timeMs?: number;
  /** Stops the search after the round in flight; the result so far is returned. */
  readonly signal?: AbortSignal;
  /** Overrides the temperature schedule for this move. */
  readonly temperature?: number;
  /**
   * false: this search uses the raw root priors even when Dirichlet noise is configured (the
   * fast searches of playout cap randomization, whose moves are not training targets).
   */
  readonly noise?: boolean;
}

/** Read-only view of the flat tree, for analysis and tests. Node 0 is the root. */
export interface SearchTree<A> {
  readonly size: number;
  visits(id: number): number;
  /** Mean value from player 0's view (NaN if unvisited). */
  meanValue(id: number): number;
  /** Prior the search uses (root priors may carry Dirichlet noise). */
  prior(id: number): number;
  /** Child ids (edges), in the evaluator's action order; empty unless expanded. */
  children(id: number): number[];
  action(id: number): A;
  isDead(id: number): boolean;
  /** Proven value from player 0's view, NaN if unknown. */
  exact(id: number): number;
  /** Virtual visits in flight (0 between searches). */
  inFlight(id: number): number;
}

// Outcomes of one descent.
const COMPLETED = 0; // backed up at once (terminal, proven node, transposition hit)
const QUEUED = 1; // waiting for a step or an evaluation
const COLLISION = 2; // ran into a leaf already in flight: reverted, not a simulation
const PRUNED = 3; // the transition died: edge pruned, not a simulation

function isThenable<T>(x: T | PromiseLike<T>): x is PromiseLike<T> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

const EXPLORE_TABLE_SIZE = 4096;
/** 1 / (1 + n) for small n: the exploration term without a division per child. */
const RECIPROCALS = Float64Array.from({ length: 4096 }, (_, n) => 1 / (1 + n));
const exploreTables = new Map<string, Float64Array>();

/** c(N) * sqrt(N) for N < 4096, shared by the searches with the same constants. */
function exploreTable(o: ResolvedOptions): Float64Array {
  const id = `${o.cPuct}/${o.pbCInit}/${o.pbCBase}`;
  let t = exploreTables.get(id);
  if (t === undefined) {
    t = new Float64Array(EXPLORE_TABLE_SIZE);
    for (let n = 0; n < t.length; n++) t[n] = (o.cPuct > 0 ? o.cPuct : o.pbCInit + Math.log((1 + n + o.pbCBase) / o.pbCBase)) * Math.sqrt(n);
    if (exploreTables.size < 64) exploreTables.set(id, t);
  }
  return t;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * AlphaZero PUCT search over a flat tree (after DeepMind's mctx), generic over states and actions.
 *
 * A simulation descends from the root by PUCT with virtual loss; the first time an edge is
 * selected its state is computed by `env.step` (which may be asynchronous, and may fail: the edge
 * is then pruned); a new decision state is queued for evaluation. Up to `batchSize` leaves are
 * gathered per round and evaluated in one `evaluate` call, which is awaited only if it returns a
 * promise, so a synchronous evaluator (rollouts) costs no promise per simulation.
 *
 * Values are kept from player 0's view and negated for player 1 (negamax); with one player they
 * are rewards in [0,1]. MCTS-Solver marks terminal states, dead ends and solved nodes with an
 * exact value: a node is proven once one child gives its mover the best possible result (1), or
 * once every live child is proven (it takes the best). A proven node is then a leaf that backs
 * up its exact value. A node whose transitions all die is a dead end: a loss for its mover
 * (reward 0 with one player; with two players the player who cannot act loses).
 *
 * Transpositions (`transpositions: true`) keep the tree a tree (each node one parent, so backup
 * follows parent links and cycles cannot loop) and share by `env.key`: an evaluation (a state
 * met again is expanded from the cached expansion, with the first node's current mean as its
 * value, without calling the evaluator; equal states in one batch are evaluated once) and proven
 * values (a state proven elsewhere is proven here). Statistics below the nodes are not merged,
 * which is what keeps backup exact in a DAG.
 */
export class Mcts<S, A> {
  private readonly env: Environment<S, A>;
  private readonly evaluator: Evaluator<S, A>;
  private readonly o: ResolvedOptions;
  /** c(N) * sqrt(N) for small integer N (Math.log is a call, and this is the hot loop's head). */
  private readonly explore: Float64Array;
  /** Virtual loss is only kept when several leaves can be in flight (batchSize > 1). */
  private readonly useVirtual: boolean;
  /** With one leaf in flight: the node ids of the current descent, root first. */
  private path = new Int32Array(64);
  private pathLength = 0;
  private readonly twoPlayers: boolean;
  /** Worst value from the mover's view: -1 (two players) or 0 (one player). */
  private readonly worst: number;
  private tree = new Tree<S, A>();
  private spare: Tree<S, A> | null = null;
  /** The evaluator's priors of the root's children (the tree's may carry noise). */
  private rootPriors: Float32Array | null = null;
  private table = new Map<string | number, number>();
  private ply = 0;
  private running = false;
  /** Whether the search in progress mixes noise into the root priors. */
  private noiseOn = true;
  // Per-round queues (reused).
  private stepNodes: number[] = [];
  private stepPromises: PromiseLike<Step<S>>[] = [];
  // Queues are filled by index and kept between rounds (no allocation per simulation). The
  // states array is handed to the evaluator and reused once it has answered (see Evaluator).
  private evalNodes: number[] = [];
  private evalCount = 0;
  private evalStates: S[] = [];
  private followers: number[] = []; // pairs (node, leader) sharing a leader's evaluation
  private followerCount = 0;

  constructor(config: MctsConfig<S, A>) {
    const { env, evaluator } = config;
    if (env === undefined || evaluator === undefined) throw new EngineError('BAD_CONFIG', 'new Mcts({env, evaluator, ...options}): env and evaluator are required');
    this.env = env;
    this.evaluator = evaluator;
    this.o = resolveOptions(config);
    if (env.numPlayers !== 1 && env.numPlayers !== 2) {
      throw new EngineError('BAD_CONFIG', `mcts: env.numPlayers must be 1 or 2, got ${String(env.numPlayers)}`);
    }
    if (this.o.transpositions && typeof env.key !== 'function') {
      throw new EngineError('BAD_CONFIG', 'mcts option transpositions = true needs env.key');
    }
    this.twoPlayers = env.numPlayers === 2;
    this.explore = exploreTable(this.o);
    this.useVirtual = this.o.batchSize > 1;
    this.worst = this.twoPlayers ? -1 : 0;
  }

  /** Number of `advance` calls since construction or `reset` (the temperature schedule's clock). */
  get moveNumber(): number {
    return this.ply;
  }

  /** Nodes in the tree (including pruned edges and unexpanded children). */
  get nodeCount(): number {
    return this.tree.size;
  }

  /** Read-only view of the current tree. */
  get view(): SearchTree<A> {
    const t = this.tree;
    return {
      get size() {
        return t.size;
      },
      visits: (id) => t.visits(this.check(id)),
      meanValue: (id) => (t.visits(this.check(id)) > 0 ? t.mean(id) : NaN),
      prior: (id) => t.prior(this.check(id)),
      children: (id) => {
        const out: number[] = [];
        const s = t.childStart(this.check(id));
        for (let i = 0; i < t.childCount(id); i++) out.push(s + i);
        return out;
      },
      action: (id) => {
        if (this.check(id) === 0) throw new EngineError('BAD_ARGUMENT', 'mcts tree: the root has no action');
        return t.actionOf(id);
      },
      isDead: (id) => t.status(this.check(id)) === DEAD,
      exact: (id) => t.exact(this.check(id)),
      inFlight: (id) => t.virtual(this.check(id)),
    };
  }

  private check(id: number): number {
    if (!Number.isInteger(id) || id < 0 || id >= this.tree.size) {
      throw new EngineError('BAD_ARGUMENT', `mcts tree: no node ${id} (size ${this.tree.size})`);
    }
    return id;
  }

  /** Forgets the tree and restarts the move clock. */
  reset(): void {
    this.clearTree();
    this.ply = 0;
  }

  private clearTree(): void {
    this.tree.clear();
    this.pathLength = 0;
    this.rootPriors = null;
    this.table.clear();
    this.stepNodes = [];
    this.stepPromises = [];
    this.evalNodes = [];
    this.evalCount = 0;
    this.evalStates = [];
    this.followers = [];
    this.followerCount = 0;
  }

  /**
   * Runs simulations from `root` and returns the move choice and statistics. If the tree's root
   * is this state (same object, or same `env.key`), the tree built so far is reused.
   */
  async search(root: S, opts: SearchOptions): Promise<SearchResult<A>> {
    if (this.running) throw new EngineError('BAD_ARGUMENT', 'mcts: search() called while another search on this tree is running');
    const target = opts.simulations ?? Infinity;
    if (opts.simulations !== undefined && (!Number.isInteger(target) || target < 1)) {
      throw new EngineError('BAD_ARGUMENT', `mcts search: simulations must be an integer >= 1, got ${String(target)}`);
    }
    if (opts.simulations === undefined && opts.timeMs === undefined && opts.signal === undefined) {
      throw new EngineError('BAD_ARGUMENT', 'mcts search: give simulations, timeMs or signal (the search needs a bound)');
    }
    if (opts.timeMs !== undefined && !(opts.timeMs >= 0)) {
      throw new EngineError('BAD_ARGUMENT', `mcts search: timeMs must be >= 0, got ${String(opts.timeMs)}`);
    }
    this.running = true;
    try {
      this.noiseOn = opts.noise ?? true;
      this.setRoot(root);
      // Room for the budget (about one expansion of a few children per simulation), so that
      // the arrays are not copied while they grow.
      if (opts.simulations !== undefined) this.tree.reserve(Math.min(this.tree.size + opts.simulations * 8, 1 << 21));
      if (this.tree.status(0) === EXPANDED) this.initRootPriors();
      const sims = await this.run(target, opts);
      return this.result(sims, opts.temperature);
    } catch (e) {
      // Pending nodes and virtual losses cannot be trusted after a failed step or evaluation.
      this.clearTree();
      throw e;
    } finally {
      this.running = false;
    }
  }

  /** Keeps the subtree below `action` as the next root's tree (or forgets it if unknown). */
  advance(action: A): void {
    if (this.running) throw new EngineError('BAD_ARGUMENT', 'mcts: advance() called while a search is running');
    this.ply++;
    const t = this.tree;
    if (t.size === 0 || t.status(0) !== EXPANDED) return this.clearTree();
    const s = t.childStart(0);
    const acts = t.actions(0)!;
    let c = -1;
    for (let i = 0; i < acts.length; i++) {
      if (Object.is(acts[i], action)) {
        c = s + i;
        break;
      }
    }
    if (c < 0) return this.clearTree();
    const st = t.status(c);
    if (st !== READY && st !== EXPANDED && st !== TERMINAL) return this.clearTree();
    this.compact(c);
  }

  // ---------------------------------------------------------------------------------------------

  private setRoot(root: S): void {
    const t = this.tree;
    if (t.size > 0) {
      const cur = t.state(0);
      if (cur === root) return;
      if (cur !== undefined && this.env.key !== undefined && this.env.key(cur) === this.env.key(root)) return;
      this.clearTree();
    }
    const n = t.alloc(1);
    t.rec[n * REC + PARENT] = -1;
    t.setState(n, root);
    const kind = this.env.node(root);
    if (kind.kind === 'terminal') {
      this.clearTree();
      throw new EngineError('GAME_OVER', 'mcts search: the root state is terminal, there is no move to choose');
    }
    t.setPlayer(n, kind.player);
    t.setStatus(n, READY);
  }

  private async run(target: number, opts: SearchOptions): Promise<number> {
    const t = this.tree;
    const B = this.o.batchSize;
    const stopProven = this.o.stopWhenProven;
    const deadline = opts.timeMs !== undefined ? performance.now() + opts.timeMs : Infinity;
    const signal = opts.signal;
    let lastYield = signal ? performance.now() : 0;
    let sims = 0;
    while (sims < target) {
      if (stopProven && t.proven(0)) break;
      // Time and abort are checked once the root is expanded, so there is always a move to give.
      if (t.status(0) === EXPANDED && signal !== undefined) {
        if (signal.aborted) break;
        // A synchronous search would otherwise never let the abort (or anything else) run.
        if (performance.now() - lastYield > 20) {
          await yieldToLoop();
          lastYield = performance.now();
          if (signal.aborted) break;
        }
      }
      if (deadline !== Infinity && t.status(0) === EXPANDED && performance.now() >= deadline) break;

      // Gather up to B leaves.
      let inFlight = 0;
      let collisions = 0;
      while (inFlight < B && sims + inFlight < target) {
        const r = this.descend();
        if (r === QUEUED) inFlight++;
        else if (r === COMPLETED) {
          sims++;
          if (stopProven && t.proven(0)) break;
        } else if (r === COLLISION) {
          // The tree is too narrow for B parallel leaves right now: evaluate what we have.
          if (++collisions >= B) break;
        }
        // PRUNED: the edge is gone; try again.
      }

      if (this.stepNodes.length > 0) sims += await this.resolveSteps();
      if (this.evalCount > 0) {
        const done = this.evaluatePending();
        sims += typeof done === 'number' ? done : await done;
      }
    }
    return sims;
  }

  /** One descent from the root; see the outcome codes above. */
  private descend(): number {
    const t = this.tree;
    const vl = this.useVirtual;
    let n = 0;
    if (vl) t.rec[0 * REC + VIRTUAL]!++;
    else {
      this.path[0] = 0;
      this.pathLength = 1;
    }
    for (;;) {
      const e = t.exact(n);
      if (e === e) {
        this.backup(n, e);
        return COMPLETED;
      }
      const st = t.status(n);
      if (st === EXPANDED) {
        n = this.select(n);
        if (vl) t.rec[n * REC + VIRTUAL]!++;
        else {
          if (this.pathLength === this.path.length) {
            const longer = new Int32Array(this.path.length * 2);
            longer.set(this.path);
            this.path = longer;
          }
          this.path[this.pathLength++] = n;
        }
        continue;
      }
      if (st === NEW) {
        const r = this.env.step(t.state(t.parent(n))!, t.actionOf(n));
        if (isThenable(r)) {
          t.setStatus(n, STEPPING);
          this.stepNodes.push(n);
          this.stepPromises.push(r);
          return QUEUED;
        }
        if (!this.applyStep(n, r)) return PRUNED;
        continue;
      }
      if (st === READY) return this.prepareEval(n);
      // STEPPING or EVALUATING: someone else's leaf.
      this.revert(n);
      return COLLISION;
    }
  }

  /** PUCT choice among the live children of expanded node `n`. */
  private select(n: number): number {
    const t = this.tree;
    const o = this.o;
    const sign = this.twoPlayers && t.player(n) === 1 ? -1 : 1;
    const vl = o.virtualLoss;
    const worst = this.worst;
    const solver = o.solver;
    const parentN = this.useVirtual ? t.visits(n) + t.virtual(n) * vl : t.visits(n);
    const table = this.explore;
    // Typed arrays are indexed with `| 0` integers: a double index takes a slow generic path.
    const pn = parentN | 0;
    const cs =
      pn === parentN && pn < table.length
        ? table[pn]!
        : (o.cPuct > 0 ? o.cPuct : o.pbCInit + Math.log((1 + parentN + o.pbCBase) / o.pbCBase)) * Math.sqrt(parentN);
    const fpu = o.fpuKind === 0 ? o.fpuValue : sign * t.mean(n) - o.fpuValue;
    const start = t.childStart(n);
    const end = start + t.childCount(n);
    // The children's records are consecutive: this loop reads a few cache lines in a row. A
    // dead edge has prior -1; virtual visits are only read when several leaves can be in flight.
    const rec = t.rec;
    const recip = RECIPROCALS;
    let best = -1;
    let bestScore = -Infinity;
    if (!this.useVirtual && !t.hasSpecialChild(n)) {
      // The common case: no dead or proven child, one leaf in flight.
      for (let i = start, r = start * REC; i < end; i++, r += REC) {
        const nv = rec[r + VISITS]!;
        const k = nv | 0;
        const score = (nv > 0 ? sign * rec[r + MEAN]! : fpu) + cs * rec[r + PRIOR]! * (k < recip.length ? recip[k]! : 1 / (1 + nv));
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
    } else if (!this.useVirtual) {
      for (let i = start, r = start * REC; i < end; i++, r += REC) {
        const p = rec[r + PRIOR]!;
        if (p < 0) continue;
        const e = rec[r + EXACT]!;
        const nv = rec[r + VISITS]!;
        let q: number;
        if (e === e) {
          q = sign * e;
          if (solver && q <= worst) continue; // proven loss for the mover: never worth a visit
        } else {
          q = nv > 0 ? sign * rec[r + MEAN]! : fpu;
        }
        const k = nv | 0;
        const score = q + cs * p * (k < recip.length ? recip[k]! : 1 / (1 + nv));
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
    } else {
      for (let i = start, r = start * REC; i < end; i++, r += REC) {
        const p = rec[r + PRIOR]!;
        if (p < 0) continue;
        const e = rec[r + EXACT]!;
        const vv = rec[r + VIRTUAL]! * vl;
        const n0 = rec[r + VISITS]!;
        const nv = n0 + vv;
        let q: number;
        if (e === e) {
          q = sign * e;
          if (solver && q <= worst) continue;
        } else {
          q = nv > 0 ? (vv === 0 ? sign * rec[r + MEAN]! : (sign * rec[r + MEAN]! * n0 + vv * worst) / nv) : fpu;
        }
        const score = q + (cs * p) / (1 + nv);
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
    }
    if (best < 0) {
      // The solver proves a node once no child is worth selecting, so this cannot happen.
      throw new EngineError('INTERNAL', `mcts: node ${n} has no selectable child but is not proven`);
    }
    return best;
  }

  /** Records a transition's result at node `n`. Returns false if the edge died (then pruned). */
  private applyStep(n: number, r: Step<S>): boolean {
    const t = this.tree;
    if (r.kind === 'dead') {
      t.setDead(n);
      this.revert(n);
      this.solve(t.parent(n));
      return false;
    }
    t.setState(n, r.state);
    const kind = this.env.node(r.state);
    if (kind.kind === 'terminal') {
      const v = kind.returns[0];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new EngineError('BAD_ARGUMENT', `mcts: env.node() gave terminal returns without a finite value for player 0: ${JSON.stringify(kind.returns)}`);
      }
      t.setStatus(n, TERMINAL);
      t.setExact(n, v);
      this.solve(t.parent(n));
    } else {
      t.setPlayer(n, kind.player);
      t.setStatus(n, READY);
    }
    return true;
  }

  /** Queues READY node `n` for evaluation, or completes it from the transposition table. */
  private prepareEval(n: number): number {
    const t = this.tree;
    const s = t.state(n)!;
    if (this.o.transpositions) {
      const key = this.env.key!(s);
      const m = this.table.get(key);
      if (m !== undefined && m !== n) {
        const st = t.status(m);
        if (st === EXPANDED) {
          // An expanded node has been visited at least once: its mean is the better estimate.
          const v0 = t.mean(m);
          this.expandLike(n, m);
          const e = t.exact(m);
          if (e === e && !t.proven(n)) {
            t.setExact(n, e);
            this.solve(t.parent(n));
          }
          const en = t.exact(n);
          this.backup(n, en === en ? en : v0);
          return COMPLETED;
        }
        if (st === EVALUATING) {
          t.setStatus(n, EVALUATING);
          this.followers[this.followerCount++] = n;
          this.followers[this.followerCount++] = m;
          return QUEUED;
        }
      }
      this.table.set(key, n);
    }
    t.setStatus(n, EVALUATING);
    this.evalNodes[this.evalCount++] = n;
    this.evalStates[this.evalCount - 1] = s;
    return QUEUED;
  }

  private async resolveSteps(): Promise<number> {
    const nodes = this.stepNodes;
    const promises = this.stepPromises;
    this.stepNodes = [];
    this.stepPromises = [];
    const results = await Promise.all(promises);
    const t = this.tree;
    let done = 0;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (!this.applyStep(n, results[i]!)) continue;
      const e = t.exact(n);
      if (e === e) {
        this.backup(n, e);
        done++;
      } else if (this.prepareEval(n) === COMPLETED) done++;
    }
    return done;
  }

  /** Hands the queued states to the evaluator; the answer is a number of simulations or a promise of it. */
  private evaluatePending(): number | Promise<number> {
    const states = this.evalStates;
    const count = this.evalCount;
    if (states.length > count) states.length = count; // a short round (full rounds keep the length)
    const out = this.evaluator.evaluate(states);
    // Awaited only when the evaluator is asynchronous: no promise per simulation otherwise.
    if (isThenable(out)) return Promise.resolve(out).then((r) => this.finishEvaluation(r, count));
    return this.finishEvaluation(out, count);
  }

  private finishEvaluation(out: readonly Expansion<A>[], count: number): number {
    if (!Array.isArray(out) || out.length !== count) {
      throw new EngineError('BAD_ARGUMENT', `mcts: evaluator returned ${Array.isArray(out) ? out.length : typeof out} expansions for ${count} states`);
    }
    const t = this.tree;
    const nodes = this.evalNodes;
    for (let i = 0; i < count; i++) {
      const n = nodes[i]!;
      const exp = out[i]!;
      this.expand(n, exp);
      const e = t.exact(n);
      this.backup(n, e === e ? e : this.value0(n, exp.value));
    }
    const followers = this.followers;
    const nf = this.followerCount;
    for (let i = 0; i < nf; i += 2) {
      const n = followers[i]!;
      const m = followers[i + 1]!;
      this.expandLike(n, m);
      const e = t.exact(n);
      // The leader was just expanded from the same evaluation: share its (only) value.
      this.backup(n, e === e ? e : t.mean(m));
    }
    this.evalCount = 0;
    this.followerCount = 0;
    return count + nf / 2;
  }

  /** Converts a value from the mover's view at `n` to player 0's view. */
  private value0(n: number, v: number): number {
    if (!Number.isFinite(v)) throw new EngineError('BAD_ARGUMENT', `mcts: evaluator value must be finite, got ${v}`);
    return this.twoPlayers && this.tree.player(n) === 1 ? -v : v;
  }

  /** Creates the children of node `n` from an expansion. */
  private expand(n: number, exp: Expansion<A>): void {
    const k = exp.actions.length;
    if (exp.priors.length !== k) {
      throw new EngineError('BAD_ARGUMENT', `mcts: expansion has ${k} actions but ${exp.priors.length} priors`);
    }
    this.makeChildren(n, exp.actions, exp.priors);
  }

  /** Expands `n` as a copy of expanded node `m` (same key): same actions, same raw priors. */
  private expandLike(n: number, m: number): void {
    const t = this.tree;
    const k = t.childCount(m);
    const first = t.childStart(m);
    // A dead edge carries prior -1 at m; here it gets 0 (it will die again if ever tried).
    const priors = new Float32Array(k);
    for (let i = 0; i < k; i++) {
      const p = m === 0 ? this.rootPriors![i]! : t.prior(first + i);
      priors[i] = p > 0 ? p : 0;
    }
    this.makeChildren(n, t.actions(m)!, priors);
  }

  private makeChildren(n: number, actions: readonly A[], priors: ArrayLike<number>): void {
    const k = actions.length;
    const first = k > 0 ? this.tree.alloc(k) : 0;
    const t = this.tree; // alloc may have grown the arrays; read them after it
    t.setActions(n, actions);
    t.setChildren(n, first, k);
    t.setStatus(n, EXPANDED);
    for (let i = 0; i < k; i++) {
      t.rec[(first + i) * REC + PARENT] = n;
      t.rec[(first + i) * REC + PRIOR] = priors[i]!;
    }
    if (n === 0) this.initRootPriors();
    if (k === 0) {
      // No candidate at all: a dead end.
      t.setExact(n, this.twoPlayers ? (t.player(n) === 1 ? 1 : -1) : 0);
      this.solve(t.parent(n));
    }
  }

  /** Root priors: the evaluator's, mixed with fresh Dirichlet noise when enabled. */
  private initRootPriors(): void {
    const t = this.tree;
    const k = t.childCount(0);
    const first = t.childStart(0);
    // The root's children hold raw priors until noise is first mixed in: keep a copy of them.
    if (this.rootPriors === null) {
      const copy = new Float32Array(k);
      for (let i = 0; i < k; i++) copy[i] = t.prior(first + i);
      this.rootPriors = copy;
    }
    const raw = this.rootPriors;
    // Never noised: the raw priors are in place. Noise switched off for this search: restore them.
    if (this.o.dirichletEpsilon === 0) return;
    const eps = this.noiseOn ? this.o.dirichletEpsilon : 0;
    const noise = eps > 0 && k > 1 ? this.o.rng.dirichlet(this.o.dirichletAlpha, k) : null;
    for (let i = 0; i < k; i++) {
      if (t.status(first + i) === DEAD) continue; // keeps its mark (prior -1)
      t.rec[(first + i) * REC + PRIOR] = noise === null ? raw[i]! : (1 - eps) * raw[i]! + eps * noise[i]!;
    }
  }

  private backup(n: number, v0: number): void {
    const rec = this.tree.rec;
    // Incremental means (no per-child division in selection, no extra array to touch).
    if (this.useVirtual) {
      for (let x = n; x !== -1; x = rec[x * REC + PARENT]! | 0) {
        const r = x * REC;
        const nv = ++rec[r + VISITS]!;
        rec[r + MEAN]! += (v0 - rec[r + MEAN]!) / nv;
        rec[r + VIRTUAL]!--;
      }
    } else if (this.pathLength > 0 && this.path[this.pathLength - 1] === n) {
      // One leaf in flight: walk the path recorded by the descent (no dependent loads).
      const path = this.path;
      for (let k = this.pathLength - 1; k >= 0; k--) {
        const r = path[k]! * REC;
        const nv = ++rec[r + VISITS]!;
        rec[r + MEAN]! += (v0 - rec[r + MEAN]!) / nv;
      }
    } else {
      for (let x = n; x !== -1; x = rec[x * REC + PARENT]! | 0) {
        const r = x * REC;
        const nv = ++rec[r + VISITS]!;
        rec[r + MEAN]! += (v0 - rec[r + MEAN]!) / nv;
      }
    }
  }

  private revert(n: number): void {
    if (!this.useVirtual) return;
    const t = this.tree;
    for (let x = n; x !== -1; x = t.parent(x)) t.rec[x * REC + VIRTUAL]!--;
  }

  /**
   * MCTS-Solver: called on the parent of a node that just became exact or died. Proves `n` (and
   * then its ancestors) when possible. Dead ends are detected even with the solver off.
   */
  private solve(n: number): void {
    const t = this.tree;
    while (n !== -1) {
      if (t.proven(n) || t.status(n) !== EXPANDED) return;
      const sign = this.twoPlayers && t.player(n) === 1 ? -1 : 1;
      const start = t.childStart(n);
      const end = start + t.childCount(n);
      let live = 0;
      let all = true;
      let best = -Infinity;
      let bestExact = NaN;
      for (let i = start; i < end; i++) {
        if (t.status(i) === DEAD) continue;
        live++;
        const e = t.exact(i);
        if (e !== e) {
          all = false;
          continue;
        }
        const v = sign * e;
        if (v > best) {
          best = v;
          bestExact = e;
        }
      }
      if (live === 0) {
        t.setExact(n, sign * this.worst);
        if (!this.o.solver) return;
      } else if (!this.o.solver) {
        return;
      } else if (best >= 1 || all) {
        t.setExact(n, bestExact);
      } else {
        return;
      }
      n = t.parent(n);
    }
  }

  /** Copies the subtree under `c` into a fresh tree with `c` as the root (ids renumbered). */
  private compact(c: number): void {
    const a = this.tree;
    // Two trees used in turn: the memory is reused from move to move (fresh pages are costly).
    const b = this.spare ?? new Tree<S, A>();
    b.clear();
    const copy = (from: number, to: number, parent: number): void => {
      // The whole record (its child range is rewritten below when it has children).
      b.copyRecord(a, from, to);
      b.rec[to * REC + PARENT] = parent;
    };
    b.reserve(a.size - c);
    copy(c, b.alloc(1), -1);
    // Breadth-first, so that each sibling range stays contiguous.
    const queue: number[] = [c, 0];
    for (let q = 0; q < queue.length; q += 2) {
      const from = queue[q]!;
      const to = queue[q + 1]!;
      const k = a.childCount(from);
      if (k === 0) continue;
      const first = b.alloc(k);
      b.setChildren(to, first, k);
      const s = a.childStart(from);
      for (let i = 0; i < k; i++) {
        copy(s + i, first + i, to);
        if (a.childCount(s + i) > 0) queue.push(s + i, first + i);
      }
    }
    this.tree = b;
    a.clear();
    this.pathLength = 0;
    this.rootPriors = null;
    this.spare = a;
    this.table.clear();
    if (this.o.transpositions) {
      for (let i = 0; i < b.size; i++) {
        if (b.status(i) !== EXPANDED) continue;
        const key = this.env.key!(b.state(i)!);
        if (!this.table.has(key)) this.table.set(key, i);
      }
    }
  }

  // --- result --------------------------------------------------------------------------------

  private label(v: number): 'win' | 'loss' | 'draw' | null {
    if (v !== v) return null;
    if (v >= 1) return 'win';
    if (v <= this.worst) return 'loss';
    return 'draw';
  }

  /**
   * The child to play at node `n`: a proven win if any (most visited), else the most visited
   * (or sampled by visits^(1/temperature)) among children not proven lost, else among all live
   * children. -1 if there is no live child.
   */
  private choose(n: number, temperature: number): number {
    const t = this.tree;
    const sign = this.twoPlayers && t.player(n) === 1 ? -1 : 1;
    const start = t.childStart(n);
    const end = start + t.childCount(n);
    let win = -1;
    let live = 0;
    let cands = 0;
    for (let i = start; i < end; i++) {
      if (t.status(i) === DEAD) continue;
      live++;
      const e = t.exact(i);
      if (e === e && sign * e >= 1) {
        if (win < 0 || t.visits(i) > t.visits(win)) win = i;
      }
      if (!(e === e && sign * e <= this.worst)) cands++;
    }
    if (win >= 0) return win;
    if (live === 0) return -1;
    const ok = (i: number): boolean => {
      if (t.status(i) === DEAD) return false;
      if (cands === 0) return true;
      const e = t.exact(i);
      return !(e === e && sign * e <= this.worst);
    };
    let maxVisits = 0;
    let arg = -1;
    for (let i = start; i < end; i++) {
      if (!ok(i)) continue;
      // Most visits; ties (and an unvisited root) go to the higher prior, then the lower index.
      if (arg < 0 || t.visits(i) > t.visits(arg) || (t.visits(i) === t.visits(arg) && t.prior(i) > t.prior(arg))) arg = i;
      if (t.visits(i) > maxVisits) maxVisits = t.visits(i);
    }
    if (temperature <= 0 || maxVisits === 0) return arg;
    let total = 0;
    const w = new Float64Array(end - start);
    for (let i = start; i < end; i++) {
      if (!ok(i)) continue;
      const x = Math.pow(t.visits(i) / maxVisits, 1 / temperature);
      w[i - start] = x;
      total += x;
    }
    let r = this.o.rng.next() * total;
    for (let i = start; i < end; i++) {
      r -= w[i - start]!;
      if (r < 0 && w[i - start]! > 0) return i;
    }
    return arg;
  }

  private result(sims: number, temperatureOverride: number | undefined): SearchResult<A> {
    const t = this.tree;
    const actions = t.actions(0);
    if (t.status(0) !== EXPANDED || actions === undefined || this.rootPriors === null) {
      throw new EngineError('INTERNAL', 'mcts: the root was not expanded by the search');
    }
    if (actions.length === 0) {
      throw new EngineError('GAME_OVER', 'mcts search: the evaluator proposed no action at the root');
    }
    const sign = this.twoPlayers && t.player(0) === 1 ? -1 : 1;
    const first = t.childStart(0);
    const stats: ActionStats<A>[] = [];
    let total = 0;
    for (let i = 0; i < actions.length; i++) {
      const c = first + i;
      if (t.status(c) === DEAD) continue;
      const e = t.exact(c);
      const nv = t.visits(c);
      total += nv;
      stats.push({
        action: actions[i]!,
        visits: nv,
        q: e === e ? sign * e : nv > 0 ? sign * t.mean(c) : NaN,
        prior: this.rootPriors[i]!,
        proven: this.label(sign * e),
      });
    }
    const policy = new Float32Array(stats.length);
    for (let i = 0; i < stats.length; i++) policy[i] = total > 0 ? stats[i]!.visits / total : stats[i]!.prior;

    const sched = this.o.temperature;
    const temperature = temperatureOverride ?? (typeof sched === 'number' ? sched : sched(this.ply));
    const chosen = this.choose(0, temperature);
    const action = chosen >= 0 ? t.actionOf(chosen) : actions[0]!;

    const pv: A[] = [];
    for (let n = chosen; n >= 0 && (t.visits(n) > 0 || t.proven(n)); ) {
      pv.push(t.actionOf(n));
      if (t.status(n) !== EXPANDED) break;
      n = this.choose(n, 0);
    }
    const e0 = t.exact(0);
    return {
      action,
      stats,
      policy,
      value: e0 === e0 ? sign * e0 : sign * t.mean(0),
      pv,
      simulations: sims,
      proven: this.label(sign * e0),
    };
  }
}
