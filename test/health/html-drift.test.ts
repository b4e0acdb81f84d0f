/** health --html with --playbook: the config drift section comes first, each drifted file and each unknown host with its reason (escaped). */
import { expect } from 'chai';
import { renderHtml } from '../../src/health/html.js';
import type { HostHealth } from '../../src/health/report.js';

const probe = { connectMs: 1, probeMs: 1, roundTrips: 1 };
const base = { playbook: 'site.yml', managed: 3 };
const hosts: HostHealth[] = [
  { host: 'web1', status: 'healthy', problems: [], probe, drift: { ...base, status: 'in-sync', files: [] } },
  {
    host: 'web2',
    status: 'degraded',
    problems: ['config drift: /etc/falco/falco.yaml differs'],
    probe,
    drift: { ...base, status: 'drifted', files: [{ path: '/etc/falco/falco.yaml', reason: 'differs', source: 'config.yml:34' }, { path: '/etc/falco/rules.d/x.yaml', reason: 'unmanaged' }] },
  },
  { host: 'web3', status: 'healthy', problems: [], probe, drift: { ...base, managed: 0, status: 'unknown', files: [], reason: 'needs <seen>' } },
];

describe('health HTML: config drift', () => {
  it('a drift section before the problems: every drifted file with its reason and writer, the unknown hosts with why', () => {
    const page = renderHtml(hosts, { windowMinutes: 15, generatedAt: new Date('2026-12-03T16:20:00Z') });
    expect(page.indexOf('<section id="drift"><h2>Config drift against site.yml</h2>')).to.be.within(0, page.indexOf('<section id="problems">'));
    expect(page).to.include('<tr data-host="web2" data-path="/etc/falco/falco.yaml"><td>web2</td><td>/etc/falco/falco.yaml</td><td>differs</td><td>config.yml:34</td></tr>');
    expect(page).to.include('<tr data-host="web2" data-path="/etc/falco/rules.d/x.yaml"><td>web2</td><td>/etc/falco/rules.d/x.yaml</td><td>unmanaged</td><td></td></tr>');
    expect(page).to.include('<li data-host="web3"><span class="host">web3</span>: needs &lt;seen&gt;</li>');
    expect(page).not.to.include('data-host="web1" data-path');
  });

  it('no drift section without --playbook', () => {
    const page = renderHtml(hosts.map(({ drift: _drift, ...h }) => h), { windowMinutes: 15, generatedAt: new Date() });
    expect(page).not.to.include('id="drift"');
  });
});
