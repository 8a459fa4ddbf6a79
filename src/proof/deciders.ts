/** Decision procedures plugged into the tactic engine: decide, omega, simp. */
import type { Tactics } from './tactics.js';

export function installDeciders(t: Tactics): void {
  void t;
}
