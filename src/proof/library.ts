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
theorem id {α : Prop} (a : α) : α := a
theorem Or.resolve_left {a b : Prop} (h : a ∨ b) (na : ¬a) : b := Or.elim h (fun ha => absurd ha na) (fun hb => hb)
theorem Or.resolve_right {a b : Prop} (h : a ∨ b) (nb : ¬b) : a := Or.elim h (fun ha => ha) (fun hb => absurd hb nb)
theorem Or.imp {a b c d : Prop} (f : a → c) (g : b → d) (h : a ∨ b) : c ∨ d := Or.elim h (fun ha => Or.inl (f ha)) (fun hb => Or.inr (g hb))
theorem And.imp {a b c d : Prop} (f : a → c) (g : b → d) (h : a ∧ b) : c ∧ d := And.intro (f (And.left h)) (g (And.right h))
theorem Iff.of_eq {a b : Prop} (h : a = b) : a ↔ b := Eq.to_iff h
theorem not_not_intro {a : Prop} (h : a) : ¬¬a := fun hn => hn h
theorem mt {a b : Prop} (h₁ : a → b) (h₂ : ¬b) : ¬a := fun ha => h₂ (h₁ ha)
theorem Classical.by_contradiction {p : Prop} (h : ¬p → False) : p := Classical.byContradiction h
theorem Classical.byCases {p q : Prop} (hpq : p → q) (hnpq : ¬p → q) : q := Or.elim (Classical.em p) hpq hnpq
theorem Classical.not_forall {α : Type} {P : α → Prop} : (¬ ∀ x : α, P x) ↔ ∃ x : α, ¬ P x := Iff.intro (fun h => Classical.byContradiction (fun hne => h (fun x => Classical.byContradiction (fun hpx => hne ⟨x, hpx⟩)))) (fun h hall => Exists.elim h (fun x hx => hx (hall x)))
theorem Eq.substr {α : Type} {motive : α → Prop} {a b : α} (h₁ : b = a) (h₂ : motive a) : motive b := @Eq.rec α a motive h₂ b (Eq.symm h₁)
`;

export const LIBRARY_NAT = String.raw`
theorem Nat.succ_ne_zero (n : Nat) : Nat.succ n ≠ 0 := fun h => @Eq.rec Nat 0 Nat.isZero True.intro (Nat.succ n) (Eq.symm h)
theorem Nat.succ.inj {n m : Nat} (h : Nat.succ n = Nat.succ m) : n = m := congrArg Nat.pred h
theorem Nat.succ_inj' {n m : Nat} : Nat.succ n = Nat.succ m ↔ n = m := Iff.intro Nat.succ.inj (congrArg Nat.succ)
theorem Nat.add_zero (n : Nat) : n + 0 = n := rfl
theorem Nat.add_succ (n m : Nat) : n + Nat.succ m = Nat.succ (n + m) := rfl
theorem Nat.add_one (n : Nat) : n + 1 = Nat.succ n := rfl
theorem Nat.succ_eq_add_one (n : Nat) : Nat.succ n = n + 1 := rfl
theorem Nat.zero_add (n : Nat) : 0 + n = n := by
  induction n with
  | zero => rfl
  | succ k ih => exact congrArg Nat.succ ih
theorem Nat.succ_add (n m : Nat) : Nat.succ n + m = Nat.succ (n + m) := by
  induction m with
  | zero => rfl
  | succ k ih => exact congrArg Nat.succ ih
theorem Nat.add_comm (n m : Nat) : n + m = m + n := by
  induction m with
  | zero => exact Eq.symm (Nat.zero_add n)
  | succ k ih => exact Eq.trans (congrArg Nat.succ ih) (Eq.symm (Nat.succ_add k n))
theorem Nat.add_assoc (n m k : Nat) : n + m + k = n + (m + k) := by
  induction k with
  | zero => rfl
  | succ k ih => exact congrArg Nat.succ ih
theorem Nat.add_left_comm (n m k : Nat) : n + (m + k) = m + (n + k) := by
  rw [← Nat.add_assoc, Nat.add_comm n m, Nat.add_assoc]
theorem Nat.add_right_comm (n m k : Nat) : n + m + k = n + k + m := by
  rw [Nat.add_assoc, Nat.add_comm m k, ← Nat.add_assoc]
theorem Nat.add_right_cancel {n m k : Nat} (h : n + m = k + m) : n = k := by
  induction m with
  | zero => exact h
  | succ m ih => exact ih (Nat.succ.inj h)
theorem Nat.add_left_cancel {n m k : Nat} (h : n + m = n + k) : m = k := by
  rw [Nat.add_comm n m, Nat.add_comm n k] at h
  exact Nat.add_right_cancel h
