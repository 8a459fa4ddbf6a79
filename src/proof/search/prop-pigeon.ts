/**
 * Pigeonhole-shaped goals by dynamic programming over occupied holes. Hypotheses are clauses of
 * atoms (a pigeon's possible holes); the goal is a disjunction containing `x ∧ y` for every two
 * atoms of different clauses that share a hole (a column, found from those pairs). Every case
 * split proof (G4ip's) enumerates the injective placements: about n!·e branches for n holes,
 * 164,000 tactics at ILTP's SYJ202.007. Here a lemma per set S of occupied holes says "if every
 * hole of S is taken by one of the pigeons placed so far, the goal holds"; it only needs S, not
 * which pigeon sits where, so 2^n lemmas suffice. The goal is abstracted as `Q` with its suffixes
 * as Prop variables, so no lemma restates it and the whole script stays small.
 */
import { FK, type PropTable } from './prop-formula.js';
import { chain, node, type PNode, type PStep } from './prop-proof.js';

/**
 * Reachable sets of occupied holes beyond which the proof is not attempted: 2,048 lemmas (11
 * holes, a 3.4 MB script) take the kernel about a minute and 3 GB to check; 4,096 would not fit.
 */
const MAX_STATES = 2500;

interface Hyp {
  readonly name: string;
  readonly f: number;
}

/** Leaves of a disjunction tree, left to right; null when a leaf is not an atom. */
function clauseAtoms(T: PropTable, f: number, out: number[]): boolean {
  if (T.kind[f] === FK.Or) return clauseAtoms(T, T.a[f]!, out) && clauseAtoms(T, T.b[f]!, out);
  if (T.kind[f] !== FK.Atom) return false;
  out.push(f);
  return true;
}

