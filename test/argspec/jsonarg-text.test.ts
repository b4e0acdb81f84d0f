import { expect } from 'chai';
import { checkTypeJsonarg } from '../../src/argspec/types.js';
import { UnsafeText } from '../../src/template/index.js';

describe('argspec: jsonarg of unsafe text', () => {
  // A local module gets templated args with unsafe text still boxed; json.dumps writes it as the str it is.
  it('writes unsafe text inside a dict as a JSON string', () => {
    expect(checkTypeJsonarg({ a: new UnsafeText('x'), b: [new UnsafeText('é')] })).to.equal('{"a": "x", "b": ["\\u00e9"]}');
  });
});
