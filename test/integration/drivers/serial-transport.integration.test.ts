import { afterEach, describe, expect, it } from 'vitest';
import { LineScanner } from '../../../drivers/devices/scanner.js';
import { ScannerSimulator } from '../../../drivers/simulators/scanner-simulator.js';
import { SerialTransport } from '../../../drivers/transports/serial-transport.js';
import { describeTransportContract } from '../../unit/drivers/transport-contract.js';
import { SocatPair, until } from './socat.js';

describeTransportContract('serial on a pty', async () => {
  const pair = new SocatPair();
  await pair.start();
  const peer = new SerialTransport({ path: pair.b, baudRate: 115200 });
  await peer.open();
  const received: number[] = [];
  peer.on('data', (bytes) => received.push(...bytes));
  return {
    transport: new SerialTransport({ path: pair.a, baudRate: 115200 }),
    peerSend: (bytes) => peer.write(bytes),
    peerReceived: () => Uint8Array.from(received),
    unplug: () => pair.kill(),
    dispose: async () => {
      await peer.close();
      await pair.dispose();
    },
  };
});

describe('LineScanner on a pty', () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  it('delivers scans, notices the unplug and recovers on the same path', async () => {
    const pair = new SocatPair();
    await pair.start();
    cleanup.push(() => pair.dispose());
    const simulator = new ScannerSimulator({ baudRate: 9600 });
    const attach = async (): Promise<SerialTransport> => {
      const far = new SerialTransport({ path: pair.b, baudRate: 9600 });
      await far.open();
      simulator.attach(far);
      return far;
    };
    let far = await attach();
    cleanup.push(() => far.close());
    const scanner = new LineScanner({ transport: () => new SerialTransport({ path: pair.a, baudRate: 9600, watchIntervalMs: 100 }), reconnectInitialMs: 50, reconnectMaxMs: 200 });
    cleanup.push(() => scanner.stop());
    const scans: string[] = [];
    scanner.on('scan', ({ text }) => scans.push(text));
    await scanner.start();
    expect(scanner.status().state).toBe('online');
    simulator.scan('370902-e-licence-0001');
    await until(() => scans.length === 1);

    await far.close();
    await pair.kill();
    await until(() => scanner.status().state === 'noDevice');
    await pair.start();
    far = await attach();
    await until(() => scanner.status().state === 'online');
    simulator.scan('after-replug');
    await until(() => scans.length === 2);
    expect(scans).toEqual(['370902-e-licence-0001', 'after-replug']);
  });
});
