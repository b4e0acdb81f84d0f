#!/usr/bin/python3
"""Record test/cases/vault/vault.yaml with ansible-core's own VaultLib (2.14): each case's
plaintext is encrypted with its `encrypt_with` secret, then decrypted by VaultLib with the case's
`secrets`; the recorder writes `vaulttext` and the outcome (`expected` or `expected_error`).

    /usr/bin/python3 test/yaml/record-vault-cases.py

Recorded fields are never edited by hand; re-run this script instead.
"""
import os
import yaml
from ansible.errors import AnsibleError
from ansible.parsing.vault import VaultLib, VaultSecret

CASES = os.path.join(os.path.dirname(__file__), "..", "cases", "vault", "vault.yaml")


def secrets(pairs):
    return [(p["id"], VaultSecret(p["password"].encode("utf-8"))) for p in pairs]


with open(CASES, encoding="utf-8") as fh:
    cases = yaml.safe_load(fh)
for case in cases:
    enc = case["encrypt_with"]
    label = enc["id"] if enc.get("labelled") else None
    vaulttext = VaultLib(secrets([enc])).encrypt(case["plaintext"], VaultSecret(enc["password"].encode("utf-8")), vault_id=label)
    case["vaulttext"] = vaulttext.decode("ascii")
    case.pop("expected", None)
    case.pop("expected_error", None)
    try:
        case["expected"] = VaultLib(secrets(case["secrets"])).decrypt(vaulttext).decode("utf-8")
    except AnsibleError as exc:
        case["expected_error"] = str(exc).split(" on ")[0]
with open(CASES, "w", encoding="utf-8") as fh:
    fh.write("# Recorded by test/yaml/record-vault-cases.py from ansible-core's VaultLib;\n")
    fh.write("# edit name/plaintext/encrypt_with/secrets only, then re-run the recorder.\n")
    yaml.safe_dump(cases, fh, sort_keys=False, allow_unicode=True, width=200)
print("recorded %d cases in %s" % (len(cases), CASES))
