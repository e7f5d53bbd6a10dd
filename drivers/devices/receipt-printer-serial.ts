import { SerialPort } from 'serialport';
import type { ByteDuplex } from './printer-types.js';

/**
 * A serial port (or pty) as a ByteDuplex for the receipt printer and its simulator. Stand-in until
 * drivers/transports/ provides the shared serial transport; it keeps only what ByteDuplex promises.
 * Receipt printers ship at 9600 or 115200 8N1; the baud rate comes from configuration.
 */
export async function openSerialByteDuplex(path: string, baudRate = 115_200): Promise<ByteDuplex> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let open = true;
  port.on('close', () => {
    open = false;
  });
  // An 'error' event without a listener would crash the host; failures surface through write() instead.
  port.on('error', () => {
    open = false;
  });
  return {
    async write(bytes: Uint8Array): Promise<void> {
      if (!open) throw Object.assign(new Error('serial port closed'), { disconnected: true });
      await new Promise<void>((resolve, reject) => {
        port.write(Buffer.from(bytes), (error) => {
          if (error) reject(error);
          else port.drain((drainError) => (drainError ? reject(drainError) : resolve()));
        });
      });
    },
    onData(listener: (bytes: Uint8Array) => void): () => void {
      const handler = (chunk: Buffer): void => listener(new Uint8Array(chunk));
      port.on('data', handler);
      return () => port.off('data', handler);
    },
    async close(): Promise<void> {
      if (!port.isOpen) return;
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}
