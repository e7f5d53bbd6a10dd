import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import boundaries of ARCHITECTURE.md are lint errors. These cases lint virtual files at real
 * paths with the project's own eslint.config.js, so a rule that stops working fails here.
 */
const cwd = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('import boundaries', () => {
  it.each([
    ['renderer/src/views/Bad.ts', "import { Outbox } from '../../../host/services/outbox.js';\nexport const x = Outbox;\n"],
    ['renderer/src/Bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['renderer/src/Bad.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['contract/bad.ts', "import { Outbox } from '../host/services/outbox.js';\nexport const x = Outbox;\n"],
    ['contract/bad.ts', "import { createHash } from 'node:crypto';\nexport const x = createHash;\n"],
    ['drivers/devices/bad.ts', "import { startHost } from '../../host/main.js';\nexport const x = startHost;\n"],
    ['host/services/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/bad.ts', "import { Outbox } from '../host/services/outbox.js';\nexport const x = Outbox;\n"],
    ['print-templates/bad.ts', "import { EscPosReceiptPrinter } from '../drivers/devices/receipt-printer.js';\nexport const x = EscPosReceiptPrinter;\n"],
    ['central/bad.ts', "import { Outbox } from '../host/services/outbox.js';\nexport const x = Outbox;\n"],
    ['host/services/bad.ts', "import { startCentralServer } from '../../central/server.js';\nexport const x = startCentralServer;\n"],
    ['drivers/devices/bad.ts', "import { openApiDocument } from '../../central/openapi.js';\nexport const x = openApiDocument;\n"],
    ['renderer/src/Bad.ts', "import { decide } from '../../central/approval.js';\nexport const x = decide;\n"],
    ['electron/bad.ts', "import { startCentralServer } from '../central/server.js';\nexport const x = startCentralServer;\n"],
    ['renderer/src/Bad.ts', "import { signRequest } from '../../contract/central/signing.js';\nexport const x = signRequest;\n"],
    ['renderer/src/Bad.ts', "import { sm3Hex } from '../../contract/central/sm3.js';\nexport const x = sm3Hex;\n"],
    ['contract/central/signing.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['contract/central/api.ts', "import { createHash } from 'node:crypto';\nexport const x = createHash;\n"],
    ['contract/central/api.ts', "import { decide } from '../../central/approval.js';\nexport const x = decide;\n"],
    ['consoles/src/Bad.ts', "import { openCentralStore } from '../../central/server.js';\nexport const x = openCentralStore;\n"],
    ['consoles/src/Bad.ts', "import { signRequest } from '../../contract/central/signing.js';\nexport const x = signRequest;\n"],
    ['consoles/src/Bad.ts', "import { kiosk } from '../../renderer/src/bridge/client.js';\nexport const x = kiosk;\n"],
    ['renderer/src/Bad.ts', "import { consoleApi } from '../../consoles/src/api.js';\nexport const x = consoleApi;\n"],
  ])('rejects a forbidden import in %s', async (filePath, code) => {
    const messages = await restrictedImports(filePath, code);
    expect(messages.length).toBe(1);
  });

  it.each([
    ['renderer/src/Good.ts', "import { channels } from '../../contract/channels.js';\nexport const x = channels;\n"],
    ['host/services/good.ts', "import { channels } from '../../contract/channels.js';\nimport { createHash } from 'node:crypto';\nexport const x = [channels, createHash];\n"],
    ['drivers/devices/good.ts', "import { IdentityCard } from '../../contract/domain.js';\nexport const x = IdentityCard;\n"],
    ['host/services/good.ts', "import { signRequest } from '../../contract/central/signing.js';\nexport const x = signRequest;\n"],
    ['renderer/src/Good.ts', "import { CaseRecord } from '../../contract/central/api.js';\nexport const x = CaseRecord;\n"],
    ['contract/central/signing.ts', "import { createHmac } from 'node:crypto';\nexport const x = createHmac;\n"],
    ['central/good.ts', "import { SubmitApplicationBody } from '../contract/central/api.js';\nexport const x = SubmitApplicationBody;\n"],
    ['consoles/src/Good.ts', "import { TerminalPage } from '../../contract/central/console.js';\nexport const x = TerminalPage;\n"],
  ])('allows a permitted import in %s', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toEqual([]);
  });
});
