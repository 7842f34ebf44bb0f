#!/usr/bin/env node
// Lists the license of every production dependency (direct and transitive) and fails when one is not
// on the permissive allow-list: Footfall runs as a network service and ships in a container image, so
// copyleft licenses (AGPL above all; ua-parser-js 2.x is why this exists) must never slip in.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ALLOWED = new Set([
  'MIT',
  'MIT-0',
  'ISC',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Unlicense',
  'Python-2.0',
]);

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const listing = execFileSync(npm, ['ls', '--omit=dev', '--all', '--parseable'], {
  cwd: root,
  encoding: 'utf8',
});
const dirs = [...new Set(listing.split('\n').filter((line) => line.includes('node_modules')))];

/** True when an SPDX expression is satisfied by allowed licenses (OR: any side; AND: both sides). */
function permitted(expression) {
  const text = expression.trim().replace(/^\((.*)\)$/, '$1');
  if (/ OR /i.test(text)) return text.split(/ OR /i).some(permitted);
  if (/ AND /i.test(text)) return text.split(/ AND /i).every(permitted);
  return ALLOWED.has(text);
}

function licenseOf(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license.type === 'string') return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type ?? l).join(' OR ');
  return 'UNKNOWN';
}

const rows = [];
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const license = licenseOf(pkg);
  rows.push({ name: `${pkg.name}@${pkg.version}`, license, ok: permitted(license) });
}
rows.sort((a, b) => a.name.localeCompare(b.name));
const width = Math.max(...rows.map((r) => r.name.length));
for (const row of rows) console.log(`${row.ok ? ' ' : '✗'} ${row.name.padEnd(width)}  ${row.license}`);
const bad = rows.filter((r) => !r.ok);
console.log(`\n${rows.length} production packages, ${bad.length} not on the allow-list`);
if (bad.length > 0) {
  console.error(
    `non-permissive or unknown licenses: ${bad.map((r) => `${r.name} (${r.license})`).join(', ')}`,
  );
  process.exit(1);
}
