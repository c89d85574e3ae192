// Temporary partners/ folders for the partner tests, and a valid partner file to vary.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A folder named `partners` (messages show partners/<file>) in a fresh temp dir, with these files. */
export async function partnersFolder(files: Record<string, string>): Promise<{ dir: string; root: string; write(name: string, text: string): Promise<void>; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'edi-partners-'));
  const dir = join(root, 'partners');
  await mkdir(dir);
  const write = (name: string, text: string) => writeFile(join(dir, name), text);
  for (const [name, text] of Object.entries(files)) await write(name, text);
  return { dir, root, write, remove: () => rm(root, { recursive: true, force: true }) };
}

export const GATEWAY_YAML = `
us:
  isa: { qualifier: ZZ, id: OURCOMPANY }
  gs: OURCOMPANY
defaults:
  mode: production
`;

export const FINGERPRINT = 'SHA256:RoE7Po0qycUCZ/5pAFYVQ+92ISwMFA8dYQl4W8cKsyc';

/** A valid SFTP partner file; `id` is its ISA id, `box` makes its folders unique. */
export function sftpYaml(id = 'ACMEBUYER', box = 'acme', extra = ''): string {
  return `
name: ${id} Inc
identity:
  isa: { qualifier: ZZ, id: ${id} }
  gs: ${id}
documents:
  inbound: ['850']
transport:
  type: sftp
  host: sftp.example
  username: ${box}
  hostKey: '${FINGERPRINT}'
  password: { env: ${box.toUpperCase()}_PASSWORD }
  inbound: { folder: /${box}/outbox }
  outbound: { folder: /${box}/inbox }
${extra}`;
}

/** A valid folder partner file. */
export function folderYaml(id: string, box: string, extra = ''): string {
  return `
identity: { isa: { qualifier: ZZ, id: ${id} }, gs: ${id} }
documents: { inbound: ['850', '856'] }
${extra}
transport:
  type: folder
  inbound: { folder: ${box}/in }
  outbound: { folder: ${box}/out }
`;
}
