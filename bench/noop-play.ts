/** The converged 10-task play of bench/noop.ts, shared with bench/startup.ts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PLAY = `- name: converged noop
  hosts: all
  gather_facts: true
  tasks:
${Array.from({ length: 4 }, (_, i) => `    - name: config ${i}
      copy: { content: "setting_${i}: true\\n", dest: /etc/noop-${i}.yaml, mode: "0644" }`).join('\n')}
    - name: directory
      file: { path: /var/lib/noop, state: directory, mode: "0755" }
    - name: line
      lineinfile: { path: /etc/noop-line.conf, line: "extra: 1", create: true }
    - name: template
      template: { src: noop.j2, dest: /etc/noop-t.conf }
    - name: stat
      stat: { path: /etc/hostname }
      register: st
    - name: assert
      assert: { that: [st.stat.exists] }
    - name: link
      file: { src: /etc/noop-1.yaml, dest: /etc/noop-link.yaml, state: link }
`;

/** Writes play.yml (10 tasks, gather_facts on) and its template into dir; returns the playbook path. */
export function writeNoopPlay(dir: string): string {
  writeFileSync(join(dir, 'play.yml'), PLAY);
  writeFileSync(join(dir, 'noop.j2'), 'host={{ inventory_hostname }}\n');
  return join(dir, 'play.yml');
}
