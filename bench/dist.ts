// A frozen copy of dist/ for the whole bench run: a rebuild in the middle must not mix two versions.
import { createHash } from 'node:crypto';
import { copyFile, cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export interface DistFile {
  /** Relative to dist/, e.g. 'chunks/chunk-AB12.js'. */
  path: string;
  bytes: number;
}

export interface DistSnapshot {
  /** <tmp>/dist; action.yml sits beside it, so the runner double applies its input defaults. */
  dir: string;
  files: DistFile[];
  /** sha256 over every file's path and content, first 16 hex digits. */
  hash: string;
  cleanup(): Promise<void>;
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else if (entry.isFile()) out.push(relative(base, full));
  }
  return out.sort();
}

async function describe(dir: string): Promise<{ files: DistFile[]; hash: string }> {
  const hash = createHash('sha256');
  const files: DistFile[] = [];
  for (const path of await listFiles(dir)) {
    const content = await readFile(join(dir, path));
    hash.update(path).update('\0').update(content).update('\0');
    files.push({ path, bytes: (await stat(join(dir, path))).size });
  }
  return { files, hash: hash.digest('hex').slice(0, 16) };
}

export async function snapshotDist(repoRoot: string, log: (m: string) => void): Promise<DistSnapshot> {
  const source = join(repoRoot, 'dist');
  for (let attempt = 1; ; attempt += 1) {
    const root = await mkdtemp(join(tmpdir(), 'deploy-guard-bench-dist-'));
    const cleanup = () => rm(root, { recursive: true, force: true });
    try {
      const dir = join(root, 'dist');
      await cp(source, dir, { recursive: true });
      await copyFile(join(repoRoot, 'action.yml'), join(root, 'action.yml'));
      const copied = await describe(dir);
      const live = await describe(source);
      const names = copied.files.map((f) => f.path);
      if (copied.hash === live.hash && names.includes('index.js') && names.includes('post.js')) {
        return { dir, ...copied, cleanup };
      }
      throw new Error('dist/ changed while it was copied (a build is running?)');
    } catch (error) {
      await cleanup();
      if (attempt >= 5) throw new Error(`could not take a stable snapshot of dist/: ${(error as Error).message}`);
      log(`dist/ snapshot attempt ${attempt} failed (${(error as Error).message}); retrying in 3 s`);
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}
