/**
 * Credentials known by their context, not their format (detectors.md T22–T26, T38, T39): HTTP
 * Authorization headers, passwords in URLs and connection strings, generic assignments, kubeconfig
 * and Docker credentials, and environment variables whose names say they hold a secret.
 */
import { shannonEntropy } from '../../../crypto/entropy.ts';
import type { Confidence } from '../../../types.ts';
import { isSecretVariableName } from '../../../region-policy.ts';
import { decodeBase64 } from '../../der-key-info.ts';
import { readCompactToken } from '../../jose/compact-token.ts';
import { isPlaceholder } from '../precision.ts';
import type { TextRule } from '../rule.ts';

/** The header name after its first letter, whose case varies (`Authorization`, `authorization`). */
const AUTHORIZATION_ANCHORS = ['uthorization', 'UTHORIZATION'];
/** What follows the header name: `: `, `": "`, `=` (a header map printed as text). */
const AUTHORIZATION_SEPARATOR = String.raw`["']?[ \t]*[:=][ \t]*["']?`;
/** `Authorization: `, `"Authorization": "`, `Authorization=`. */
const AUTHORIZATION = String.raw`(?<![\w-])authorization${AUTHORIZATION_SEPARATOR}`;

/** RFC 6750 token68 chars. */
const TOKEN68 = String.raw`A-Za-z0-9\-._~+/`;

/** A `user:secret` pair in base64 (Basic auth, Docker's `auth`): high when it decodes to one. */
function decodesToUserSecret(b64: string): Confidence | null {
  const bytes = decodeBase64(b64);
  if (!bytes || bytes.some((b) => b < 0x20 || b > 0x7e)) return null;
  const text = String.fromCharCode(...bytes);
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const secret = text.slice(colon + 1);
  return secret.length > 0 && !isPlaceholder(secret) ? 'high' : null;
}

/**
 * Schemes whose URLs carry `user:password@`. Each anchor is the scheme at the start of the match
 * (`postgres` also starts `postgresql://`); bare `://` is too common to pay for.
 */
const URL_SCHEME_ANCHORS = ['http://', 'https://', 'ftp://', 'ftps://', 'smb://', 'postgres', 'mysql', 'mongodb', 'redis', 'amqp'];
const URL_SCHEME = String.raw`(?:https?|ftps?|smb|postgres(?:ql)?|mysqlx?|mongodb(?:\+srv)?|rediss?|amqps?)`;
/**
 * `scheme://user:password@host`. The user may be empty (`redis://:pw@host`); a password may hold a
 * raw `@` (invalid but common), so it runs to the last `@` before the host.
 */
const URL_USERINFO = String.raw`(?<![A-Za-z0-9+.-])${URL_SCHEME}://[^\s:/?#@]{0,256}:`;

/** Keys that make `key=value;` text a connection string (ADO.NET, ODBC, JDBC properties). */
const CONNECTION_KEY = String.raw`(?:server|data\s+source|host(?:name)?|addr(?:ess)?|network\s+address|uid|user(?:\s*id|name)?|database|initial\s+catalog|dsn|driver|provider)\s*=`;
/** One `key=value;` pair of the same string. */
const PAIR = String.raw`[^;\r\n]{0,1024};`;
const PASSWORD_KEY = String.raw`(?:password|pwd)\s*=\s*`;
/** A password value: quoted (`"…"`, `'…'`, ODBC `{…}`), or up to `;`, a quote or the line's end. */
const CONNECTION_VALUE = String.raw`(?<=")[^"\r\n]{1,1024}(?=")|(?<=')[^'\r\n]{1,1024}(?=')|(?<=\{)[^}\r\n]{1,1024}(?=\})|(?<=[=\s])[^\s;"'{](?:[^;"\r\n]{0,1022}[^\s;"])?(?=\s*(?:[;"\r\n]|$))`;

/** Identifier-ish names whose value is a credential in a generic assignment. */
const GENERIC_KEY = String.raw`(?:passw(?:or)?d|secret|token|api[_-]?key)`;
/**
 * What follows a generic keyword's anchor: the rest of the key (at most 20 chars after the keyword,
 * or 40 + a keyword + 20 after one in the key's prefix) and its separator. An anchor inside a value
 * fails it, and rightly: the key before that value holds an anchor of its own.
 */
