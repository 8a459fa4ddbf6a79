import { randomBytes } from 'node:crypto';
import { isEngineError } from '../core/index.js';
import type { Action, AnyGame, Bot } from './bots.js';
import { WireError } from './protocol.js';
import type { Analysis, GameResult, GameView, PlayedMove } from './protocol.js';

/** 128 random bits: an id is a capability (whoever knows it may join), so it must be unguessable. */
export function newGameId(): string {
  return randomBytes(16).toString('hex');
}

/** Something that holds a game open (a connection). */
export interface Holder {
  readonly connectionId: number;
}

/**
 * One game between a person (or program) and a bot. States are kept for every ply, so undo is
 * a slice and never replays rules. Only one bot move runs at a time; mutations while the bot
 * thinks are refused with BUSY, so the state a search started from is the state it plays on.
 */
export class GameSession {
  readonly id = newGameId();
  readonly createdAt = new Date();
  readonly holders = new Set<Holder>();
  /** Set while no one holds the game: deletes it when it fires. */
  detachedTimer: NodeJS.Timeout | null = null;

  private readonly states: unknown[];
  private readonly moves: PlayedMove[] = [];
  private resignedBy: number | null = null;
  private thinking: AbortController | null = null;
  private lastAnalysis: Analysis | null = null;
  private closed = false;

  constructor(
    readonly game: AnyGame,
    readonly bot: Bot,
    readonly humanPlayer: number,
    readonly timeMs: number | null,
  ) {
    this.states = [game.initialState()];
  }

  get botPlayer(): number {
    return 1 - this.humanPlayer;
  }

  get isThinking(): boolean {
    return this.thinking !== null;
  }

  private get state(): unknown {
    return this.states[this.states.length - 1];
  }

  get isOver(): boolean {
    return this.resignedBy !== null || this.game.isTerminal(this.state);
  }

  view(): GameView {
    const g = this.game;
    const s = this.state;
    const over = this.isOver;
    const toMove = over ? null : (g.toMove(s) as number);
    return {
      gameId: this.id,
      game: g.info.name,
      bot: this.bot.spec,
      humanPlayer: this.humanPlayer,
      botPlayer: this.botPlayer,
      timeMs: this.timeMs,
      status: over ? 'over' : 'playing',
      toMove,
      turn: toMove === null ? null : toMove === this.humanPlayer ? 'human' : 'bot',
      legal: over ? [] : [...g.legalActions(s)],
      moves: [...this.moves],
      notation: g.toNotation(s),
      board: g.render(s),
      result: this.result(),
      thinking: this.isThinking,
      lastAnalysis: this.lastAnalysis,
      createdAt: this.createdAt.toISOString(),
    };
  }

  private result(): GameResult | null {
    let returns: number[];
    let reason: GameResult['reason'];
    if (this.resignedBy !== null) {
      returns = [0, 0];
      returns[this.resignedBy] = -1;
      returns[1 - this.resignedBy] = 1;
      reason = 'resign';
    } else if (this.game.isTerminal(this.state)) {
      returns = [...this.game.returns(this.state)];
      reason = 'rules';
    } else {
      return null;
    }
    const winner = returns[0]! > returns[1]! ? 0 : returns[1]! > returns[0]! ? 1 : null;
    const mine = returns[this.humanPlayer]!;
    return { winner, reason, returns, outcome: mine > 0 ? 'win' : mine < 0 ? 'loss' : 'draw' };
  }

  /** Resolves a move (id or text) to a legal action, or throws a WireError saying why not. */
  resolveMove(move: number | string): Action {
    const g = this.game;
    let action: Action;
    if (typeof move === 'number') {
      if (move >= g.info.numDistinctActions) {
        throw new WireError('MALFORMED_MOVE', `move ${move} is not an action of ${g.info.name} (actions are 0..${g.info.numDistinctActions - 1})`);
      }
      action = move;
    } else {
      try {
        action = g.parseAction(move);
      } catch (e) {
        if (isEngineError(e)) throw new WireError('MALFORMED_MOVE', `move "${move}": ${e.message}`);
        throw e;
      }
    }
    if (!g.legalActions(this.state).includes(action)) {
      throw new WireError('ILLEGAL_MOVE', `move ${g.actionToString(action)} (action ${action}) is not legal here; legal: ${g.legalActions(this.state).map((a) => g.actionToString(a)).join(' ')}`);
    }
    return action;
  }

