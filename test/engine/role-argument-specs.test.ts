/**
 * Role argument specs (meta/argument_specs.yml): the validation task Ansible puts before the
 * role's tasks, for the entry point used. Names and messages recorded from ansible-playbook 2.14.
 */
import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

const ROLE = {
  'inventory.ini': '[all]\na\n',
  'roles/svc/meta/argument_specs.yml': `argument_specs:
  main:
    short_description: Install the service
    options:
      svc_port:
        type: int
        required: true
      svc_mode:
        type: str
        choices: [fast, safe]
        default: safe
  extra:
    options:
      svc_name:
        type: str
        required: true
`,
  'roles/svc/defaults/main.yml': 'svc_mode: safe\n',
  'roles/svc/tasks/main.yml': '- name: main task\n  debug: msg="port {{ svc_port }} {{ svc_mode }}"\n',
  'roles/svc/tasks/extra.yml': '- name: extra task\n  debug: msg="{{ svc_name }}"\n',
};

const play = (roleEntry: string) => `- hosts: all\n  gather_facts: false\n  roles:\n    - ${roleEntry}\n`;

describe('engine: role argument specs (as ansible-core 2.14)', () => {
  it("main: 'Validating arguments against arg spec' runs first, role parameters converted and accepted", async () => {
    const r = await runLocal({ ...ROLE, 'playbook.yml': play('{ role: svc, svc_port: "8080" }') });
    const [check] = r.results("svc : Validating arguments against arg spec 'main' - Install the service");
    expect(check?.status).to.equal('ok');
    expect(check?.result?.msg).to.equal('The arg spec validation passed');
    expect(r.results('svc : main task')[0]!.msg).to.equal('port 8080 safe');
  });

  it("tasks_from: the entry point's own spec, checked against the variables in scope", async () => {
    const r = await runLocal({
      ...ROLE,
      'playbook.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - import_role:\n        name: svc\n        tasks_from: extra\n      vars:\n        svc_name: x\n',
    });
    expect(r.results("svc : Validating arguments against arg spec 'extra'")[0]?.status).to.equal('ok');
    expect(r.results('svc : extra task')[0]!.msg).to.equal('x');
  });

  for (const [entry, message] of [
    ['{ role: svc, svc_port: 1, svc_mode: slow }', 'Validation of arguments failed:\nvalue of svc_mode must be one of: fast, safe, got: slow'],
    ['svc', 'Validation of arguments failed:\nmissing required arguments: svc_port'],
  ] as const) {
    it(`${entry}: fails before the role's tasks with Ansible's message`, async () => {
      const r = await runLocal({ ...ROLE, 'playbook.yml': play(entry) });
      const [check] = r.results("svc : Validating arguments against arg spec 'main' - Install the service");
      expect(check?.status).to.equal('failed');
      expect(check?.result?.msg).to.equal(message);
      expect(r.results('svc : main task')).to.have.length(0);
    });
  }

  describe('suboptions (options of a dict and of a list of dicts)', () => {
    const NET = {
      'inventory.ini': '[all]\na\n',
      'roles/net/meta/argument_specs.yml': `argument_specs:
  main:
    options:
      net_listen:
        type: dict
        required: true
        options:
          address: {type: str, default: 0.0.0.0}
          port: {type: int, required: true}
      net_outputs:
        type: list
        elements: dict
        default: []
        options:
          name: {type: str, required: true}
          kind: {type: str, choices: [file, http], default: file}
`,
      'roles/net/tasks/main.yml': '- name: main task\n  debug: msg="{{ net_listen }} {{ net_outputs }}"\n',
    };
    const check = "net : Validating arguments against arg spec 'main'";

    it('valid nested values pass; the role sees its variables as given (no suboption defaults added)', async () => {
      const r = await runLocal({ ...NET, 'playbook.yml': play('{ role: net, net_listen: { port: "80" }, net_outputs: [{ name: a }] }') });
      expect(r.results(check)[0]?.status).to.equal('ok');
      expect(r.results('net : main task')[0]!.msg).to.equal("{'port': '80'} [{'name': 'a'}]");
    });

    for (const [entry, message] of [
      ['{ role: net, net_listen: { address: x } }', 'missing required arguments: port found in net_listen'],
      ['{ role: net, net_listen: { port: 1 }, net_outputs: [{ name: a }, { name: b, kind: syslog }] }', 'value of kind must be one of: file, http, got: syslog found in net_outputs'],
      ['{ role: net, net_listen: { port: 1, adress: x } }', 'net_listen.adress. Supported parameters include: address, port.'],
    ] as const) {
      it(`${entry}: ${message}`, async () => {
        const r = await runLocal({ ...NET, 'playbook.yml': play(entry) });
        const [result] = r.results(check);
        expect(result?.status).to.equal('failed');
        expect(result?.result?.msg).to.equal(`Validation of arguments failed:\n${message}`);
        expect(result?.result?.argument_errors).to.deep.equal([message]);
        expect(r.results('net : main task')).to.have.length(0);
      });
    }
  });

  it('validate_argument_spec written in a playbook: every error, in 2.14\'s order and words; variables named in the spec are checked, provided_arguments win', async () => {
    const task = (name: string, args: string, vars = '') =>
      `    - name: ${name}\n${vars}      validate_argument_spec:\n        argument_spec: { port: { type: int, required: true }, mode: { choices: [fast, slow], default: fast } }\n${args}      ignore_errors: true\n`;
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml':
        '- hosts: all\n  gather_facts: false\n  tasks:\n' +
        task('several', '        provided_arguments: { port: "{{ \'x\' }}", mode: medium, zz: 1, aa: 2 }\n        validate_args_context: { name: ctx }\n') +
        task('from vars', '', '      vars: { port: "{{ \'y\' }}" }\n') +
        task('provided wins', '        provided_arguments: { port: 9 }\n', '      vars: { port: "{{ \'y\' }}" }\n'),
    });
    // recorded from ansible-playbook 2.14 (the corpus case test/cases/compat/validate-argument-spec runs the same)
    const errors = [
      "argument 'port' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int",
      'value of mode must be one of: fast, slow, got: medium',
      'aa, zz. Supported parameters include: mode, port.',
    ];
    const [several] = r.results('several');
    expect(several?.status).to.equal('ignored');
    expect(several?.result).to.deep.include({ msg: `Validation of arguments failed:\n${errors.join('\n')}`, argument_errors: errors, validate_args_context: { name: 'ctx' } });
    expect(r.results('from vars')[0]?.result?.argument_errors).to.deep.equal([errors[0]]);
    expect(r.results('provided wins')[0]?.status).to.equal('ok');
  });
});
