import { factIdentity, type FactRequest } from './request.js';
import { fileStat } from './file-stat.js';

interface FileContentArgs {
  path: string;
  /** Larger files are reported as too_large without content. Default 1 MiB. */
  maxBytes?: number;
  become?: boolean;
}

interface FileContent {
  exists: boolean;
  /** UTF-8 text of a readable regular file within maxBytes. */
  text?: string;
  base64?: string;
  too_large?: boolean;
  readable?: boolean;
  /** Set when the path exists but is not a regular file (directory, device, ...). */
  type?: string;
}

/** A file's content (following symlinks), for modules that need to read a remote config. */
export function fileContent(a: FileContentArgs): FactRequest<FileContent> {
  const maxBytes = a.maxBytes ?? 1024 * 1024;
  const inner = fileStat({ path: a.path, follow: true, contentMaxBytes: maxBytes, become: a.become });
  return {
    ...factIdentity('file_content', { path: a.path, maxBytes, become: !!a.become }),
    command: inner.command,
    become: inner.become,
    parse(r) {
      const st = inner.parse(r);
      if (!st.exists) return { exists: false };
      if (st.type !== 'file') return { exists: true, type: st.type, readable: st.readable };
      if (st.content_too_large) return { exists: true, too_large: true, readable: st.readable };
      if (st.content === undefined) return { exists: true, readable: false };
      return { exists: true, readable: true, base64: st.content, text: Buffer.from(st.content, 'base64').toString('utf8') };
    },
  };
}