theorem Nat.mul_zero (n : Nat) : n * 0 = 0 := rfl
theorem Nat.mul_succ (n m : Nat) : n * Nat.succ m = n * m + n := rfl
theorem Nat.zero_mul (n : Nat) : 0 * n = 0 := by
  induction n with
  | zero => rfl
  | succ k ih => exact ih
theorem Nat.mul_one (n : Nat) : n * 1 = n := Nat.zero_add n
theorem Nat.succ_mul (n m : Nat) : Nat.succ n * m = n * m + m := by
  induction m with
  | zero => rfl
  | succ k ih =>
    show Nat.succ n * k + Nat.succ n = n * k + n + Nat.succ k
    rw [ih, Nat.add_succ, Nat.add_succ, Nat.add_right_comm]
theorem Nat.one_mul (n : Nat) : 1 * n = n := by
  induction n with
  | zero => rfl
  | succ k ih => exact congrArg Nat.succ ih
theorem Nat.mul_comm (n m : Nat) : n * m = m * n := by
  induction m with
  | zero => exact Eq.symm (Nat.zero_mul n)
  | succ k ih =>
    show n * k + n = Nat.succ k * n
    rw [Nat.succ_mul, ih]
theorem Nat.mul_add (n m k : Nat) : n * (m + k) = n * m + n * k := by
  induction k with
  | zero => rfl
  | succ k ih =>
    show n * (m + k) + n = n * m + (n * k + n)
    rw [ih, Nat.add_assoc]
theorem Nat.left_distrib (n m k : Nat) : n * (m + k) = n * m + n * k := Nat.mul_add n m k
theorem Nat.add_mul (n m k : Nat) : (n + m) * k = n * k + m * k := by
  rw [Nat.mul_comm, Nat.mul_add, Nat.mul_comm k n, Nat.mul_comm k m]
theorem Nat.right_distrib (n m k : Nat) : (n + m) * k = n * k + m * k := Nat.add_mul n m k
theorem Nat.mul_assoc (n m k : Nat) : n * m * k = n * (m * k) := by
  induction k with
  | zero => rfl
  | succ k ih =>
    show n * m * k + n * m = n * (m * k + m)
    rw [Nat.mul_add, ih]
theorem Nat.mul_left_comm (n m k : Nat) : n * (m * k) = m * (n * k) := by
  rw [← Nat.mul_assoc, Nat.mul_comm n m, Nat.mul_assoc]
theorem Nat.mul_right_comm (n m k : Nat) : n * m * k = n * k * m := by
  rw [Nat.mul_assoc, Nat.mul_comm m k, ← Nat.mul_assoc]
theorem Nat.two_mul (n : Nat) : 2 * n = n + n := by
  rw [Nat.succ_mul, Nat.one_mul]
theorem Nat.mul_two (n : Nat) : n * 2 = n + n := by
  rw [Nat.mul_comm, Nat.two_mul]
theorem Nat.le_refl (n : Nat) : n ≤ n := Nat.le.refl
theorem Nat.le_succ (n : Nat) : n ≤ Nat.succ n := Nat.le.step Nat.le.refl
theorem Nat.le_succ_of_le {n m : Nat} (h : n ≤ m) : n ≤ Nat.succ m := Nat.le.step h
theorem Nat.le_trans {n m k : Nat} (h₁ : n ≤ m) (h₂ : m ≤ k) : n ≤ k := @Nat.le.rec m (fun x => n ≤ x) h₁ (fun _ _ ih => Nat.le.step ih) k h₂
theorem Nat.zero_le (n : Nat) : 0 ≤ n := by
  induction n with
  | zero => exact Nat.le.refl
  | succ k ih => exact Nat.le.step ih
theorem Nat.le_add_right (n k : Nat) : n ≤ n + k := by
  induction k with
  | zero => exact Nat.le.refl
  | succ k ih => exact Nat.le.step ih
theorem Nat.le_add_left (n m : Nat) : n ≤ m + n := by
  rw [Nat.add_comm]
  exact Nat.le_add_right n m
theorem Nat.succ_le_succ {n m : Nat} (h : n ≤ m) : Nat.succ n ≤ Nat.succ m := @Nat.le.rec n (fun x => Nat.succ n ≤ Nat.succ x) Nat.le.refl (fun _ _ ih => Nat.le.step ih) m h
theorem Nat.le.dest {n m : Nat} (h : n ≤ m) : ∃ k : Nat, n + k = m := @Nat.le.rec n (fun x => ∃ k : Nat, n + k = x) ⟨0, rfl⟩ (fun _ _ ih => Exists.elim ih (fun k hk => ⟨Nat.succ k, congrArg Nat.succ hk⟩)) m h
theorem Nat.le.intro {n m k : Nat} (h : n + k = m) : n ≤ m := by
  rw [← h]
  exact Nat.le_add_right n k
