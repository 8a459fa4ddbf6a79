import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EngineError } from '../../src/core/index.js';
import { formatPlayerSpec, parsePlayerSpec } from '../../src/cli/player-spec.js';
import { createPlayer } from '../../src/cli/players.js';
import { getGame } from '../../src/games/index.js';

const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
const value = fc.stringMatching(/^[A-Za-z0-9./_-]{1,12}$/);
const params = fc.uniqueArray(fc.tuple(name, value), { maxLength: 4, selector: ([k]) => k });

function errorOf(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

describe('player spec syntax', () => {
  it('round-trips through its canonical text', () => {
    fc.assert(
      fc.property(name, params, (kind, ps) => {
        const text = ps.length === 0 ? kind : `${kind}:${ps.map(([k, v]) => `${k}=${v}`).join(',')}`;
        const spec = parsePlayerSpec(text);
        expect(spec.kind).toBe(kind);
        expect([...spec.params]).toEqual(ps);
        expect(formatPlayerSpec(spec)).toBe(text);
        expect(formatPlayerSpec(parsePlayerSpec(formatPlayerSpec(spec)))).toBe(text);
      }),
    );
  });

  it('ignores spaces and case in names', () => {
    const spec = parsePlayerSpec(' UCT: Sims = 200 , c=1.5 ');
    expect(formatPlayerSpec(spec)).toBe('uct:sims=200,c=1.5');
  });

  it('rejects malformed specs, naming the bad part', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['uct:', /nothing after ':'/],
      ['uct:sims', /option 'sims' is not key=value/],
      ['uct:sims=', /option 'sims' has no value/],
      ['uct:sims=1,sims=2', /'sims' is given twice/],
      ['uct:=5', /'' in '=5' is not an option name/],
      ['9lives', /'9lives' is not a player name/],
    ];
    for (const [text, message] of cases) {
      const e = errorOf(() => parsePlayerSpec(text));
      expect(e.code).toBe('BAD_PLAYER_SPEC');
      expect(e.message).toMatch(message);
    }
  });

  it('never throws anything but BAD_PLAYER_SPEC on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        try {
          parsePlayerSpec(text);
        } catch (e) {
          expect(e).toBeInstanceOf(EngineError);
          expect((e as EngineError).code).toBe('BAD_PLAYER_SPEC');
        }
      }),
    );
  });
});

describe('player factories', () => {
  const c4 = getGame('connect4');
  const ttt = getGame('tictactoe');
  const ctx = { seed: 1 };

  it('check every option of every kind', () => {
    const cases: [string, RegExp][] = [
      ['uct:sims=abc', /sims=abc: sims must be an integer/],
      ['uct:sims=0', /sims=0: sims must be an integer between 1/],
      ['uct:c=-1', /c=-1: c must be a positive number/],
      ['uct:time=soon', /time=soon/],
      ['uct:depth=3', /unknown option 'depth' \('uct' takes sims, c, time\)/],
      ['random:sims=5', /'random' takes no options/],
      ['minimax', /unknown player 'minimax' \(known: uct, random, perfect, az\)/],
      ['az:sims=10', /az needs model=PATH/],
      ['az:model=default,mix=1.5', /mix=1.5: mix must be a number from 0 to 1/],
      ['az:model=default,mix=-0.5', /mix=-0.5: mix must be a number from 0 to 1/],
      ['az:model=default,mix=half', /mix=half: mix must be a number from 0 to 1/],
      ['az:model=default,playouts=smart', /playouts=smart: playouts must be one of tactical, random/],
    ];
    for (const [text, message] of cases) {
      const e = errorOf(() => createPlayer(c4, text, ctx));
      expect(e.code, text).toBe('BAD_PLAYER_SPEC');
      expect(e.message, text).toMatch(message);
    }
  });

  it('perfect plays tic-tac-toe only', () => {
    expect(errorOf(() => createPlayer(c4, 'perfect', ctx)).message).toMatch(/'perfect' plays only tictactoe/);
    expect(createPlayer(ttt, 'perfect', ctx).name).toBe('perfect');
  });

  it('az players load their model lazily, on the first move', () => {
    const p = createPlayer(c4, 'az:model=runs/c4,sims=200', ctx);
    expect(p.name).toBe('az:model=runs/c4,sims=200');
    expect(createPlayer(c4, 'az:model=runs/c4,mix=0', ctx).name).toBe('az:model=runs/c4,mix=0');
    expect(createPlayer(c4, 'az:model=runs/c4,playouts=random', ctx).name).toBe('az:model=runs/c4,playouts=random');
  });

  it('valid uct and random specs make players that choose legal moves', async () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0.01, max: 10, noNaN: true }), (sims, c) => {
        const p = createPlayer(c4, `uct:sims=${sims},c=${c}`, ctx);
        expect(p.name).toBe(`uct:sims=${sims},c=${c}`);
      }),
      { numRuns: 50 },
    );
    for (const spec of ['uct:sims=50', 'random']) {
      const p = createPlayer(c4, spec, ctx);
      const s = c4.fromNotation('4453');
      const { action } = await p.chooseAction(s);
      expect(c4.legalActions(s)).toContain(action);
    }
  });
});
