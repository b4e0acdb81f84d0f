import { dirname, join, parse, resolve } from 'node:path';
import { boolean } from '../python/boolean.js';
import { ansiblePath, ansibleSetting, processSources, type ConfigSources } from './ansible-cfg.js';

/**
 * Where a failed run lists its failed and unreachable hosts, as Ansible 2.14: nowhere unless
 * retry_files_enabled (ANSIBLE_RETRY_FILES_ENABLED or ansible.cfg [defaults]) is true; then
 * `<playbook name>.retry` in retry_files_save_path, or beside the playbook.
 */
export function retryFilePath(playbookFile: string, src: ConfigSources = processSources()): string | undefined {
  const enabled = ansibleSetting({ env: 'ANSIBLE_RETRY_FILES_ENABLED', section: 'defaults', key: 'retry_files_enabled' }, src);
  if (!enabled || !boolean(enabled.value, false)) return undefined;
  const saveTo = ansibleSetting({ env: 'ANSIBLE_RETRY_FILES_SAVE_PATH', section: 'defaults', key: 'retry_files_save_path' }, src);
  const dir = saveTo ? ansiblePath(saveTo.value, saveTo.baseDir, src) : dirname(resolve(src.cwd, playbookFile));
  return join(dir, `${parse(playbookFile).name}.retry`);
}
