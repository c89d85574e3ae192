// The second line of defence behind pino's redact paths (src/cli/log.ts REDACTED): the values of the
// secrets this process was given (ODOO_API_KEY, ODOO_WEBHOOK_TOKEN, METRICS_TOKEN, partner passwords
// and passphrases in the environment, the password of DATABASE_URL) are cut out of every log line
// wherever they appear, also inside a message or an error's text (a URL that holds a token, a
// library's error that quotes what it was given). docs/observability.md#what-never-reaches-a-log-line

export const CENSOR = '[redacted]';

/** Names of environment variables that hold a secret (ODOO_API_KEY, ACME_SFTP_PASSWORD, ...). */
const SECRET_NAME = /PASSWORD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/** Shorter values would cut ordinary words and numbers out of lines: a secret that short is no secret. */
const MIN_LENGTH = 6;

/** The secret values of an environment: variables named like secrets, and the password of any URL (DATABASE_URL). */
export function secretsOfEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  const found = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name)) found.add(value);
    const password = passwordOfUrl(value);
    if (password) found.add(password);
  }
  return [...found].filter((s) => s.length >= MIN_LENGTH);
}

function passwordOfUrl(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(value)) return undefined;
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** A function that cuts each of `secrets` (and their JSON-escaped and URL-encoded forms) out of a line. */
export function secretScrubber(secrets: readonly string[]): (line: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_LENGTH) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    forms.add(encodeURIComponent(s));
  }
  // Longest first: a secret that contains another is cut whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (line) => line;
  return (line) => {
    let out = line;
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join(CENSOR);
    return out;
  };
}