const GENERIC_KEY_TAIL = /[\w.-]{0,70}["'`]?[ \t]*(?::=|=>|=|:)/;
/** Chars of an unquoted generic value (gitleaks' set plus the symbols passwords use). */
const GENERIC_CHARS = String.raw`\w.=+/~!@#$%^&*\-`;
/** Random 10–150 char values score ≥ 3.5 bits/char; words, paths and counters fall below. */
const GENERIC_ENTROPY = 3.5;
/** Unquoted `getPassword`, `os.environ`, `config.apiKey`: code, not a value (a password has a digit). */
const CODE_IDENTIFIER = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/**
 * Medium for a random-looking value, low for a weak one; null for code (`getPassword()`) and for a
 * key or value that names where a secret is (`password_file`, `token_url`, `"https://…/token"`).
 */
function genericStrength(secret: string, match: RegExpExecArray): Confidence | null {
  if (!isSecretVariableName(match[1]!) || secret.includes('://')) return null;
  const quoted = /["'`]/.test(match[0][match.indices![2]![0] - match.index - 1] ?? '');
  if (!quoted && CODE_IDENTIFIER.test(secret) && !/\d/.test(secret)) return null;
  return shannonEntropy(secret) < GENERIC_ENTROPY ? 'low' : 'medium';
}

/** What a kubeconfig's `client-key-data` decodes to when it holds a PEM private key. */
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/**
 * Chars read before a header-anchored match: its own need is a few chars of lookbehind, but the text
 * run's start, which tells UTF-16BE from UTF-16LE, is looked for this far back too.
 */
const CONTEXT_BEFORE = 512;

/** Chars a connection string's pattern reads each way from its password key. */
const CONNECTION_CONTEXT = 2048;

/** Environment variable names: `NAME=` at the start of a NUL-separated record. */
const ENV_NAME_CHARS = 128;

export const credentialRules: readonly TextRule[] = [
  {
    ref: 'T22',
    priority: 'P0',
    kind: 'http-bearer-token',
    yields: true,
    anchors: AUTHORIZATION_ANCHORS,
    anchorOffset: 1,
    follows: new RegExp(`${AUTHORIZATION_SEPARATOR}bearer[ \\t]`, 'i'),
    pattern: new RegExp(`${AUTHORIZATION}bearer[ \\t]+([A-Za-z0-9][${TOKEN68}]{15,2047}=*)(?![${TOKEN68}=])`, 'i'),
    secretGroup: 1,
    maxLength: 2100,
    maxBefore: CONTEXT_BEFORE,
    confidence: 'high',
    minEntropy: 3,
    // A JOSE token is the jwt detector's, which checks its segments and signature.
    validate: (secret) => (readCompactToken(secret) ? null : 'high'),
  },
  {
    ref: 'T23',
    priority: 'P0',
    kind: 'http-basic-auth',
    anchors: AUTHORIZATION_ANCHORS,
    anchorOffset: 1,
    follows: new RegExp(`${AUTHORIZATION_SEPARATOR}basic[ \\t]`, 'i'),
    pattern: new RegExp(`${AUTHORIZATION}basic[ \\t]+([A-Za-z0-9+/]{8,1400}={0,2})(?![A-Za-z0-9+/=])`, 'i'),
    secretGroup: 1,
    maxLength: 1450,
    maxBefore: CONTEXT_BEFORE,
    confidence: 'high',
    validate: decodesToUserSecret,
    fingerprint: false,
  },
  {
    ref: 'T24',
    priority: 'P0',
    kind: 'url-password',
    yields: true,
    anchors: URL_SCHEME_ANCHORS,
    pattern: new RegExp(`${URL_USERINFO}([^\\s/?#]{1,256})@[^\\s/?#@]{1,256}`, 'i'),
    secretGroup: 1,
    maxLength: 320,
    maxBefore: 64,
    confidence: 'high',
    // Cut before its `@`: a password unless it is a port (`https://host:8443`).
    truncated: {
      pattern: new RegExp(`${URL_USERINFO}((?=[^\\s/?#@]*[^\\d\\s/?#@])[^\\s/?#@]{4,256})`, 'i'),
      confidence: 'medium',
    },
    fingerprint: false,
  },
  {
    ref: 'T25',
    priority: 'P0',
    kind: 'connection-string-password',
    yields: true,
    // `Password` shares the generic rule's anchors; ODBC's `Pwd` follows the key before it (`;Pwd`
    // spares every environment block's `PWD=` and the escaped spellings of `=`).
    anchors: ['assword', 'ASSWORD', ';Pwd', ';PWD', ';pwd'],
    anchorOffset: 'near',
    // The anchor ends the password key (`Password=`, `;Pwd =`): the reach is paid only there.
    follows: /\s*=/,
    // A server-like key before the password in the same string, or after it; the keyword is checked
    // first, so the search through the text before the anchor fails fast.
    pattern: new RegExp(
      `(?:;[ \\t]*)?(?<![\\w.-])(?=${PASSWORD_KEY})(?:(?<=${CONNECTION_KEY}${PAIR}(?:${PAIR}){0,32}?\\s*)|(?=${PASSWORD_KEY}(?:"[^"]*"|'[^']*'|\\{[^}]*\\}|[^;\\r\\n]*);(?:${PAIR}){0,32}?\\s*${CONNECTION_KEY}))` +
        `${PASSWORD_KEY}["'{]?(${CONNECTION_VALUE})`,
      'i',
    ),
    secretGroup: 1,
    // A value of up to 1 KiB; the server key it needs may come a few pairs before or after it.
    maxLength: CONNECTION_CONTEXT,
    maxBefore: CONNECTION_CONTEXT,
    confidence: 'high',
    fingerprint: false,
  },
  {
    // Listed before the generic rule: on an anchor both use, the first of two equal findings stands.
    // Not a catalogue row: the environment block copies the region policy cannot see (a process's
    // stack, heap copies of /proc/self/environ, Windows UTF-16LE blocks), judged by the same names.
    ref: 'T26',
    priority: 'P1',
    kind: 'environment-secret',
    yields: true,
    // Mostly the generic rule's anchors (no extra cost); names are mostly upper case.
    anchors: ['PASS', 'assword', 'ECRET', 'ecret', 'OKEN', 'oken', '_KEY', '_Key', 'APIKEY', 'piKey', '_PWD', '_DSN', 'CONNECTION'],
    anchorOffset: 'near',
    afterZero: true,
    pattern: new RegExp(`^([A-Za-z_][\\w.-]{0,${ENV_NAME_CHARS - 1}})=([^\\r\\n]+)`),
    secretGroup: 2,
    maxLength: 8192,
    maxBefore: ENV_NAME_CHARS,
    // A value chosen by a human may be weak; it is still a credential.
    confidence: 'medium',
    validate: (_, match) => (isSecretVariableName(match[1]!) ? 'medium' : null),
    fingerprint: false,
  },
  {
    ref: 'T26',
    priority: 'P1',
    kind: 'generic-secret',
    // The keyword after its first letter (`password`, `Password`); `api_key` after its `a`.
    anchors: ['assword', 'ASSWORD', 'ecret', 'ECRET', 'oken', 'OKEN', 'pi_key', 'PI_KEY', 'piKey'],
    anchorOffset: 'near',
    follows: GENERIC_KEY_TAIL,
    yields: true,
    pattern: new RegExp(
      `(?<![\\w.-])([\\w.-]{0,40}?${GENERIC_KEY}[\\w.-]{0,20})["'\`]?[ \\t]*(?::=|=>|=|:)[ \\t]*["'\`]?` +
        `((?<=["'\`])[^"'\`\\s]{10,150}(?=["'\`])|(?<![\\w"'\`])[${GENERIC_CHARS}]{10,150}(?![${GENERIC_CHARS}(]))`,
      'i',
    ),
    secretGroup: 2,
    maxLength: 240,
    // The key is at most 70 chars before its keyword's anchor.
    maxBefore: 80,
    // Medium at most: a keyword and a random-looking value are a guess, however good.
    confidence: 'medium',
    validate: genericStrength,
    fingerprint: false,
  },
  {
    ref: 'T38',
    priority: 'P1',
    kind: 'kubeconfig-client-key',
    anchors: ['client-key-data'],
    follows: /["']?[ \t]*:/,
    pattern: /client-key-data["']?[ \t]*:[ \t]*["']?([A-Za-z0-9+/]{64,16384}={0,2})(?![A-Za-z0-9+/=])/,
    secretGroup: 1,
    maxLength: 16450,
    maxBefore: CONTEXT_BEFORE,
    // By its key it is a private key; decoding to PEM proves it (a value cut short still decodes to
    // the PEM header, so a cut key needs no pattern of its own).
    confidence: 'medium',
    validate: (secret) => {
      const bytes = decodeBase64(secret);
      return bytes && PEM_PRIVATE_KEY.test(String.fromCharCode(...bytes.subarray(0, 64))) ? 'high' : 'medium';
    },
  },
  {
    ref: 'T39',
    priority: 'P1',
    kind: 'docker-registry-auth',
    // `"auth` also starts the JSON-escaped `\"auth\"` of a config held in a string.
    anchors: ['"auth'],
    follows: /"[ \t]*:/,
    pattern: /"auth"[ \t]*:[ \t]*"([A-Za-z0-9+/]{8,1400}={0,2})"/,
    secretGroup: 1,
    maxLength: 1420,
    maxBefore: CONTEXT_BEFORE,
    confidence: 'high',
    validate: decodesToUserSecret,
    fingerprint: false,
  },
];
