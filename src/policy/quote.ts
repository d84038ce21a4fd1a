/**
 * A user-supplied value quoted for an error message: JSON-escaped (no raw newlines or quotes can forge
 * extra CLI output lines) and cut to a readable length.
 */
export function q(s: string): string {
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 117)}...` : s);
}
