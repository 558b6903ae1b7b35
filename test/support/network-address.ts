import os from 'node:os';

/** An IPv4 address of this machine that is not loopback, if it has one: how "the network" reaches it. */
export function networkAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
}