theorem Nat.le_of_succ_le_succ {n m : Nat} (h : Nat.succ n ≤ Nat.succ m) : n ≤ m := by
  obtain ⟨k, hk⟩ := Nat.le.dest h
  exact Nat.le.intro (Nat.succ.inj (Eq.trans (Eq.symm (Nat.succ_add n k)) hk))
theorem Nat.not_succ_le_zero (n : Nat) : ¬ Nat.succ n ≤ 0 := by
  intro h
  obtain ⟨k, hk⟩ := Nat.le.dest h
  exact Nat.succ_ne_zero (n + k) (Eq.trans (Eq.symm (Nat.succ_add n k)) hk)
theorem Nat.not_succ_le_self (n : Nat) : ¬ Nat.succ n ≤ n := by
  induction n with
  | zero => exact Nat.not_succ_le_zero 0
  | succ k ih => exact fun h => ih (Nat.le_of_succ_le_succ h)
theorem Nat.lt_irrefl (n : Nat) : ¬ n < n := Nat.not_succ_le_self n
theorem Nat.eq_zero_of_add_eq_zero_right {n m : Nat} (h : n + m = 0) : n = 0 := by
  cases m with
  | zero => exact h
  | succ m => exact absurd h (Nat.succ_ne_zero (n + m))
theorem Nat.eq_zero_of_add_eq_zero_left {n m : Nat} (h : n + m = 0) : m = 0 := by
  rw [Nat.add_comm] at h
  exact Nat.eq_zero_of_add_eq_zero_right h
theorem Nat.le_antisymm {n m : Nat} (h₁ : n ≤ m) (h₂ : m ≤ n) : n = m := by
  obtain ⟨a, ha⟩ := Nat.le.dest h₁
  obtain ⟨b, hb⟩ := Nat.le.dest h₂
  have e : n + (a + b) = n := by rw [← Nat.add_assoc, ha, hb]
  have e2 : a + b = 0 := @Nat.add_left_cancel n (a + b) 0 e
  have a0 : a = 0 := Nat.eq_zero_of_add_eq_zero_right e2
  rw [a0] at ha
  exact ha
theorem Nat.le_of_lt {n m : Nat} (h : n < m) : n ≤ m := Nat.le_trans (Nat.le_succ n) h
theorem Nat.lt_succ_of_le {n m : Nat} (h : n ≤ m) : n < Nat.succ m := Nat.succ_le_succ h
theorem Nat.lt_succ_self (n : Nat) : n < Nat.succ n := Nat.le.refl
theorem Nat.eq_or_lt_of_le {n m : Nat} (h : n ≤ m) : n = m ∨ n < m := @Nat.le.rec n (fun x => n = x ∨ n < x) (Or.inl rfl) (fun x hx _ => Or.inr (Nat.lt_succ_of_le hx)) m h
theorem Nat.lt_or_ge (n m : Nat) : n < m ∨ n ≥ m := by
  induction m with
  | zero => exact Or.inr (Nat.zero_le n)
  | succ m ih =>
    rcases ih with h | h
    · exact Or.inl (Nat.le.step h)
    · rcases Nat.eq_or_lt_of_le h with e | l
      · rw [e]
        exact Or.inl (Nat.lt_succ_self n)
      · exact Or.inr l
theorem Nat.le_total (n m : Nat) : n ≤ m ∨ m ≤ n := by
  rcases Nat.lt_or_ge n m with h | h
  · exact Or.inl (Nat.le_of_lt h)
  · exact Or.inr h
theorem Nat.eq_zero_or_pos (n : Nat) : n = 0 ∨ 0 < n := by
  cases n with
  | zero => exact Or.inl rfl
  | succ m => exact Or.inr (Nat.succ_le_succ (Nat.zero_le m))
