// Renders docs/errors.md from the error catalog: `npm run docs:errors`.
// test/errors/catalog.test.ts fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderErrorsDoc } from '../src/errors/render-doc.js';

const target = fileURLToPath(new URL('../docs/errors.md', import.meta.url));
writeFileSync(target, renderErrorsDoc());
console.log(`wrote ${target}`);
