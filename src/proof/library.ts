/**
 * The core library: every lemma the problem files, simp and omega use is PROVED here, by
 * this kernel's own tactics and term elaborator, and each proof term is checked by check.ts
 * before the lemma enters the environment. Nothing here is assumed. Signatures follow Lean 4
 * core (argument order and implicitness), specialised to the fragment (Eq and ∃ over `Type`).
 */
import { Kernel } from './kernel.js';
import { parseLeanFile } from './parser.js';
import { EngineError } from '../core/index.js';

export const LIBRARY_LOGIC = String.raw`
theorem Iff.mp {a b : Prop} (self : a ↔ b) : a → b := Iff.rec (fun mp _ => mp) self
theorem Iff.mpr {a b : Prop} (self : a ↔ b) : b → a := Iff.rec (fun _ mpr => mpr) self
theorem And.left {a b : Prop} (self : a ∧ b) : a := And.rec (fun l _ => l) self
theorem And.right {a b : Prop} (self : a ∧ b) : b := And.rec (fun _ r => r) self
theorem And.elim {a b c : Prop} (f : a → b → c) (h : a ∧ b) : c := And.rec f h
theorem trivial : True := True.intro
theorem absurd {a b : Prop} (h₁ : a) (h₂ : ¬a) : b := False.elim (h₂ h₁)
theorem Not.elim {a b : Prop} (H1 : ¬a) (H2 : a) : b := False.elim (H1 H2)
theorem Not.intro {a : Prop} (h : a → False) : ¬a := h
theorem Iff.refl (a : Prop) : a ↔ a := Iff.intro (fun h => h) (fun h => h)
theorem Iff.rfl {a : Prop} : a ↔ a := Iff.refl a
theorem Iff.symm {a b : Prop} (h : a ↔ b) : b ↔ a := Iff.intro (Iff.mpr h) (Iff.mp h)
theorem Iff.trans {a b c : Prop} (h₁ : a ↔ b) (h₂ : b ↔ c) : a ↔ c := Iff.intro (fun x => Iff.mp h₂ (Iff.mp h₁ x)) (fun x => Iff.mpr h₁ (Iff.mpr h₂ x))
theorem Or.intro_left {a : Prop} (b : Prop) (h : a) : a ∨ b := Or.inl h
theorem Or.intro_right {b : Prop} (a : Prop) (h : b) : a ∨ b := Or.inr h
theorem Or.symm {a b : Prop} (h : a ∨ b) : b ∨ a := Or.elim h (fun x => Or.inr x) (fun x => Or.inl x)
theorem And.symm {a b : Prop} (h : a ∧ b) : b ∧ a := And.intro (And.right h) (And.left h)
theorem Exists.intro' {α : Type} {p : α → Prop} (w : α) (h : p w) : Exists p := Exists.intro w h
theorem rfl {α : Type} {a : α} : a = a := Eq.refl a
theorem Eq.symm {α : Type} {a b : α} (h : a = b) : b = a := @Eq.rec α a (fun x => x = a) (Eq.refl a) b h
theorem Eq.trans {α : Type} {a b c : α} (h₁ : a = b) (h₂ : b = c) : a = c := @Eq.rec α b (fun x => a = x) h₁ c h₂
theorem Eq.subst {α : Type} {motive : α → Prop} {a b : α} (h₁ : a = b) (h₂ : motive a) : motive b := @Eq.rec α a motive h₂ b h₁
theorem Eq.mp {α β : Prop} (h : α = β) (a : α) : β := @Eq.rec Prop α (fun x => x) a β h
theorem Eq.mpr {α β : Prop} (h : α = β) (b : β) : α := @Eq.rec Prop β (fun x => x) b α (Eq.symm h)
theorem cast {α β : Prop} (h : α = β) (a : α) : β := Eq.mp h a
theorem congrArg {α β : Type} {a₁ a₂ : α} (f : α → β) (h : a₁ = a₂) : f a₁ = f a₂ := @Eq.rec α a₁ (fun x => f a₁ = f x) (Eq.refl (f a₁)) a₂ h
theorem congrFun {α β : Type} {f g : α → β} (h : f = g) (a : α) : f a = g a := @Eq.rec (α → β) f (fun k => f a = k a) (Eq.refl (f a)) g h
theorem congr {α β : Type} {f₁ f₂ : α → β} {a₁ a₂ : α} (h₁ : f₁ = f₂) (h₂ : a₁ = a₂) : f₁ a₁ = f₂ a₂ := Eq.trans (congrFun h₁ a₁) (congrArg f₂ h₂)
theorem Ne.symm {α : Type} {a b : α} (h : a ≠ b) : b ≠ a := fun h' => h (Eq.symm h')
theorem Ne.elim {α : Type} {a b : α} (h : a ≠ b) (h' : a = b) : False := h h'
theorem Eq.to_iff {a b : Prop} (h : a = b) : a ↔ b := Iff.intro (Eq.mp h) (Eq.mpr h)
theorem Classical.byContradiction {p : Prop} (h : ¬p → False) : p := Or.elim (Classical.em p) (fun hp => hp) (fun hn => False.elim (h hn))
theorem Classical.not_not {a : Prop} : ¬¬a ↔ a := Iff.intro (fun h => Classical.byContradiction h) (fun h hn => hn h)
theorem False.elim' {C : Prop} (h : False) : C := False.elim h
theorem id' {a : Prop} (h : a) : a := h
`;

let cached: Kernel | undefined;

/** The kernel with its library loaded (once per process; every lemma checked). */
export function defaultKernel(): Kernel {
  if (cached === undefined) {
    const k = new Kernel();
    loadLibrary(k, LIBRARY_LOGIC);
    cached = k;
  }
  return cached;
}

/** Proves and adds every theorem of `text` to the kernel's environment; throws on any failure. */
export function loadLibrary(k: Kernel, text: string): void {
  for (const item of parseLeanFile(text)) {
    if (item.kind !== 'theorem') throw new EngineError('KERNEL_ERROR', `library: ${item.message} at line ${item.line}`);
    if (item.proof.kind === 'sorry') throw new EngineError('KERNEL_ERROR', `library: ${item.name} has no proof`);
    const s = k.start(item);
    const st = item.proof.kind === 'term' ? k.termProof(s, item.proof.term) : k.step(s, s.initial, item.proof.tactics);
    const out = k.verify(s, st);
    if (out.kind !== 'verified') throw new EngineError('KERNEL_ERROR', `library: ${item.name} was rejected: ${out.reason}`);
    k.env.addChecked(item.name, 'thm', s.type, out.proof);
  }
}
