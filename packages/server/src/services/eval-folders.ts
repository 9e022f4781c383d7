import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseStoreUrl } from '@reins/store';

/**
 * Where API eval runs find datasets and keep uploads: `datasets/` beside the prompts folder (the
 * project's layout), and uploads beside the SQLite file (`data/eval-uploads`), or in the temp
 * folder for an in-memory store; `./data/eval-uploads` with PostgreSQL.
 *
 * @example
 * evalFolders({ promptsDir: './prompts', databaseUrl: 'sqlite:./data/reins.db' })
 * // { datasetsDir: '/app/datasets', uploadsDir: '/app/data/eval-uploads' }
 */
export function evalFolders(config: { promptsDir: string; databaseUrl: string }): {
  datasetsDir: string;
  uploadsDir: string;
} {
  const datasetsDir = join(dirname(resolve(config.promptsDir)), 'datasets');
  const location = parseStoreUrl(config.databaseUrl);
  const uploadsDir =
    location.dialect === 'sqlite'
      ? location.path === ':memory:'
        ? join(tmpdir(), 'reins-eval-uploads')
        : join(dirname(resolve(location.path)), 'eval-uploads')
      : resolve('data', 'eval-uploads');
  return { datasetsDir, uploadsDir };
}
