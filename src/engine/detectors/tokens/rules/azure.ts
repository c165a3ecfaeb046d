/** Azure and Microsoft Entra secrets (detectors.md T14–T21). */
import type { Confidence } from '../../../types.ts';
import { marvinSeed } from '../../../crypto/marvin32.ts';
import { hasMarvinChecksum, isValidCask, keyBytes } from '../identifiable.ts';
import type { TextRule } from '../rule.ts';

const B64 = 'A-Za-z0-9+/';
const B64URL = 'A-Za-z0-9_\\-';

/** A base64 value of exactly `bytes` bytes: a legacy key is only its length and alphabet. */
const decodesTo = (bytes: number) => (secret: string): Confidence | null =>
  keyBytes(secret)?.length === bytes ? 'high' : null;

interface IdentifiableType {
  kind: string;
  signature: string;
  /** Checksum seeds as Microsoft's 8-char tags (read big-endian), or raw values. */
  seeds: readonly (string | bigint)[];
  /** Layout: chars before the signature, the checksum's chars after it, padding, alphabet. */
  shape: 'key64' | 'key32' | 'function' | 'key39';
}

const SHAPES = {
  // 64 bytes: 76 chars, signature, 5 chars and [AQgw], `==`.
  key64: { before: 76, after: `[${B64}]{5}[AQgw]==`, alphabet: B64, length: 88 },
  // 32 bytes: 33 chars, signature, [A-P] and 5 chars, `=`.
  key32: { before: 33, after: `[A-P][${B64}]{5}=`, alphabet: B64, length: 44 },
  // 40 bytes, URL-safe base64, padding optional.
  function: { before: 44, after: `[${B64URL}]{5}[AQgw](?:==)?`, alphabet: B64URL, length: 56 },
  // 39 bytes, no padding.
  key39: { before: 42, after: `[A-D][${B64}]{5}`, alphabet: B64, length: 52 },
};

const MESSAGING_SEEDS = ['Send0000', 'Listen00', 'Manage00', 'System00', 'Unknown0'];

const IDENTIFIABLE: readonly IdentifiableType[] = [
  { kind: 'azure-storage-account-key', signature: '+ASt', seeds: ['Default0'], shape: 'key64' },
  {
    kind: 'azure-cosmosdb-key',
    signature: 'ACDb',
    seeds: ['MastRO00', 'MastRW00', 'SysAll00', 'Resour00', 'SystRO00', 'Encryp00', 'SystRW00'],
    shape: 'key64',
  },
  { kind: 'azure-batch-key', signature: '+ABa', seeds: ['AbAcct00'], shape: 'key64' },
  { kind: 'azure-ml-key', signature: '+AMC', seeds: ['Classic0'], shape: 'key64' },
  { kind: 'azure-apim-key', signature: 'APIM', seeds: ['Tenant00', 'IoTHub00', 'Gatewy00', 'GitKey00'], shape: 'key64' },
  { kind: 'azure-service-bus-key', signature: '+ASb', seeds: MESSAGING_SEEDS, shape: 'key32' },
  { kind: 'azure-event-hub-key', signature: '+AEh', seeds: MESSAGING_SEEDS, shape: 'key32' },
  { kind: 'azure-relay-key', signature: '+ARm', seeds: MESSAGING_SEEDS, shape: 'key32' },
  { kind: 'azure-iot-key', signature: 'AIoT', seeds: ['IoTHub00', 'DpsKey00', 'Device00'], shape: 'key32' },
  { kind: 'azure-redis-key', signature: 'AzCa', seeds: ['Access00'], shape: 'key32' },
  { kind: 'azure-event-grid-key', signature: 'AZEG', seeds: ['Default0'], shape: 'key32' },
  { kind: 'azure-function-key', signature: 'AzFu', seeds: ['Functi00', 'System00', 'Master00'], shape: 'function' },
  { kind: 'azure-search-key', signature: 'AzSe', seeds: ['Query000', 'PAdmin00'], shape: 'key39' },
  { kind: 'azure-container-registry-key', signature: '+ACR', seeds: ['ACRDflt0'], shape: 'key39' },
];

const escapeRegExp = (s: string) => s.replace(/[+/]/g, '\\$&');

/**
 * One rule per identifiable key type, anchored on its signature: checksum good → high; signature in
 * place but the checksum fails → low (shaped like a key, not one Azure issued; shown for review).
 */
