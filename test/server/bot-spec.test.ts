import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBotSpec, SpecReader } from '../../src/server/bot-spec.js';
import { WireError } from '../../src/server/protocol.js';

const codeOf = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    return (e as WireError).code;
  }
};

describe('server: bot specs', () => {
  it('parses kind and parameters into a canonical form', () => {
    const s = parseBotSpec('  UCT:sims=2000, c=1.4 ');
    expect(s.kind).toBe('uct');
    expect([...s.params]).toEqual([['sims', '2000'], ['c', '1.4']]);
    expect(s.text).toBe('uct:sims=2000,c=1.4');
    expect(parseBotSpec('random').text).toBe('random');
  });

  it('refuses malformed specs with BAD_BOT_SPEC', () => {
    for (const bad of ['', ':sims=1', 'uct:', 'uct:sims', 'uct:sims=1,sims=2', 'uct:=3', 'uct:sims=1;rm', 'u ct', 'uct:sims=../x']) {
      expect(codeOf(() => parseBotSpec(bad)), bad).toBe('BAD_BOT_SPEC');
    }
  });

  it('reads typed values, tells limits from bad values, and rejects unknown keys', () => {
    const read = (text: string) => {
      const r = new SpecReader(parseBotSpec(text));
      const sims = r.int('sims', { min: 1, max: 5000, def: 100, limitName: 'maxSimulations' });
      const time = r.optionalFloat('time', { min: 0.001, max: 2, limitName: 'maxTimeMs' });
      r.done();
      return { sims, time };
    };
    expect(read('uct')).toEqual({ sims: 100, time: null });
    expect(read('uct:sims=7,time=0.5')).toEqual({ sims: 7, time: 0.5 });
    expect(codeOf(() => read('uct:sims=5001'))).toBe('OVER_LIMIT');
    expect(codeOf(() => read('uct:time=3'))).toBe('OVER_LIMIT');
    expect(codeOf(() => read('uct:sims=0'))).toBe('BAD_BOT_SPEC');
    expect(codeOf(() => read('uct:sims=1.5'))).toBe('BAD_BOT_SPEC');
    expect(codeOf(() => read('uct:time=1e999'))).toBe('BAD_BOT_SPEC');
    expect(codeOf(() => read('uct:simz=5'))).toBe('BAD_BOT_SPEC');
  });

  it('never throws anything but a WireError, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          const s = parseBotSpec(text);
          expect(parseBotSpec(s.text).text).toBe(s.text); // canonical form is a fixed point
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
      }),
    );
  });
});
