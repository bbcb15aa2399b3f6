// An address of this machine that is not loopback (e.g. 192.0.2.2 here): a fake Ollama listening on
// it is, to Infill, a host "not this machine", so the remote-host confirmation can be tested for real.

import { networkInterfaces } from 'node:os';

/** The first non-internal IPv4 address, or undefined on a machine that has none. */
export function remoteAddress(): string | undefined {
  for (const infos of Object.values(networkInterfaces())) {
    for (const info of infos ?? []) {
      if (info.family === 'IPv4' && !info.internal) return info.address;
    }
  }
  return undefined;
}

export const NO_REMOTE_ADDRESS = 'skipped: this machine has no non-loopback IPv4 address to serve a "remote" Ollama on';
