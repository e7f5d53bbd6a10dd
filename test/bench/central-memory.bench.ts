import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CENTRAL_PATHS } from '../../contract/central/api.js';
import { startFuzzedCentral } from '../support/fuzz-targets.js';
import { round, type Figures } from './figures.js';

/**
 * Memory central spends on bodies it should not hold (issue 11, kind 2): 100 connections at once each
 * sending an 11 MB body, unsigned (answered 401 from the headers, never buffered) and signed (held within
 * the 64 MiB budget shared by requests in flight). Figures: the growth of central's resident set (peak
 * VmHWM minus the RSS before), in MB. Before the fix, the unsigned case took central from 116 MB to 1.16 GB.
 */
const BODY_BYTES = 11 * 1024 * 1024;
const CONNECTIONS = 100;

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { rssMb: field('VmRSS'), peakMb: field('VmHWM') };
}

/** Sends headers and the whole body (as fast as the server takes it); resolves when the server answers or closes. */
function push(port: number, head: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    let sent = 0;
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', done);
    const pump = () => {
      while (sent < BODY_BYTES) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
    setTimeout(done, 30_000);
  });
}

export default async function bench(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'taian-central-memory-'));
  const central = await startFuzzedCentral(join(dir, 'central'));
  try {
    const pid = central.process.pid ?? 0;
    const port = central.target.port;
    const before = memoryOf(pid).rssMb;
    const unsigned = `POST ${CENTRAL_PATHS.applications} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${BODY_BYTES}\r\n\r\n`;
    await Promise.all(Array.from({ length: CONNECTIONS }, () => push(port, unsigned)));
    const afterUnsigned = memoryOf(pid).peakMb;
    const signedHeaders = (index: number) => {
      // Signed for a body of BODY_BYTES 'x': the digest is of what is sent, so the signature holds.
      const headers = central.target.sign?.('POST', CENTRAL_PATHS.applications, 'x'.repeat(BODY_BYTES)) ?? {};
      return `POST ${CENTRAL_PATHS.applications} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${BODY_BYTES}\r\nIdempotency-Key: memory-bench-${index}-key\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
    };
    const heads = Array.from({ length: CONNECTIONS }, (_, index) => signedHeaders(index));
    await Promise.all(heads.map((head) => push(port, head)));
    const afterSigned = memoryOf(pid).peakMb;
    return {
      'central.memory.rss_before_mb': { value: round(before, 1), unit: 'MB' },
      'central.memory.unsigned_100x11mb_growth_mb': { value: round(afterUnsigned - before, 1), unit: 'MB' },
      'central.memory.signed_100x11mb_growth_mb': { value: round(afterSigned - before, 1), unit: 'MB' },
    };
  } finally {
    await central.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
