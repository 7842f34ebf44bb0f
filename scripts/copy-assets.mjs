// tsc only emits JavaScript; the builtin Avro schemas travel next to the compiled modules that read them.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
for (const dir of ['schema']) {
  const from = path.join(root, 'src', dir);
  const to = path.join(root, 'dist', dir);
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from).filter((name) => name.endsWith('.avsc'))) {
    cpSync(path.join(from, file), path.join(to, file));
  }
}
