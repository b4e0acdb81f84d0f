/** The file module's arguments (file.ts plans them; links.ts too). */
export type FileState = 'file' | 'directory' | 'absent' | 'link' | 'hard' | 'touch';

export type FileArgs = {
  path: string;
  state?: FileState;
  src?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  recurse?: boolean;
  force?: boolean;
  follow?: boolean;
  modification_time?: string;
  access_time?: string;
}
