// A process that writes one large outbound file and is killed by the writer test mid-way:
//   node --import tsx test/transports/folder/writer-child.ts <folder> <name> <megabytes>
// Prints "writing" just before the write and "done <name>" after it.
import { writeFileExclusive } from '../../../src/transports/folder/writer.js';

const [folder, name, megabytes] = process.argv.slice(2);
if (!folder || !name || !megabytes) {
  process.stderr.write('usage: writer-child.ts <folder> <name> <megabytes>\n');
  process.exit(64);
}
const bytes = Buffer.alloc(Number(megabytes) * 1024 * 1024, 0x41);
process.stdout.write('writing\n');
const result = await writeFileExclusive(folder, name, bytes);
process.stdout.write(`done ${result.name}\n`);
