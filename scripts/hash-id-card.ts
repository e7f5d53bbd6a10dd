/**
 * Makes the `idCardHash` of a staff account (刷身份证登录, issue 12): HMAC-SHA256 of the staff member's ID number
 * under the deployment's card key (`staffCardKey` in the kiosk configuration). The ID number is read from standard
 * input and the key from the file named by STAFF_CARD_KEY_FILE, so neither reaches the shell history or the
 * process list:
 *   printf '%s' 370902198706052112 | STAFF_CARD_KEY_FILE=/etc/taian/staff-card.key npx tsx scripts/hash-id-card.ts
 * The number must be a valid GB 11643 number (check character and birth date); exit code 2 otherwise.
 */
import { readFileSync } from 'node:fs';
import { isValidIdNumber, normaliseIdNumber } from '../contract/validators/gb11643.js';
import { hashIdCard } from '../host/services/staff-auth.js';

async function main(): Promise<void> {
  const keyFile = process.env.STAFF_CARD_KEY_FILE;
  if (!keyFile) {
    process.stderr.write('STAFF_CARD_KEY_FILE must name the file holding staffCardKey\n');
    process.exit(2);
  }
  const key = readFileSync(keyFile, 'utf8').trim();
  if (key.length < 16) {
    process.stderr.write('the card key must be at least 16 characters\n');
    process.exit(2);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const idNumber = normaliseIdNumber(Buffer.concat(chunks).toString('utf8').trim());
  if (!isValidIdNumber(idNumber)) {
    process.stderr.write('not a valid 18-character ID number (GB 11643)\n');
    process.exit(2);
  }
  process.stdout.write(`${hashIdCard(idNumber, key)}\n`);
}

void main();
