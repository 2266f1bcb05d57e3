"""## What it does
Flags an environment variable of a container (app, init or ephemeral) whose
name says it holds a credential and whose value is written literally in the
manifest (`value:`) instead of being read from a Secret (`valueFrom`). A
value that contains a PEM private key (`-----BEGIN ... PRIVATE KEY-----`) is
flagged whatever the variable's name.

The name is split into words at `_`, `-`, `.` and camelCase boundaries
(`DB_PASSWORD`, `dbPassword`, `client-secret`), and it names a credential
when a word is `PASSWORD`, `PASSWD`, `PASS`, `PWD` (not the shell's own
`PWD`), `PASSPHRASE`, `SECRET`, `TOKEN`, `APIKEY`, `CREDENTIAL(S)`, `CREDS`,
or ends in `PASSWORD`, `PASSWD`, `SECRET`, `TOKEN` or `APIKEY`
(`MYSQLPASSWORD`, `CLIENTSECRET`), or when two words form `API KEY`,
`PRIVATE KEY`, `ENCRYPTION KEY`, `SIGNING KEY`, `MASTER KEY` or `AUTH KEY`.
`TOKENS` (a count, as in `MAX_TOTAL_TOKENS`) and `KEY` alone (`TLS_KEY` is
usually a path) do not count.

Stays silent when the name describes the credential rather than holding it:

- a word after the credential word names a reference or a setting:
  `SECRET_NAME`, `TOKEN_URL`, `KEYCLOAK_TOKEN_ENDPOINT`, `PASSWORD_FILE`,
  `VAULT_SECRET_PATH`, `TOKEN_TTL`, `PASSWORD_MIN_LENGTH`, `SECRET_VERSION`,
  `TOKEN_HEADER`, `API_KEY_ENABLED` and the like;
- a word before it is a switch: `MYSQL_ALLOW_EMPTY_PASSWORD`,
  `MYSQL_RANDOM_ROOT_PASSWORD`, `SKIP_`, `USE_`, `ENABLE_`, `DISABLE_`,
  `NO_`, `GENERATE_`, `REQUIRE_`, `MAX_`, `MIN_`;
- `ETCD_INITIAL_CLUSTER_TOKEN`, which identifies an etcd cluster and is not a
  credential.

And when the value is not a secret: an empty string; a `$(OTHER_VAR)`
reference (Kubernetes substitutes another variable, typically one read from
a Secret); a template or placeholder left to be replaced (`${TOKEN}`,
`<your-token>`, `__TOKEN__`, `#{TOKEN}#`, `%TOKEN%`, `changeme`,
`replace-me`, `xxx`, `***`, `TODO`, or a value that contains the name of a
variable of two words or more, such as `HF_TOKEN: HF_TOKEN` or
`GOOGLE_API_KEY: GOOGLE_API_KEY_VAL`); a boolean word (`true`, `yes`, `1`, `0`...); a file
path (`/var/run/secrets/token`); a URL without user information. Values
that are not strings are left to schema validation. Findings never repeat
the value.

## Why is this bad?
A literal value is a credential committed to the repository with the
manifest, copied into every rendered chart, CI log and backup, and readable
by anyone who can `get` the Deployment or its pods (`kubectl get pod -o yaml`
shows it; RBAC on Secrets does not protect it). Rotating it means editing
and redeploying the workload, and the old value stays in the Git history
and in old ReplicaSets.

## How to fix
Keep the credential in a Secret (created out of band, by an operator such as
External Secrets, or encrypted with Sealed Secrets or SOPS) and reference it:

```yaml
env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: db-credentials
        key: password
```

If the value only composes other variables, reference them with `$(NAME)`;
if it is a demonstration value, suppress the finding with a reason.

## References
- Define container environment variables using Secret data: https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/#define-container-environment-variables-using-secret-data
- Good practices for Kubernetes Secrets: https://kubernetes.io/docs/concepts/security/secrets-good-practices/
- Dependent environment variables, `$(VAR)`: https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
- OWASP Secrets Management Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
"""

from __future__ import annotations

import re

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, mapping, sequence

CREDENTIAL_WORDS = frozenset({"PASSWORD", "PASSWD", "PASS", "PWD", "PASSPHRASE", "SECRET", "TOKEN", "APIKEY",
                              "CREDENTIAL", "CREDENTIALS", "CREDS"})
