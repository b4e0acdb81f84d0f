import { expect } from 'chai';
import type { RunEvent } from '../../src/output/events.js';
import { StreamMerger } from '../../src/output/merge-streams.js';

const ORDER = ['a', 'b', 'c', 'd'];
const byOrder = (hosts: string[]) => [...hosts].sort((x, y) => ORDER.indexOf(x) - ORDER.indexOf(y));
const play = (hosts: string[]): RunEvent => ({ type: 'play_start', play: 'p', hosts });
const task = (name: string, hosts: string[]): RunEvent => ({ type: 'task_start', task: name, hosts });
const result = (name: string, host: string): RunEvent => ({ type: 'host_result', task: name, host, status: 'ok' });

/** One line per event: what a renderer would be handed. */
const line = (e: RunEvent) => {
  if (e.type === 'play_start' || e.type === 'task_start') return `${e.type === 'play_start' ? 'PLAY' : 'TASK'} ${e.type === 'play_start' ? e.play : e.task} [${e.hosts.join(',')}]`;
  if (e.type === 'host_result') return `  ${e.task}: ${e.host}`;
  return e.type;
};

function merger(workers: number) {
  const out: string[] = [];
  return { out, m: new StreamMerger(workers, (e) => out.push(line(e)), byOrder) };
}

describe('output: StreamMerger (one stream from --workers)', () => {
  it('one play header and one task header with every worker\'s hosts, in host order; results follow their task', () => {
    const { out, m } = merger(2);
    m.push(1, play(['b', 'd']));
    expect(out).to.deep.equal([]); // worker 0 has not started the play yet
    m.push(0, play(['a', 'c']));
    m.push(1, task('t1', ['b', 'd']));
    m.push(1, result('t1', 'd'));
    m.push(1, result('t1', 'b'));
    m.push(0, task('t1', ['a', 'c']));
    m.push(0, result('t1', 'a'));
    m.push(0, task('t2', ['a', 'c']));
    m.push(1, task('t2', ['b', 'd']));
    m.endPlay(0);
    m.endPlay(1);
    // results that waited for the header come in host order (b before d); later ones as they arrive (a)
    expect(out).to.deep.equal(['PLAY p [a,b,c,d]', 'TASK t1 [a,b,c,d]', '  t1: b', '  t1: d', '  t1: a', 'TASK t2 [a,b,c,d]']);
  });

  it('a task header waits for every worker (a late result still lands under its own task)', () => {
    const { out, m } = merger(2);
    m.push(0, play(['a']));
    m.push(1, play(['b']));
    m.push(0, task('t1', ['a']));
    m.push(0, result('t1', 'a'));
    m.push(0, task('t2', ['a']));
    expect(out).to.deep.equal(['PLAY p [a,b]']);
    m.push(1, task('t1', ['b']));
    m.push(1, result('t1', 'b'));
    expect(out.slice(1)).to.deep.equal(['TASK t1 [a,b]', '  t1: a', '  t1: b']);
    m.push(1, task('t2', ['b']));
    expect(out.at(-1)).to.equal('TASK t2 [a,b]');
  });

  it('a worker whose hosts all failed ends the play early: later tasks show the other workers\' hosts only', () => {
    const { out, m } = merger(2);
    m.push(0, play(['a']));
    m.push(1, play(['b']));
    m.push(0, task('t1', ['a']));
    m.push(1, task('t1', ['b']));
    m.endPlay(0);
    m.push(1, task('t2', ['b']));
    m.push(1, result('t2', 'b'));
    m.endPlay(1);
    expect(out).to.deep.equal(['PLAY p [a,b]', 'TASK t1 [a,b]', 'TASK t2 [b]', '  t2: b']);
  });

  it('a task only some workers ran (an include) is ordered at the play\'s end, before the tasks that came after it', () => {
    const { out, m } = merger(2);
    m.push(0, play(['a']));
    m.push(1, play(['b']));
    m.push(0, task('included', ['a']));
    m.push(0, task('after', ['a']));
    m.push(1, task('after', ['b']));
    expect(out).to.deep.equal(['PLAY p [a,b]']);
    m.endPlay(0);
    m.endPlay(1);
    expect(out.slice(1)).to.deep.equal(['TASK included [a]', 'TASK after [a,b]']);
  });

  it('a task name that repeats is matched by occurrence, not merged into its first header', () => {
    const { out, m } = merger(2);
    for (const w of [0, 1]) {
      m.push(w, play([ORDER[w]]));
      m.push(w, task('same', [ORDER[w]]));
      m.push(w, task('same', [ORDER[w]]));
      m.endPlay(w);
    }
    expect(out).to.deep.equal(['PLAY p [a,b]', 'TASK same [a,b]', 'TASK same [a,b]']);
  });

  it('no_hosts once, only when no worker has a host in the play', () => {
    const { out, m } = merger(2);
    for (const w of [0, 1]) {
      m.push(w, play([]));
      m.push(w, { type: 'no_hosts', play: 'p' });
      m.endPlay(w);
    }
    m.push(0, play(['a']));
    m.push(0, task('t', ['a']));
    m.push(1, play([]));
    m.push(1, { type: 'no_hosts', play: 'p' });
    m.endPlay(1);
    m.endPlay(0);
    expect(out).to.deep.equal(['PLAY p []', 'no_hosts', 'PLAY p [a]', 'TASK t [a]']);
  });

  it('the next play waits until every worker ended this one; a worker that quit (Ctrl-C) is not waited for', () => {
    const { out, m } = merger(2);
    m.push(0, play(['a']));
    m.push(1, play(['b']));
    m.endPlay(0);
    m.push(0, { ...play(['a']), play: 'q' } as RunEvent);
    expect(out).to.deep.equal(['PLAY p [a,b]']);
    m.finish(1);
    expect(out).to.deep.equal(['PLAY p [a,b]', 'PLAY q [a]']);
  });
});
