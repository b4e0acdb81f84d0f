/**
 * --diff blocks without headers (hostname, timezone): `--- before` / `+++ after`, as ansible-playbook
 * 2.14's default callback printed them for `hostname`/`timezone` with --diff --check on a lite sandbox host.
 */
import { expect } from 'chai';
import { formatDiff } from '../../src/output/diff.js';
import { dictDiffText } from '../../src/modules/system/dict-diff.js';

describe('formatDiff without headers (recorded from ansible-playbook 2.14)', () => {
  it('a string diff (hostname): bare before/after labels', () => {
    const text = formatDiff({ path: 'hostname', before: 'hostname = systzdf-h1\n', after: 'hostname = web09\n', beforeHeader: '', afterHeader: '' });
    expect(text).to.equal('--- before\n+++ after\n@@ -1 +1 @@\n-hostname = systzdf-h1\n+hostname = web09\n\n');
  });

  it('a dict diff (timezone): sorted JSON with 4-space indent', () => {
    const text = formatDiff({ path: 'timezone', before: dictDiffText({ name: 'Etc/UTC' }), after: dictDiffText({ name: 'Asia/Tokyo' }), beforeHeader: '', afterHeader: '' });
    expect(text).to.equal('--- before\n+++ after\n@@ -1,3 +1,3 @@\n {\n-    "name": "Etc/UTC"\n+    "name": "Asia/Tokyo"\n }\n\n');
  });

  it('a header still reads before: NAME', () => {
    expect(formatDiff({ path: '/etc/x', before: 'a\n', after: 'b\n' })).to.match(/^--- before: \/etc\/x\n\+\+\+ after: \/etc\/x\n/);
  });
});
