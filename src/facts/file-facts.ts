import type { FactFactory } from './request.js';
import { fileContent } from './file-content.js';
import { fileStat } from './file-stat.js';
import { findTree } from './find-tree.js';
import { pathExists } from './path-exists.js';
import { setupFacts } from './setup.js';
import { treeAttrsDiffer } from './tree-attrs.js';

export const fileFacts: Record<string, FactFactory> = {
  file_stat: fileStat,
  file_content: fileContent,
  path_exists: pathExists,
  setup: setupFacts,
  tree_attrs_differ: treeAttrsDiffer,
  find_tree: findTree,
};
