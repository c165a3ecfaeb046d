/**
 * Precision checks shared by every text rule (issue #5 item 6): placeholders are not secrets, and
 * published example keys are shown for review, never zeroed by default.
 */

/** Template syntax, masks and stock words that stand where a secret would go. */
const PLACEHOLDERS: readonly RegExp[] = [
  /\$\{[^}]*\}|\$\([^)]*\)/, // ${VAR}, $(VAR)
  /\{\{[^}]*\}\}/, // {{ secret }}
  /<[A-Za-z_ -]{1,40}>/, // <token>
  /%[sdv]/, // printf formats
  /\*{3}|\.{4}|#{4}/, // masks
  /^(?:password|passw0rd|changeme|secret|token|example|placeholder|redacted|null|undefined|true|false)$/i,
];

/** True when the secret is a placeholder: template syntax, a mask, a stock word or one repeated char. */
export function isPlaceholder(secret: string): boolean {
  if (/^(.)\1*$/s.test(secret)) return true;
  // `xxxx…` masks, but not a random token that happens to hold four x's.
  if (/x{4}/i.test(secret) && (secret.match(/x/gi)?.length ?? 0) * 2 >= secret.length) return true;
  return PLACEHOLDERS.some((p) => p.test(secret));
}

/** True for a published example key: AWS's documentation keys and anything ending in `EXAMPLE`. */
export function isExample(secret: string): boolean {
  return /EXAMPLE(?:KEY)?$/.test(secret);
}
