/** -b/--become as ansible-playbook's: become for every play and task that does not say otherwise. */
import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: plain
      command: "true"
    - name: task says no
      command: "true"
      become: false
- hosts: all
  gather_facts: false
  become: false
  tasks:
    - name: play says no
      command: "true"
`;

async function becomeOf(become?: boolean): Promise<Record<string, boolean | undefined>> {
  const r = await runLocal({ 'inventory.ini': '[all]\na\n', 'playbook.yml': PLAYBOOK }, { become });
  const commands = r.provider.opened.flatMap((c) => c.commands).filter((c) => c.command === 'true');
  return { plain: commands[0]?.become, taskSaysNo: commands[1]?.become, playSaysNo: commands[2]?.become };
}

describe('engine: -b/--become', () => {
  it('without -b nothing becomes', async () => {
    expect(await becomeOf()).to.deep.equal({ plain: false, taskSaysNo: false, playSaysNo: false });
  });

  it('-b becomes wherever the play and the task do not say otherwise', async () => {
    expect(await becomeOf(true)).to.deep.equal({ plain: true, taskSaysNo: false, playSaysNo: false });
  });
});
