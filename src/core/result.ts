/** Expected outcomes are values, shaped like zod's SafeParseResult. */
export type Result<T, E> = { readonly success: true; readonly data: T } | { readonly success: false; readonly error: E };

export function ok<T>(data: T): Result<T, never> {
  return { success: true, data };
}

export function err<E>(error: E): Result<never, E> {
  return { success: false, error };
}
