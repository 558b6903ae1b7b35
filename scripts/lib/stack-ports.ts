/**
 * The ports of the local stack's file servers (stored files, album art), chosen on the first start
 * and kept with the data in `.data/stack-ports.json`. Every stored file and album-art URL carries
 * its server's origin, as production URLs carry their bucket's, and the data outlives a restart:
 * so a restart serves on the same ports, and the URLs stored before it still open. First chosen as
 * the API's port + 1 and + 2 (8081 and 8082 for 8080), or free ports when those are taken. `npm
 * start -- --fresh` forgets them with the data.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, portIsFree } from './free-port.js';
import { STACK_DATA_DIRECTORY } from './stack-state.js';

interface FileServerPorts {
  /** The asset files' server (BLOB_PUBLIC_BASE_URL). */
  files: number;
  /** The album-art variants' server (ALBUM_ART_PUBLIC_BASE_URL). */
  albumArt: number;
}

const STACK_PORTS_FILE = path.join(STACK_DATA_DIRECTORY, 'stack-ports.json');

function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0 && (value as number) < 65536;
}

/** The kept ports, or undefined when none are kept (or the file does not hold them). */
function readKept(file: string): FileServerPorts | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // A half-written or hand-edited file: choose again (URLs stored under it cannot be known anyway).
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  const ports = parsed as Partial<FileServerPorts> | null;
  return ports && isPort(ports.files) && isPort(ports.albumArt) ? { files: ports.files, albumArt: ports.albumArt } : undefined;
}

export function forgetFileServerPorts(file = STACK_PORTS_FILE): void {
  rmSync(file, { force: true });
}

export interface PortChoice {
  ports?: FileServerPorts;
  /** One line saying why the stack cannot start, when it cannot. */
  problem?: string;
}

/**
 * The file servers' ports for this start: the kept ones, else new ones (`BLOB_PORT` for the files'
 * server when set), recorded before anything stores a URL with them.
 */
export async function fileServerPorts(options: { apiPort: number; blobPort?: number; file?: string }): Promise<PortChoice> {
  const file = options.file ?? STACK_PORTS_FILE;
  const kept = readKept(file);
  if (kept) {
    if (options.blobPort !== undefined && options.blobPort !== kept.files) {
      return {
        problem: `BLOB_PORT=${options.blobPort}, but the stored files' URLs name port ${kept.files} (kept in ${file}); unset BLOB_PORT, or start empty on new ports: npm start -- --fresh`,
      };
    }
    for (const [name, port] of [
      ['stored files', kept.files],
      ['album art', kept.albumArt],
    ] as const) {
      if (!(await portIsFree(port))) {
        return {
          problem: `Port ${port} (the ${name} server, kept in ${file} so that stored URLs keep working) is already in use by another program; stop it, or start empty on new ports: npm start -- --fresh`,
        };
      }
    }
    return { ports: kept };
  }
  const derived = async (port: number): Promise<number> => (port < 65536 && (await portIsFree(port)) ? port : freePort());
  const files = options.blobPort ?? (await derived(options.apiPort + 1));
  let albumArt = await derived(options.apiPort + 2);
  if (albumArt === files) albumArt = await freePort();
  const ports = { files, albumArt };
  writeFileSync(file, `${JSON.stringify(ports, null, 2)}\n`);
  return { ports };
}