theorem Nat.lt_of_lt_of_le {n m k : Nat} (h₁ : n < m) (h₂ : m ≤ k) : n < k := Nat.le_trans h₁ h₂
theorem Nat.lt_of_le_of_lt {n m k : Nat} (h₁ : n ≤ m) (h₂ : m < k) : n < k := Nat.le_trans (Nat.succ_le_succ h₁) h₂
theorem Nat.lt_trans {n m k : Nat} (h₁ : n < m) (h₂ : m < k) : n < k := Nat.le_trans h₁ (Nat.le_of_lt h₂)
theorem Nat.ne_of_lt {a b : Nat} (h : a < b) : a ≠ b := fun e => Nat.lt_irrefl b (by rw [e] at h; exact h)
theorem Nat.ne_of_gt {a b : Nat} (h : b < a) : a ≠ b := fun e => Nat.lt_irrefl b (by rw [e] at h; exact h)
theorem Nat.not_le_of_gt {n m : Nat} (h : m < n) : ¬ n ≤ m := fun h' => Nat.lt_irrefl m (Nat.lt_of_lt_of_le h h')
theorem Nat.not_lt_of_ge {n m : Nat} (h : n ≥ m) : ¬ n < m := fun h' => Nat.lt_irrefl n (Nat.lt_of_lt_of_le h' h)
theorem Nat.gt_of_not_le {n m : Nat} (h : ¬ n ≤ m) : n > m := Or.elim (Nat.lt_or_ge m n) (fun l => l) (fun g => absurd g h)
theorem Nat.le_of_not_lt {n m : Nat} (h : ¬ n < m) : m ≤ n := Or.elim (Nat.lt_or_ge n m) (fun l => absurd l h) (fun g => g)
theorem Nat.le_of_eq {n m : Nat} (h : n = m) : n ≤ m := by
  rw [h]
  exact Nat.le_refl m
theorem Nat.lt_or_gt_of_ne {a b : Nat} (ne : a ≠ b) : a < b ∨ a > b := by
  rcases Nat.lt_or_ge a b with h | h
  · exact Or.inl h
  · rcases Nat.eq_or_lt_of_le h with e | l
    · exact absurd (Eq.symm e) ne
    · exact Or.inr l
theorem Nat.em_le (n m : Nat) : n ≤ m ∨ ¬ n ≤ m := by
  rcases Nat.lt_or_ge m n with h | h
  · exact Or.inr (Nat.not_le_of_gt h)
  · exact Or.inl h
theorem Nat.em_eq (n m : Nat) : n = m ∨ n ≠ m := by
  rcases Nat.lt_or_ge n m with h | h
  · exact Or.inr (Nat.ne_of_lt h)
  · rcases Nat.eq_or_lt_of_le h with e | l
    · exact Or.inl (Eq.symm e)
    · exact Or.inr (Nat.ne_of_gt l)
theorem Nat.add_le_add {a b c d : Nat} (h₁ : a ≤ b) (h₂ : c ≤ d) : a + c ≤ b + d := by
  obtain ⟨x, hx⟩ := Nat.le.dest h₁
  obtain ⟨y, hy⟩ := Nat.le.dest h₂
  apply Nat.le.intro (k := x + y)
  rw [← hx, ← hy, Nat.add_assoc, Nat.add_assoc, Nat.add_left_comm c x y]
theorem Nat.mul_le_mul_left {m n : Nat} (k : Nat) (h : m ≤ n) : k * m ≤ k * n := by
  obtain ⟨x, hx⟩ := Nat.le.dest h
  apply Nat.le.intro (k := k * x)
  rw [← hx, Nat.mul_add]
theorem Nat.omega_le {a b : Nat} (h : b + 1 ≤ a → False) : a ≤ b := Or.elim (Nat.lt_or_ge b a) (fun l => False.elim (h l)) (fun g => g)
theorem Nat.omega_eq {a b : Nat} (h₁ : a + 1 ≤ b → False) (h₂ : b + 1 ≤ a → False) : a = b := Nat.le_antisymm (Nat.omega_le h₂) (Nat.omega_le h₁)
theorem Nat.omega_contra {q d : Nat} (h : q + (d + 1) ≤ q) : False := by
  obtain ⟨k, hk⟩ := Nat.le.dest h
  have e : q + (d + 1 + k) = q + 0 := by
    rw [← Nat.add_assoc]
    exact hk
  have e2 : d + 1 + k = 0 := Nat.add_left_cancel e
  rw [Nat.add_right_comm] at e2
  exact Nat.succ_ne_zero (d + k) e2
theorem Nat.omega_atom (x : Nat) : x = x * 1 + 0 := Eq.symm (Nat.mul_one x)
theorem Nat.omega_add_congr {a b A B : Nat} (pa : a = A) (pb : b = B) : a + b = A + B := by
  rw [pa, pb]
theorem Nat.omega_mul_congr {a b A B : Nat} (pa : a = A) (pb : b = B) : a * b = A * B := by
  rw [pa, pb]
