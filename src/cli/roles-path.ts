import { ansiblePath, ansibleSetting, processSources, type ConfigSources } from './ansible-cfg.js';

/** Ansible 2.14's DEFAULT_ROLES_PATH when neither ANSIBLE_ROLES_PATH nor ansible.cfg sets one. */
const DEFAULT_ROLES_PATH = '~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles';

/**
 * The configured role directories (DEFAULT_ROLES_PATH, a `pathspec`): ANSIBLE_ROLES_PATH, else
 * ansible.cfg [defaults] roles_path, else Ansible's default; ':'-separated, ~ and $VARS
 * expanded, relative entries from the working directory (environment) or the config file.
 */
export function configuredRolesPath(src: ConfigSources = processSources()): string[] {
  const setting = ansibleSetting({ env: 'ANSIBLE_ROLES_PATH', section: 'defaults', key: 'roles_path' }, src) ?? { value: DEFAULT_ROLES_PATH, baseDir: src.cwd };
  return setting.value
    .split(':')
    .filter((p) => p !== '')
    .map((p) => ansiblePath(p, setting.baseDir, src));
}
