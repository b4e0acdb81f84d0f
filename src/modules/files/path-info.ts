/**
 * The path keys AnsibleModule.exit_json adds for a `dest` (add_path_info): printed by a script on
 * the host with PATH_INFO_LINES, read back from its key=value output by pathInfo.
 */
export const PATH_INFO_LINES = "stat -c 'uid=%u gid=%g owner=%U group=%G mode=%a size=%s' -- \"$dest\" | tr ' ' '\\n'";

export interface PathInfo {
  gid: number;
  group: string;
  mode: string;
  owner: string;
  size: number;
  state: 'file' | 'directory';
  uid: number;
}

export function pathInfo(kv: Record<string, string>, state: PathInfo['state']): PathInfo {
  return { gid: Number(kv.gid), group: kv.group, mode: (kv.mode ?? '').padStart(4, '0'), owner: kv.owner, size: Number(kv.size), state, uid: Number(kv.uid) };
}