CREDENTIAL_SUFFIXES = ("PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY")
KEY_QUALIFIERS = frozenset({"API", "PRIVATE", "ENCRYPTION", "SIGNING", "MASTER", "AUTH"})
#: words after the credential word that make the variable a reference to it or a setting about it
DESCRIBES = frozenset({
    "NAME", "NAMES", "REF", "REFS", "URL", "URLS", "URI", "ENDPOINT", "ENDPOINTS", "HOST", "HOSTNAME", "PORT",
    "PATH", "PATHS", "FILE", "FILES", "FILENAME", "DIR", "DIRECTORY", "LOCATION", "MOUNT", "ARN", "ID",
    "TTL", "TIMEOUT", "EXPIRY", "EXPIRES", "EXPIRE", "EXPIRATION", "LIFETIME", "DURATION", "AGE", "INTERVAL",
    "PERIOD", "DAYS", "HOURS", "MINUTES", "SECONDS", "LENGTH", "LEN", "SIZE", "MIN", "MAX", "COUNT", "LIMIT",
    "TYPE", "KIND", "FORMAT", "ALGORITHM", "ALG", "ENCODING", "HEADER", "PARAM", "PARAMETER", "FIELD",
    "PREFIX", "SUFFIX", "ISSUER", "AUDIENCE", "SCOPE", "SCOPES", "ENABLED", "DISABLED", "REQUIRED", "POLICY",
    "MODE", "PROVIDER", "BACKEND", "STORE", "VERSION", "NAMESPACE", "SOURCE", "COMMAND", "CMD", "RULES",
    "COMPLEXITY", "STRENGTH", "REGEX", "PATTERN", "CACHE", "ROTATION", "RESET", "ENABLE", "DISABLE",
    "LOOKUP", "ENV", "VAR"})
#: words before the credential word that make the variable a switch about it
SWITCHES = frozenset({"ALLOW", "SKIP", "RANDOM", "GENERATE", "ONETIME", "EMPTY", "NO", "USE", "ENABLE",
                      "DISABLE", "REQUIRE", "IGNORE", "MAX", "MIN"})
NOT_CREDENTIALS = frozenset({"ETCD_INITIAL_CLUSTER_TOKEN"})

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_VAR_REF = re.compile(r"\$\([A-Za-z_][A-Za-z0-9_.-]*\)")
_PLACEHOLDER = re.compile(
    r"""\$\{[^}]*\}|\{\{.*\}\}|<[^<>]+>|__[A-Za-z0-9_]+__|\#\{[^}]*\}\#?|%[A-Za-z0-9_]+%|@[A-Za-z0-9_.]+@""")
_FILLER = re.compile(r"(?i)(change[-_ ]?me|replace[-_ ]?me|to[-_ ]?do|tbd|fixme|placeholder|redacted|dummy"
                     r"|x{3,}|\*{3,}|\.{3,}|…)")
_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "0", "1", "enabled",
                            "disabled", "enable", "disable", "none", "null", "nil"})
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")
_PRIVATE_KEY = re.compile(r"-{3,}\s*BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?\s*-{3,}")


def words(name: str) -> list[str]:
    """``db_password`` / ``dbPassword`` / ``DB-PASSWORD`` -> ["DB", "PASSWORD"]."""
    out = []
    for part in re.split(r"[^A-Za-z0-9]+", name):
        out.extend(w.upper() for w in _WORD.findall(part))
    return out


def credential_index(parts: list[str]) -> int | None:
    """Index of the first word that makes the name a credential, or None."""
    for i, w in enumerate(parts):
        if w in CREDENTIAL_WORDS or w.endswith(CREDENTIAL_SUFFIXES):
            if w == "PWD" and len(parts) == 1:
                continue  # the shell's working directory
            return i
        if w == "KEY" and i > 0 and parts[i - 1] in KEY_QUALIFIERS:
            return i - 1
    return None


def names_credential(name) -> bool:
    """Whether an environment variable's name says it holds a credential itself."""
    if not isinstance(name, str) or name.upper() in NOT_CREDENTIALS:
        return False
    parts = words(name)
    i = credential_index(parts)
    if i is None:
        return False
    if any(w in DESCRIBES for w in parts[i + 1:]):
        return False
    return not any(w in SWITCHES for w in parts[:i])


def is_literal_secret(name: str, value) -> bool:
    """Whether ``value`` looks like a real credential rather than a reference or a placeholder."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or text.lower() in _BOOLEAN_WORDS:
        return False
    if _VAR_REF.search(text) or _PLACEHOLDER.search(text) or _FILLER.fullmatch(text):
        return False
    if text.startswith(("/", "./", "../", "~/", "file:")):
        return False
    url = _URL.match(text)
    if url and "@" not in url.group(1):
        return False
    # a value that repeats a specific name (HF_TOKEN: "HF_TOKEN", GOOGLE_API_KEY: GOOGLE_API_KEY_VAL)
    return not (len(words(name)) >= 2 and name.upper() in text.upper())


@rule(scope="object", id="env-literal-secret", severity="warning", category="security",
      security_severity=7.0, applies_to=WORKLOADS,
      summary="A credential written literally in a container's environment", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    for c in pod.all_containers:
        for i, env in enumerate(sequence(c.raw.get("env"))):
            env = mapping(env)
            name = env.get("name")
            value = env.get("value")
            if "valueFrom" in env or not isinstance(value, str):
                continue
            if isinstance(name, str) and _PRIVATE_KEY.search(value):
                what = "a private key"
            elif names_credential(name) and is_literal_secret(name, value):
                what = "a credential"
            else:
                continue
            yield Finding(c.path / "env" / i / "value",
                          f"container {c.name!r}: environment variable {name!r} holds {what} written "
                          "literally in the manifest; anyone who can read the workload or its pods can read it, "
                          "and it stays in the repository's history; read it from a Secret with "
                          "valueFrom.secretKeyRef")
