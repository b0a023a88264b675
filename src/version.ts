import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** package.json of this package: one folder up from src/, two from dist/src/. */
function packageJson(): { version: string } {
  for (const relative of ['../package.json', '../../package.json']) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'tencentcloud-ocr-emulator') return pkg;
    }
  }
  return { version: '0.0.0' };
}

/** The emulator's version, from package.json. */
export const VERSION: string = packageJson().version;
