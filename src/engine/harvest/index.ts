/**
 * Every harvester of RSA public keys (detectors.md §4.3): their moduli feed the prime search. Public
 * keys are not findings; a chunk returns them beside its findings (ChunkResult.publicKeys).
 */
import { blobPublicHarvester } from './blob-harvesters.ts';
import { pkcs1PublicHarvester, spkiHarvester } from './der-harvesters.ts';
import type { Harvester } from './public-key.ts';
import { jwkPublicHarvester, pemPublicHarvester, sshPublicHarvester } from './text-harvesters.ts';

export { blobPublicHarvester, jwkPublicHarvester, pemPublicHarvester, pkcs1PublicHarvester, spkiHarvester, sshPublicHarvester };

export const rsaHarvesters: readonly Harvester[] = [
  spkiHarvester,
  pkcs1PublicHarvester,
  pemPublicHarvester,
  blobPublicHarvester,
  jwkPublicHarvester,
  sshPublicHarvester,
];
