/**
 * Makes a `pinHash` for a staff account in the kiosk configuration (`staff: [{ number, name, role, pinHash }]`).
 * The PIN is read from standard input, so it stays out of the shell history and the process list:
 *   printf '%s' 246810 | npx tsx scripts/hash-pin.ts
 */
import { StaffPin } from '../contract/staff.js';
import { hashPin } from '../host/services/staff-auth.js';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const pin = Buffer.concat(chunks).toString('utf8').trim();
  if (!StaffPin.safeParse(pin).success) {
    process.stderr.write('PIN must be 4 to 12 digits\n');
    process.exit(2);
  }
  process.stdout.write(`${await hashPin(pin)}\n`);
}

void main();
