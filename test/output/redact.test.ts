import { expect } from 'chai';
import { collectSecrets, redact, redactValues, REDACTED } from '../../src/output/redact.js';

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

  it('collects every leaf under a secret-named key: lists, maps, numbers; never booleans or flag words', () => {
    const secrets = collectSecrets({
      db_passwords: ['alpha-1', 'beta-2'],
      api_token: { primary: 'tok-aaa', ttl: 3600 },
      users: [{ name: 'bob', password: 'bob-pw' }],
      token_enabled: true,
      use_password: 'yes',
      empty_secret: '',
    });
    expect([...secrets].sort()).to.deep.equal(['3600', 'alpha-1', 'beta-2', 'bob-pw', 'tok-aaa']);
  });

  it('masks values only, leaving keys (host names in the recap) alone', () => {
    const secrets = new Set(['s3cret-pw']);
    expect(redactValues({ password_host: { msg: 'x s3cret-pw y' } }, secrets)).to.deep.equal({ password_host: { msg: `x ${REDACTED} y` } });
  });
});
