/**
 * ClamAV's clamd over its INSTREAM command, on TCP (`tcp://host:port`) or a Unix socket
 * (`unix:/path`): the bytes go in length-prefixed chunks, a zero-length chunk ends them, and clamd
 * answers `stream: OK` or `stream: <signature> FOUND`.
 */
import net from 'node:net';
import { ScannerUnavailableError, type ScanResult, type VirusScanner } from '../../domain/ports/virus-scanner.js';

const CHUNK = 64 * 1024;

function connectOptions(address: string): net.NetConnectOpts {
  if (address.startsWith('unix:')) return { path: address.slice('unix:'.length) };
  const url = new URL(address);
  return { host: url.hostname, port: Number(url.port) };
}

export function parseClamdReply(reply: string): ScanResult {
  const text = reply.replace(/\0/g, '').trim();
  if (/^stream: OK$/.test(text)) return { clean: true };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) return { clean: false, signature: found[1]! };
  throw new ScannerUnavailableError(`clamd answered: ${text.slice(0, 200)}`);
}

export class ClamdScanner implements VirusScanner {
  constructor(
    private readonly address: string,
    private readonly timeoutMs: number,
  ) {}

  scan(bytes: Buffer): Promise<ScanResult> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(connectOptions(this.address));
      const replies: Buffer[] = [];
      let settled = false;
      const finish = (outcome: () => ScanResult): void => {
        if (settled) return;
        settled = true;
        socket.destroy();
        try {
          resolve(outcome());
        } catch (error) {
          reject(error);
        }
      };
      const fail = (message: string): void => {
        if (settled) return;
        settled = true;
        socket.destroy();
        reject(new ScannerUnavailableError(message));
      };
      socket.setTimeout(this.timeoutMs, () => fail(`clamd at ${this.address} did not answer within ${this.timeoutMs} ms`));
      socket.on('error', (error: NodeJS.ErrnoException) => fail(`clamd at ${this.address} is unreachable: ${error.code ?? error.message}`));
      socket.on('data', (chunk: Buffer) => {
        replies.push(chunk);
        if (chunk.includes(0)) finish(() => parseClamdReply(Buffer.concat(replies).toString('utf8')));
      });
      socket.on('end', () => finish(() => parseClamdReply(Buffer.concat(replies).toString('utf8'))));
      socket.once('connect', () => {
        socket.write('zINSTREAM\0');
        for (let offset = 0; offset < bytes.length; offset += CHUNK) {
          const chunk = bytes.subarray(offset, offset + CHUNK);
          const length = Buffer.alloc(4);
          length.writeUInt32BE(chunk.length);
          socket.write(length);
          socket.write(chunk);
        }
        socket.write(Buffer.alloc(4));
      });
    });
  }
}