export function provePigeonhole(T: PropTable, hyps: readonly Hyp[], goal: number, fresh: () => string): PNode | null {
  const steps: PStep[] = [];
  const all: Hyp[] = [...hyps];
  let g = goal;
  for (let imp = T.imp(g); imp !== null; imp = T.imp(g)) {
    const name = fresh();
    steps.push({ t: 'intro', name });
    all.push({ name, f: imp[0] });
    g = imp[1];
  }
  // The goal's disjuncts (a right-nested chain) and its pairs of atoms.
  const ds: number[] = [];
  for (; T.kind[g] === FK.Or; g = T.b[g]!) ds.push(T.a[g]!);
  ds.push(g);
  if (ds.length < 2) return null;
  const pairs = new Map<string, { t: number; first: number }>();
  const key = (x: number, y: number): string => (x < y ? `${x},${y}` : `${y},${x}`);
  ds.forEach((d, t) => {
    const x = T.a[d]!;
    const y = T.b[d]!;
    if (T.kind[d] === FK.And && T.kind[x] === FK.Atom && T.kind[y] === FK.Atom && x !== y && !pairs.has(key(x, y))) pairs.set(key(x, y), { t, first: x });
  });
  if (pairs.size === 0) return null;

  // Clauses (pigeons): hypotheses that are disjunctions of atoms.
  const clauses: { h: string; f: number; atoms: number[]; holes: number[] }[] = [];
  for (const h of all) {
    const atoms: number[] = [];
    if (clauseAtoms(T, h.f, atoms)) clauses.push({ h: h.name, f: h.f, atoms, holes: [] });
  }
  if (clauses.length < 2) return null;
  const nHoles = assignHoles(clauses, pairs, key);
  if (nHoles === null) return null;
  // Atoms of each hole by clause.
  const byHole: { clause: number; atom: number }[][] = Array.from({ length: nHoles }, () => []);
  clauses.forEach((c, i) => c.atoms.forEach((a, j) => byHole[c.holes[j]!]!.push({ clause: i, atom: a })));

  // Which sets of occupied holes are reached, and does every placement collide in the end?
  const popcount = (m: number): number => {
    let c = 0;
    for (let x = m; x !== 0; x &= x - 1) c++;
    return c;
  };
  const ok = new Map<number, boolean>();
  const solve = (mask: number): boolean => {
    const known = ok.get(mask);
    if (known !== undefined) return known;
    if (ok.size >= MAX_STATES) return false;
    const k = popcount(mask);
    let r = k < clauses.length;
    ok.set(mask, r);
    if (r) for (const h of clauses[k]!.holes) if ((mask & (1 << h)) === 0 && !solve(mask | (1 << h))) r = false;
    ok.set(mask, r);
    return r;
  };
  if (!solve(0) || ok.size >= MAX_STATES) return null;

  // Names: K abstracts the goal as Q with suffixes r[t]; e[t] : d_t ∨ r[t+1] → r[t] (r[0] = Q).
  const M = ds.length;
  const atomOf = (name: string): number => T.atom(name, 2048);
  const Q = fresh();
  const r = ds.map((_, t) => (t === 0 ? Q : fresh()));
  const e = ds.map(() => fresh());
  const rA = r.map(atomOf);
  const link = (t: number): number => T.mk(FK.Imp, t === M - 1 ? ds[t]! : T.mk(FK.Or, ds[t]!, rA[t + 1]!), rA[t]!);
  const kType = `∀ (${r.join(' ')} : Prop), ${ds.map((_, t) => T.print(link(t), 26)).join(' → ')} → ${Q}`;
  const x = fresh();
  const kName = fresh();
  const idFn = `(fun ${x} => ${x})`;
  steps.push({ t: 'refine', term: `(fun (${kName} : ${kType}) => ${kName}${' _'.repeat(M)}${` ${idFn}`.repeat(M)}) ?_` });
  steps.push({ t: 'intro', name: [...r, ...e].join(' ') });

  const have = (name: string, type: string, term: string): void => void steps.push({ t: 'have', name, type, term });
  // u[t] : r[t] → Q.
  const u: string[] = [Q];
  for (let t = 1; t < M; t++) {
    u.push(fresh());
    const v = fresh();
    have(u[t]!, `${r[t]} → ${Q}`, t === 1 ? `fun ${v} => ${e[0]} (Or.inr ${v})` : `fun ${v} => ${u[t - 1]} (${e[t - 1]} (Or.inr ${v}))`);
  }
  // The goal's pair functions, then a second abstraction K2 : ∀ Q2, (x → y → Q2) → ... → Q2 whose
  // binders they are: the checker opens a telescope of binders in one pass, where a chain of
  // `have`s used far below costs a walk down the rest of the proof per `have`.
  const pairTs = [...pairs.values()].map((p) => p.t);
  const gTerm = (t: number): string => {
    const [v, w] = [fresh(), fresh()];
    const inner = t === M - 1 ? `${e[t]} ⟨${v}, ${w}⟩` : `${e[t]} (Or.inl ⟨${v}, ${w}⟩)`;
    return `(fun ${v} ${w} => ${t === 0 ? inner : `${u[t]} (${inner})`})`;
  };
  const Q2 = fresh();
  const k2 = fresh();
  const k2Type = `∀ (${Q2} : Prop), ${pairTs.map((t) => `(${T.print(T.a[ds[t]!]!, 26)} → ${T.print(T.b[ds[t]!]!, 26)} → ${Q2})`).join(' → ')} → ${Q2}`;
  steps.push({ t: 'refine', term: `(fun (${k2} : ${k2Type}) => ${k2} ${Q} ${pairTs.map(gTerm).join(' ')}) ?_` });
  const gName = new Map<number, string>(pairTs.map((t) => [t, fresh()]));
  steps.push({ t: 'intro', name: [Q2, ...pairTs.map((t) => gName.get(t)!)].join(' ') });
  const gFor = (t: number): string => gName.get(t)!;
  const collide = (y: string, ya: number, z: string, za: number): string => {
    const p = pairs.get(key(ya, za))!;
    return p.first === ya ? `${gFor(p.t)} ${y} ${z}` : `${gFor(p.t)} ${z} ${y}`;
  };

  // Among clause k's atoms in the hole of its j-th atom, the rank of that atom.
  const clauseSlot = (k: number, j: number): number => clauses[k]!.holes.slice(0, j).filter((h) => h === clauses[k]!.holes[j]).length;
  // Holders of hole h after k clauses: its atoms from clauses < k, as a left-nested disjunction.
  const holders = (k: number, h: number): number[] => byHole[h]!.filter((x) => x.clause < k).map((x) => x.atom);
  const orType = (atoms: readonly number[]): string => T.print(atoms.reduce((acc, a) => T.mk(FK.Or, acc, a)), 26);
  const inject = (v: string, i: number, n: number): string => {
    let s = i === 0 ? v : `(Or.inr ${v})`;
    for (let j = i === 0 ? 1 : i + 1; j < n; j++) s = `(Or.inl ${s})`;
    return s;
  };
  // E: collision of clause k's atom a with hole h's holders.
  const eName = new Map<string, string>();
  const collision = (k: number, h: number, a: number): string => {
    const id = `${k},${h},${a}`;
    let n = eName.get(id);
    if (n !== undefined) return n;
    eName.set(id, (n = fresh()));
    const hs = holders(k, h);
    const o = fresh();
    const z = fresh();
    const split = (len: number, ov: string): string => {
      if (len === 1) return collide(ov, hs[0]!, z, a);
      const [p, q] = [fresh(), fresh()];
      return `Or.elim ${ov} (fun ${p} => ${split(len - 1, p)}) (fun ${q} => ${collide(q, hs[len - 1]!, z, a)})`;
    };
    have(n, `${orType(hs)} → ${T.print(a, 26)} → ${Q2}`, `fun ${o} ${z} => ${split(hs.length, o)}`);
    return n;
  };

  // L[mask], larger sets first (each refers to the next level's lemmas).
  const masks = [...ok.keys()].sort((m1, m2) => popcount(m2) - popcount(m1));
  const lName = new Map<number, string>(masks.map((m) => [m, fresh()]));
  const holesOf = (m: number): number[] => Array.from({ length: nHoles }, (_, h) => h).filter((h) => (m & (1 << h)) !== 0);
  const lemmas: { name: string; type: string; term: string }[] = [];
  for (const mask of masks) {
    const k = popcount(mask);
    const hs = holesOf(mask);
    const ov = new Map(hs.map((h) => [h, fresh()]));
    // Clause k's j-th atom `a`, held by `v`, goes into its hole.
    const place = (j: number, v: string): string => {
      const a = clauses[k]!.atoms[j]!;
      const h = clauses[k]!.holes[j]!;
      if ((mask & (1 << h)) !== 0) {
        const hs1 = holders(k, h);
        return hs1.length === 1 ? collide(ov.get(h)!, hs1[0]!, v, a) : `${collision(k, h, a)} ${ov.get(h)} ${v}`;
      }
      const next = mask | (1 << h);
      const args = holesOf(next).map((h2) => {
        const before = holders(k, h2).length;
        const after = holders(k + 1, h2).length;
        if (h2 === h) return inject(v, before + clauseSlot(k, j), after);
        return inject(ov.get(h2)!, 0, after - before + 1);
      });
      return `${lName.get(next)} ${args.join(' ')}`;
    };
    let leaf = 0;
    const split = (f: number, v: string): string => {
      if (T.kind[f] !== FK.Or) return place(leaf++, v);
      const [p, q] = [fresh(), fresh()];
      const left = split(T.a[f]!, p);
      return `Or.elim ${v} (fun ${p} => ${left}) (fun ${q} => ${split(T.b[f]!, q)})`;
    };
    const body = split(clauses[k]!.f, clauses[k]!.h);
    const type = [...hs.map((h) => orType(holders(k, h))), Q2].join(' → ');
    lemmas.push({ name: lName.get(mask)!, type, term: hs.length === 0 ? body : `fun ${hs.map((h) => ov.get(h)).join(' ')} => ${body}` });
  }
  for (const l of lemmas) have(l.name, l.type, l.term);
  return chain(steps, node({ t: 'exact', term: lName.get(0)! }));
}

