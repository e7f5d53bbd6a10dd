/**
 * `npm run bench [-- name…]`: runs every test/bench/*.bench.ts (or the named ones), prints a table and
 * writes the figures to test/bench/results.json. Benchmarks report; they do not pass or fail. A run of some
 * benches updates their figures in results.json and keeps the others, so a partial run never erases them.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, Figures } from '../test/bench/figures.js';

const benchDir = fileURLToPath(new URL('../test/bench/', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

const all: Figures = {};
for (const file of files) {
  const module = (await import(pathToFileURL(benchDir + file).href)) as { default: Bench };
  process.stderr.write(`bench ${file} …\n`);
  Object.assign(all, await module.default());
}

const width = Math.max(10, ...Object.keys(all).map((id) => id.length));
process.stdout.write(`${'figure'.padEnd(width)}  ${'value'.padStart(12)}  unit\n`);
for (const [id, figure] of Object.entries(all)) {
  process.stdout.write(`${id.padEnd(width)}  ${String(figure.value).padStart(12)}  ${figure.unit}\n`);
}
const resultsFile = benchDir + 'results.json';
const earlier = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Figures) : {};
const merged = Object.fromEntries(Object.entries({ ...earlier, ...all }).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(resultsFile, `${JSON.stringify(merged, null, 2)}\n`);
process.stdout.write(`\nwritten to test/bench/results.json\n`);
