/**
 * A fleet of real OpenSSH servers on 127.0.0.1 (one sshd per port, own host key each) for the
 * connector's integration tests. Started and stopped by the tests themselves; loopback only.
 * Needs openssh-server (/usr/sbin/sshd) and ssh-keygen; runs as root (logs in as root by key).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { promises as fs, existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface LoopbackHost {
  name: string;
  port: number;
  hostKeyFile: string;
  process?: ChildProcess;
}

export interface LoopbackFleet {
  dir: string;
  /** Login user: a temporary local user with /bin/sh as shell (created here, removed by stop()). */
  user: string;
  /** That user's password (for password auth and sudo tests). */
  password: string;
  hosts: LoopbackHost[];
  clientKey: string;
  knownHostsFile: string;
  sshConfigFile: string;
  /** Inventory-style host vars for each host (ansible_host/port/user/key + known_hosts via common args). */
  hostVars(name: string): Record<string, unknown>;
  stopHost(name: string): Promise<void>;
  startHost(name: string): Promise<void>;
  pauseHost(name: string): void;
  resumeHost(name: string): void;
  /** The host vanishes: its sshd and every session process it started are SIGKILLed. */
  killHost(name: string): Promise<void>;
  /** Give a host a new host key (a "reinstalled" host) and restart its sshd. */
  rekeyHost(name: string): Promise<void>;
  stop(): Promise<void>;
}

interface FleetOptions {
  /** Extra sshd_config lines (e.g. PasswordAuthentication yes). */
  sshdExtra?: string[];
  /** Let the temporary user run anything through sudo with its password. */
  sudo?: boolean;
}

const SSHD = '/usr/sbin/sshd';