  private assertIdle(what: string): void {
    if (this.closed) throw new WireError('NO_SUCH_GAME', `game ${this.id} is closed`);
    if (this.thinking) throw new WireError('BUSY', `cannot ${what}: the bot is thinking on game ${this.id}; wait for its reply`);
  }

  private assertPlaying(what: string): void {
    if (this.isOver) throw new WireError('GAME_OVER', `cannot ${what}: game ${this.id} is over (${this.describeResult()})`);
  }

  private describeResult(): string {
    const r = this.result();
    if (!r) return 'in progress';
    return r.reason === 'resign' ? `player ${this.resignedBy} resigned` : r.winner === null ? 'a draw' : `player ${r.winner} won`;
  }

  private push(action: Action, by: PlayedMove['by']): void {
    this.states.push(this.game.apply(this.state, action));
    this.moves.push({ ply: this.moves.length + 1, action, text: this.game.actionToString(action), by });
  }

  /** The human's move. */
  play(move: number | string): void {
    this.assertIdle('play');
    this.assertPlaying('play');
    if (this.game.toMove(this.state) !== this.humanPlayer) {
      throw new WireError('NOT_YOUR_TURN', `it is the bot's turn in game ${this.id}; send bot_move`);
    }
    const action = this.resolveMove(move);
    this.push(action, 'human');
    this.lastAnalysis = null;
  }

  /**
   * Lets the bot think on the current position. With `play`, the bot must be to move and its
   * choice is played; without, it analyses for whoever is to move (a hint) and plays nothing.
   */
  async botMove(play: boolean): Promise<{ action: Action; text: string; analysis: Analysis }> {
    this.assertIdle('ask the bot');
    this.assertPlaying('ask the bot');
    if (play && this.game.toMove(this.state) !== this.botPlayer) {
      throw new WireError('NOT_BOT_TURN', `it is the human's turn in game ${this.id}; send play (or bot_move with "play": false for a hint)`);
    }
    const controller = new AbortController();
    this.thinking = controller;
    const ply = this.states.length - 1;
    try {
      const { action, analysis } = await this.bot.think({
        state: this.state,
        history: this.moves.map((m) => m.action),
        timeMs: this.timeMs,
        signal: controller.signal,
      });
      if (controller.signal.aborted || this.states.length - 1 !== ply) {
        throw new WireError('ABORTED', `the bot's move in game ${this.id} was abandoned: ${String(controller.signal.reason ?? 'the game changed')}`);
      }
      if (play) this.push(action, 'bot');
      this.lastAnalysis = analysis;
      return { action, text: this.game.actionToString(action), analysis };
    } catch (e) {
      if (controller.signal.aborted && !(e instanceof WireError)) {
        throw new WireError('ABORTED', `the bot's move in game ${this.id} was abandoned: ${String(controller.signal.reason ?? 'aborted')}`);
      }
      throw e;
    } finally {
      if (this.thinking === controller) this.thinking = null;
    }
  }

  resign(): void {
    this.assertIdle('resign');
    this.assertPlaying('resign');
    this.resignedBy = this.humanPlayer;
    this.bot.reset();
  }

  /**
   * Takes back `plies` moves, or by default back to the human's previous turn (their last move
   * and the bot's replies after it). Works on games over by the rules; a resignation is final.
   */
  undo(plies: number | undefined): number {
    this.assertIdle('undo');
    if (this.resignedBy !== null) throw new WireError('GAME_OVER', `cannot undo: game ${this.id} was resigned`);
    let n = plies;
    if (n === undefined) {
      const lastHuman = this.moves.map((m) => m.by).lastIndexOf('human');
      if (lastHuman < 0) throw new WireError('NOTHING_TO_UNDO', `nothing to undo in game ${this.id}: the human has not moved yet`);
      n = this.moves.length - lastHuman;
    }
    if (n > this.moves.length) {
      throw new WireError('NOTHING_TO_UNDO', `cannot undo ${n} plies in game ${this.id}: only ${this.moves.length} played`);
    }
    this.states.length -= n;
    this.moves.length -= n;
    this.lastAnalysis = null;
    // The bot's tree was grown along the undone line; it starts afresh.
    this.bot.reset();
    return n;
  }

  /** Ends the game for everyone: abandons a bot move in flight and frees the bot. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.abort(reason);
    if (this.detachedTimer) clearTimeout(this.detachedTimer);
    this.detachedTimer = null;
    this.holders.clear();
    this.bot.dispose();
  }

  abort(reason: string): void {
    this.thinking?.abort(reason);
  }
}