/**
 * Gives each clause atom a hole; returns the number of holes, or null when the goal's pairs do
 * not make a pigeonhole. First by atoms (joined by the goal's pairs across clauses), when each
 * atom is in one clause; else by position in the clause (ILTP's SYJ202.011 onwards name two
 * different atoms alike, `o111` being pigeon 1 in hole 11 and pigeon 11 in hole 1).
 */
function assignHoles(
  clauses: { atoms: number[]; holes: number[] }[],
  pairs: ReadonlyMap<string, unknown>,
  key: (x: number, y: number) => string,
): number | null {
  const clauseOf = new Map<number, number>();
  let unique = true;
  clauses.forEach((c, i) => {
    for (const a of c.atoms) {
      if (clauseOf.has(a) && clauseOf.get(a) !== i) unique = false;
      clauseOf.set(a, i);
    }
  });
  const valid = (n: number): boolean => {
    if (n > 30) return false;
    // Any two atoms of a hole from different clauses must clash in the goal.
    const byHole: { clause: number; atom: number }[][] = Array.from({ length: n }, () => []);
    clauses.forEach((c, i) => c.atoms.forEach((a, j) => byHole[c.holes[j]!]!.push({ clause: i, atom: a })));
    for (const list of byHole)
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) if (list[i]!.clause !== list[j]!.clause && !pairs.has(key(list[i]!.atom, list[j]!.atom))) return false;
    return true;
  };
  if (unique) {
    const parent = new Map<number, number>();
    const find = (x: number): number => {
      let r = x;
      while (parent.has(r)) r = parent.get(r)!;
      return r;
    };
    for (const k of pairs.keys()) {
      const [x, y] = k.split(',').map(Number) as [number, number];
      const cx = clauseOf.get(x);
      const cy = clauseOf.get(y);
      if (cx === undefined || cy === undefined || cx === cy) continue;
      const rx = find(x);
      const ry = find(y);
      if (rx !== ry) parent.set(rx, ry);
    }
    const ids = new Map<number, number>();
    for (const c of clauses) c.holes = c.atoms.map((a) => ids.get(find(a)) ?? (ids.set(find(a), ids.size), ids.size - 1));
    if (valid(ids.size)) return ids.size;
  }
  const n = Math.max(...clauses.map((c) => c.atoms.length));
  for (const c of clauses) c.holes = c.atoms.map((_, j) => j);
  return valid(n) ? n : null;
}