export async function startLoopbackFleet(count: number, opts: FleetOptions = {}): Promise<LoopbackFleet> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} missing: apt-get install -y openssh-server`);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-loopback-'));
  await fs.chmod(dir, 0o755);
  // A dedicated login user with a plain /bin/sh: root's own rc files on a dev machine can be slow
  // (pyenv, nvm...) and are not what a fleet host looks like.
  const user = `fdlb${randomBytes(4).toString('hex')}`;
  const password = randomBytes(9).toString('base64url');
  execFileSync('useradd', ['-M', '-d', path.join(dir, 'home'), '-s', '/bin/sh', user]);
  execFileSync('chpasswd', { input: `${user}:${password}\n` });
  await fs.mkdir(path.join(dir, 'home'), { mode: 0o755 });
  execFileSync('chown', [user, path.join(dir, 'home')]);
  const sudoersFile = `/etc/sudoers.d/${user}`;
  if (opts.sudo) await fs.writeFile(sudoersFile, `${user} ALL=(ALL:ALL) ALL\n`, { mode: 0o440 });
  const removeUser = async () => {
    await fs.rm(sudoersFile, { force: true });
    try {
      execFileSync('userdel', [user], { stdio: 'ignore' });
    } catch {
      /* already removed */
    }
  };
  const clientKey = path.join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'fd-test', '-f', clientKey]);
  await fs.copyFile(`${clientKey}.pub`, path.join(dir, 'authorized_keys'));
  await fs.chmod(clientKey, 0o600);
  try {
    return await startFleetFor(count, opts, dir, user, password, removeUser);
  } catch (err) {
    await removeUser();
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startFleetFor(
  count: number,
  opts: FleetOptions,
  dir: string,
  user: string,
  password: string,
  removeUser: () => Promise<void>,
): Promise<LoopbackFleet> {
  const clientKey = path.join(dir, 'id_ed25519');
  const ports = await freePorts(count);
  const hosts: LoopbackHost[] = [];
  for (let i = 0; i < count; i++) {
    const name = `lb${i + 1}`;
    const hostKeyFile = path.join(dir, `${name}_host_key`);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKeyFile]);
    hosts.push({ name, port: ports[i], hostKeyFile });
  }
  const byName = (n: string) => {
    const h = hosts.find((x) => x.name === n);
    if (!h) throw new Error(`no loopback host ${n}`);
    return h;
  };
  const configFor = (h: LoopbackHost) =>
    [
      // sshd keeps the first value of a keyword: extras go first to override the defaults below.
      ...(opts.sshdExtra ?? []),
      `Port ${h.port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${h.hostKeyFile}`,
      `PidFile ${path.join(dir, `${h.name}.pid`)}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'MaxStartups 200:30:400',
      'MaxSessions 20',
      'LogLevel ERROR',
    ].join('\n') + '\n';

  const start = async (h: LoopbackHost) => {
    const cfg = path.join(dir, `${h.name}.sshd_config`);
    await fs.writeFile(cfg, configFor(h));
    const child = spawn(SSHD, ['-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    h.process = child;
    await waitListening(h.port, child, () => stderr);
  };
  const stopOne = async (h: LoopbackHost) => {
    const child = h.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    h.process = undefined;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(child.pid!, 'SIGCONT');
      process.kill(child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await exited;
  };

  const started = await Promise.allSettled(hosts.map(start));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(hosts.map(stopOne));
    throw (failed as PromiseRejectedResult).reason;
  }
  const knownHostsFile = path.join(dir, 'known_hosts');
  await writeKnownHosts(knownHostsFile, hosts);
  const sshConfigFile = path.join(dir, 'ssh_config');
  await fs.writeFile(
    sshConfigFile,
    hosts
      .map((h) =>
        [
          `Host ${h.name}`,
          '  HostName 127.0.0.1',
          `  Port ${h.port}`,
          `  User ${user}`,
          `  IdentityFile ${clientKey}`,
          '  IdentitiesOnly yes',
          `  UserKnownHostsFile ${knownHostsFile}`,
          '',
        ].join('\n'),
      )
      .join('\n'),
  );

  return {
    dir,
    user,
    password,
    hosts,
    clientKey,
    knownHostsFile,
    sshConfigFile,
    hostVars: (n) => ({
      ansible_host: '127.0.0.1',
      ansible_port: byName(n).port,
      ansible_user: user,
      ansible_ssh_private_key_file: clientKey,
      ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHostsFile} -o IdentitiesOnly=yes`,
    }),
    stopHost: (n) => stopOne(byName(n)),
    killHost: async (n) => {
      const h = byName(n);
      const pid = h.process?.pid;
      if (pid === undefined) return;
      const tree = descendants(pid);
      await stopOne(h);
      for (const p of tree) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* already exited */
        }
      }
    },
    startHost: (n) => start(byName(n)),
    pauseHost: (n) => process.kill(byName(n).process!.pid!, 'SIGSTOP'),
    resumeHost: (n) => process.kill(byName(n).process!.pid!, 'SIGCONT'),
    rekeyHost: async (n) => {
      const h = byName(n);
      await stopOne(h);
      await fs.rm(h.hostKeyFile, { force: true });
      await fs.rm(`${h.hostKeyFile}.pub`, { force: true });
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', h.hostKeyFile]);
      await start(h);
    },
    stop: async () => {
      await Promise.all(hosts.map(stopOne));
      await removeUser();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export async function writeKnownHosts(file: string, hosts: LoopbackHost[]): Promise<void> {
  const lines = await Promise.all(
    hosts.map(async (h) => {
      const [type, key] = (await fs.readFile(`${h.hostKeyFile}.pub`, 'utf8')).trim().split(/\s+/);
      return `[127.0.0.1]:${h.port} ${type} ${key}`;
    }),
  );
  await fs.writeFile(file, lines.join('\n') + '\n');
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function waitListening(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd on port ${port} exited: ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd on port ${port} not listening after 10 s: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Pids of every process below `pid` (from /proc/PID/task/PID/children), deepest last. */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    let kids: number[] = [];
    try {
      kids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return;
    }
    for (const k of kids) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}