function identifiableRule(t: IdentifiableType): TextRule {
  const shape = SHAPES[t.shape];
  const seeds = t.seeds.map((s) => (typeof s === 'string' ? marvinSeed(s) : s));
  // Padding only ever ends a key: `AccountKey=<key>` must still match on the left.
  const edge = `${shape.alphabet}=`;
  return {
    ref: t.shape === 'key64' ? 'T15' : 'T16',
    priority: 'P0',
    kind: t.kind,
    anchors: [t.signature],
    anchorOffset: shape.before,
    pattern: new RegExp(
      `(?<![${shape.alphabet}])[${shape.alphabet}]{${shape.before}}${escapeRegExp(t.signature)}${shape.after}(?![${edge}])`,
    ),
    maxLength: shape.length,
    confidence: 'high',
    validate: (secret) => (hasMarvinChecksum(secret, seeds) ? 'high' : 'low'),
  };
}

export const azureRules: readonly TextRule[] = [
  {
    ref: 'T14',
    priority: 'P0',
    kind: 'azure-storage-account-key',
    // Storage and Cosmos DB connection strings; the account name stays readable.
    anchors: ['AccountKey'],
    pattern: new RegExp(`AccountKey[ \\t]*=[ \\t]*([${B64}]{86}==)(?![${B64}=])`, 'i'),
    secretGroup: 1,
    maxLength: 110,
    confidence: 'high',
    minEntropy: 4,
    validate: decodesTo(64),
    // After its keyword, even a cut key is a key.
    truncated: { pattern: new RegExp(`AccountKey[ \\t]*=[ \\t]*([${B64}]{40,87})`, 'i'), confidence: 'medium' },
  },
  ...IDENTIFIABLE.map(identifiableRule),
  {
    ref: 'T17',
    priority: 'P0',
    kind: 'azure-cask-key',
    anchors: ['JQQJ9'],
    anchorOffset: 52,
    pattern:
      /(?<![A-Za-z0-9+/])[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?(?![A-Za-z0-9+/=])/,
    maxLength: 88,
    confidence: 'high',
    // Derived (`D`) and hashed (`H`) keys checksum in a form not checked here: signature only.
    validate: (secret) => (secret[57] !== '9' ? 'medium' : isValidCask(secret) ? 'high' : 'low'),
  },
  {
    ref: 'T18',
    priority: 'P0',
    kind: 'azure-entra-client-secret',
    // `8Q~` after 3 chars; the checksum is not checked. Legacy `7Q~` secrets (issued until 2021)
    // have expired, so they do not pay for an anchor.
    anchors: ['8Q~'],
    anchorOffset: 3,
    pattern: /(?<![A-Za-z0-9_~.-])[a-zA-Z0-9_~.]{3}[78]Q~[a-zA-Z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/,
    maxLength: 40,
    confidence: 'medium',
    minEntropy: 3.5,
  },
  {
    ref: 'T19',
    priority: 'P0',
    kind: 'azure-sas-signature',
    // The `sig` of a shared access signature: base64 HMAC-SHA256, usually URL-encoded.
    anchors: ['sig='],
    pattern: new RegExp(`(?<![A-Za-z0-9_])sig=([${B64}]{43}=)(?![${B64}=])`),
    secretGroup: 1,
    maxLength: 48,
    confidence: 'high',
    minEntropy: 4,
    validate: decodesTo(32),
  },
  {
    ref: 'T20',
    priority: 'P0',
    kind: 'azure-shared-access-key',
    // Service Bus, Event Hub and Relay connection strings.
    anchors: ['SharedAccessKey'],
    pattern: new RegExp(`SharedAccessKey[ \\t]*=[ \\t]*([${B64}]{43}=)(?![${B64}=])`, 'i'),
    secretGroup: 1,
    maxLength: 64,
    confidence: 'high',
    minEntropy: 4,
    validate: decodesTo(32),
    truncated: { pattern: new RegExp(`SharedAccessKey[ \\t]*=[ \\t]*([${B64}]{24,43})`, 'i'), confidence: 'medium' },
  },
  {
    ref: 'T21',
    priority: 'P1',
    kind: 'azure-devops-pat',
    // 52 lowercase base32 chars are common; only a PAT in a dev.azure.com remote URL is taken.
    anchors: ['@dev.azure.com', '.visualstudio.com'],
    anchorOffset: 'near',
    pattern: /(?<=[:/])([a-z2-7]{52})@(?:dev\.azure\.com|[\w-]{1,64}\.visualstudio\.com)(?![\w-])/,
    secretGroup: 1,
    maxLength: 140,
    confidence: 'high',
    minEntropy: 3.5,
  },
];
