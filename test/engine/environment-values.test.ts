import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

describe('engine: environment values', () => {
  // ansible-playbook prints ["PV_DICT={'k': 'v'}", 'PV_FLOAT=1e-07', 'PV_NONE=None', "PV_LIST=[1, 'a', True]"]
  // for this play: the shell plugin's env_prefix writes str(value).
  it("non-string values are passed as Python's str() of them", async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: /usr/bin/env
      environment: { PV_LIST: [1, 'a', true], PV_NONE: null, PV_FLOAT: 1.0e-7, PV_DICT: {k: v} }
      register: r
    - name: show
      debug: msg="{{ r.stdout_lines | select('match', 'PV_') | sort | join('|') }}"
`,
    });
    expect(r.results('show')[0].msg).to.equal("PV_DICT={'k': 'v'}|PV_FLOAT=1e-07|PV_LIST=[1, 'a', True]|PV_NONE=None");
  });
});
