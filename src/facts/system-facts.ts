import type { FactFactory } from './request.js';
import { aptCacheTime, aptPolicy, debFileStatus, dnfUpdates, dpkgPackages, rpmPackages } from './packages.js';
import { aptSourcesLists, fileContent, keyringFingerprints, rpmGpgKeys } from './repos.js';
import { systemdUnits } from './systemd.js';
import { serviceListing } from './service-listing.js';
import { sysctlValue } from './sysctl.js';
import { authorizedKeysFile } from './authorized-keys.js';
import { mountState } from './mount-state.js';
import { httpResponse, waitCondition } from './net.js';
import { getentGroup, userAccount } from './accounts.js';
import { debconfShow } from './debconf.js';
import { crontabState } from './crontab.js';
import { hostnameState } from './hostname.js';
import { timezoneState } from './timezone.js';
import { aptKeyTools, gpgListingOfData, gpgListingOfFile } from './apt-keys.js';

/** System fact factories by name (the names are the test-case folders under test/cases/facts/). */
export const systemFacts: Record<string, FactFactory> = {
  dpkg_packages: (a: { names: string[] }) => dpkgPackages(a.names),
  apt_policy: (a: { names: string[] }) => aptPolicy(a.names),
  apt_cache_time: () => aptCacheTime(),
  deb_file_status: (a: { path: string }) => debFileStatus(a.path),
  rpm_packages: (a: { specs: string[] }) => rpmPackages(a.specs),
  dnf_updates: (a: { names: string[]; refresh?: boolean }) => dnfUpdates(a.names, !!a.refresh),
  sysctl_value: sysctlValue,
  authorized_keys_file: authorizedKeysFile,
  mount_state: mountState,
  system_file_content: (a: { path: string }) => fileContent(a.path),
  keyring_fingerprints: (a: { path: string }) => keyringFingerprints(a.path),
  rpm_gpg_keys: () => rpmGpgKeys(),
  apt_sources_lists: () => aptSourcesLists(),
  systemd_units: systemdUnits,
  wait_condition: waitCondition,
  http_response: httpResponse,
  service_listing: serviceListing,
  getent_group: getentGroup,
  user_account: userAccount,
  debconf_show: debconfShow,
  crontab_state: crontabState,
  hostname_state: hostnameState,
  timezone_state: timezoneState,
  apt_key_tools: (a: { keyring: string | null; become?: boolean }) => aptKeyTools(a.keyring, a.become),
  gpg_listing: (a: { file?: string; data?: string }) => (a.file !== undefined ? gpgListingOfFile(a.file) : gpgListingOfData(a.data ?? '')),
};
