import type { ModuleDefinition } from './contract.js';
import { aptModule } from './apt.js';
import { aptRepositoryModule } from './apt_repository.js';
import { aptKeyModule } from './apt_key.js';
import { deb822RepositoryModule } from './deb822_repository.js';
import { dnfModule } from './dnf.js';
import { getUrl } from './get_url.js';
import { packageModule } from './package.js';
import { rpmKeyModule } from './rpm_key.js';
import { serviceModule } from './service.js';
import { serviceFacts } from './service_facts.js';
import { signingKeyModule } from './signing_key.js';
import { systemdModule } from './systemd.js';
import { sysctl } from './sysctl.js';
import { iniFile } from './ini_file.js';
import { authorizedKey } from './authorized_key.js';
import { mount } from './mount.js';
import { uriModule } from './uri.js';
import { waitForModule } from './wait_for.js';
import { yumRepositoryModule } from './yum_repository.js';
import { groupModule } from './group.js';
import { userModule } from './user.js';
import { debconfModule } from './debconf.js';
import { cronModule } from './cron.js';
import { hostnameModule } from './hostname.js';
import { timezone } from './timezone.js';
import { rebootModule } from './reboot.js';

export const systemModules: ModuleDefinition[] = [
  packageModule,
  aptModule,
  dnfModule,
  aptRepositoryModule,
  aptKeyModule,
  deb822RepositoryModule,
  yumRepositoryModule,
  rpmKeyModule,
  signingKeyModule,
  systemdModule,
  serviceModule,
  waitForModule,
  uriModule,
  getUrl,
  serviceFacts,
  groupModule,
  userModule,
  debconfModule,
  cronModule,
  hostnameModule,
  timezone,
  rebootModule,
  sysctl,
  iniFile,
  authorizedKey,
  mount,
];