theorem Nat.omega_merge (x c1 c2 A B : Nat) : x * c1 + A + (x * c2 + B) = x * (c1 + c2) + (A + B) := by
  rw [Nat.mul_add, Nat.add_assoc, Nat.add_assoc, Nat.add_left_comm A (x * c2) B]
theorem Nat.omega_scale (k x d B : Nat) : k * (x * d + B) = x * (k * d) + k * B := by
  rw [Nat.mul_add, Nat.mul_left_comm k x d]
theorem Nat.succ_ne_self (n : Nat) : Nat.succ n ≠ n := fun h => Nat.not_succ_le_self n (Nat.le_of_eq h)
theorem Nat.zero_lt_succ (n : Nat) : 0 < Nat.succ n := Nat.succ_le_succ (Nat.zero_le n)
theorem Nat.succ_pos (n : Nat) : 0 < Nat.succ n := Nat.zero_lt_succ n
theorem Nat.le_of_lt_succ {n m : Nat} (h : n < Nat.succ m) : n ≤ m := Nat.le_of_succ_le_succ h
theorem Nat.succ_le_of_lt {n m : Nat} (h : n < m) : Nat.succ n ≤ m := h
theorem Nat.lt_of_succ_le {n m : Nat} (h : Nat.succ n ≤ m) : n < m := h
theorem Nat.lt_succ_of_lt {n m : Nat} (h : n < m) : n < Nat.succ m := Nat.le.step h
theorem Nat.pos_of_ne_zero {n : Nat} (h : n ≠ 0) : 0 < n := Or.elim (Nat.eq_zero_or_pos n) (fun e => absurd e h) (fun p => p)
theorem Nat.add_le_add_left {n m : Nat} (h : n ≤ m) (k : Nat) : k + n ≤ k + m := Nat.add_le_add (Nat.le_refl k) h
theorem Nat.add_le_add_right {n m : Nat} (h : n ≤ m) (k : Nat) : n + k ≤ m + k := Nat.add_le_add h (Nat.le_refl k)
theorem Nat.le_of_add_le_add_left {a b c : Nat} (h : a + b ≤ a + c) : b ≤ c := by
  omega
theorem Nat.lt_asymm {a b : Nat} (h : a < b) : ¬ b < a := fun h' => Nat.lt_irrefl a (Nat.lt_trans h h')
theorem Nat.ne_zero_of_lt {a b : Nat} (h : b < a) : a ≠ 0 := by
  omega
theorem Nat.lt_of_le_of_ne {a b : Nat} (h₁ : a ≤ b) (h₂ : a ≠ b) : a < b := by
  omega
theorem Nat.le_antisymm_iff {a b : Nat} : a = b ↔ a ≤ b ∧ b ≤ a := Iff.intro (fun h => And.intro (Nat.le_of_eq h) (Nat.le_of_eq (Eq.symm h))) (fun h => Nat.le_antisymm (And.left h) (And.right h))
theorem Nat.lt_iff_add_one_le {m n : Nat} : m < n ↔ m + 1 ≤ n := Iff.rfl
theorem Nat.not_lt_zero (n : Nat) : ¬ n < 0 := Nat.not_succ_le_zero n
theorem Nat.zero_lt_one : 0 < 1 := Nat.zero_lt_succ 0

`;

let cached: Kernel | undefined;

/** The kernel with its library loaded (once per process; every lemma checked). */
export function defaultKernel(): Kernel {
  if (cached === undefined) {
    const k = new Kernel();
    loadLibrary(k, LIBRARY_LOGIC);
    loadLibrary(k, LIBRARY_NAT);
    cached = k;
  }
  return cached;
}

/** Proves and adds every theorem of `text` to the kernel's environment; throws on any failure. */
export function loadLibrary(k: Kernel, text: string): void {
  for (const item of parseLeanFile(text)) {
    if (item.kind !== 'theorem') throw new EngineError('KERNEL_ERROR', `library: ${item.message} at line ${item.line}`);
    if (item.proof.kind === 'sorry') throw new EngineError('KERNEL_ERROR', `library: ${item.name} has no proof`);
    let out;
    let s;
    try {
      s = k.start(item);
      const st = item.proof.kind === 'term' ? k.termProof(s, item.proof.term) : k.step(s, s.initial, item.proof.tactics);
      out = k.verify(s, st);
    } catch (e) {
      throw new EngineError('KERNEL_ERROR', `library: ${item.name} failed: ${(e as Error).message}`);
    }
    if (out.kind !== 'verified') throw new EngineError('KERNEL_ERROR', `library: ${item.name} was rejected: ${out.reason}`);
    k.env.addChecked(item.name, 'thm', s.type, out.proof);
  }
}
