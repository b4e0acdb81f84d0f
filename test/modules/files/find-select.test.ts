import { expect } from 'chai';
import type { FoundEntry } from '../../../src/facts/find-tree.js';
import { walkOrder } from '../../../src/modules/files/find-select.js';

const entry = (rel: string, type: string, targetType = type): FoundEntry => ({
  rel, type, targetType, depth: rel.split('/').length, mode: '0644', uid: 0, gid: 0, owner: 'root', group: 'root',
  size: 0, inode: 0, dev: 0, nlink: 1, atime: 0, mtime: 0, ctime: 0,
});

describe('find: os.walk order from find\'s pre-order listing', () => {
  // find prints a directory's subtree right after it; os.walk lists a directory's files, then its
  // subdirectories (a link to a directory among them), then walks each subdirectory in turn
  const listing = [entry('d1', 'd'), entry('d1/x', 'f'), entry('d1/d2', 'd'), entry('d1/d2/y', 'f'), entry('f1', 'f'), entry('ln', 'l', 'd'), entry('d1/z', 'f'), entry('f2', 'f')];
  const cases: [string, boolean, string[]][] = [
    ['links to directories are listed, not walked', false, ['f1', 'f2', 'd1', 'ln', 'd1/x', 'd1/z', 'd1/d2', 'd1/d2/y']],
    ['with follow a link to a directory is walked', true, ['f1', 'f2', 'd1', 'ln', 'd1/x', 'd1/z', 'd1/d2', 'd1/d2/y']],
  ];
  for (const [name, follow, want] of cases) {
    it(name, () => expect(walkOrder(listing, follow).map((e) => e.rel)).to.deep.equal(want));
  }
  it('with follow the entries under a linked directory come after its siblings\' walk', () => {
    const l = [entry('ln', 'l', 'd'), entry('ln/a', 'f'), entry('d', 'd'), entry('d/b', 'f')];
    expect(walkOrder(l, true).map((e) => e.rel)).to.deep.equal(['ln', 'd', 'ln/a', 'd/b']);
    expect(walkOrder(l, false).map((e) => e.rel)).to.deep.equal(['ln', 'd', 'd/b']);
  });
});
