import { expect } from 'chai';
import { collectSecrets, redact, REDACTED } from '../../src/output/redact.js';

describe('redaction', () => {
  it('masks secret-named keys at any depth and known secret values anywhere', () => {
    const vars = { ansible_become_password: 'hunter22', db: { api_token: 'tok-123' }, name: 'web' };
    const secrets = collectSecrets(vars);
    expect([...secrets].sort()).to.deep.equal(['hunter22', 'tok-123']);
    const out = redact(
      { cmd: 'echo hunter22 | sudo -S true', nested: { password: 'x' }, list: ['tok-123'], name: 'web' },
      secrets,
    );
    expect(out).to.deep.equal({
      cmd: `echo ${REDACTED} | sudo -S true`,
      nested: { password: REDACTED },
      list: [REDACTED],
      name: 'web',
    });
  });

  it('leaves values alone when nothing is secret', () => {
    const v = { a: 1, b: ['x'], c: { d: null } };
    expect(redact(v)).to.deep.equal(v);
  });
});
