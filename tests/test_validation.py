"""k8slint.kube.validation: the value formats of the API server's validation code.

The good and bad values follow the cases of apimachinery's
pkg/util/validation/validation_test.go (TestIsDNS1123Label,
TestIsDNS1123Subdomain, TestIsDNS1035Label, TestIsValidPortName,
TestIsQualifiedName, TestIsValidLabelValue, TestIsHTTPHeaderName,
TestIsValidPercent, TestIsConfigMapKey, TestIsWildcardDNS1123Subdomain),
core's TestValidateEnv, and pkg/api/resource/quantity_test.go; the time
zones follow batch's TestValidateCronJob.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from k8slint.kube import validation as v
from k8slint.kube.cron import max_runs_within, parse_schedule, time_zone_problem

# DNS names --------------------------------------------------------------------------------------------------------

DNS_LABEL_GOOD = ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a" * 63]
DNS_LABEL_BAD = ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b",
                 "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ", " 1",
                 "1 2", "a" * 64, "a\n"]


@pytest.mark.parametrize("value", DNS_LABEL_GOOD)
def test_dns1123_label_accepts(value):
    assert v.dns1123_label(value) == []


@pytest.mark.parametrize("value", DNS_LABEL_BAD)
def test_dns1123_label_rejects(value):
    assert v.dns1123_label(value)


def test_dns1123_label_says_dots_are_the_problem_of_a_subdomain():
    assert v.dns1123_label("a.b") == ["must not contain dots"]
    assert v.dns1123_label("a" * 64) == ["must be no more than 63 characters"]


@pytest.mark.parametrize("value", ["a", "a.a", "a--1--2--b.1", "0.1", "1--a--b--2.1", "a.b.c.d.e", "1.2.3.4.5",
                                   "a" * 253])
def test_dns1123_subdomain_accepts(value):
    assert v.dns1123_subdomain(value) == []


@pytest.mark.parametrize("value", ["", "A", "a..b", "1..2", "A.a", "aB.a", "a.B.c.d.e", "a@b", "a,b", "a_b", "a;b",
                                   "a:b", "a%b", "a?b", "a$b", ".a", "a.", "a" * 254])
def test_dns1123_subdomain_rejects(value):
    assert v.dns1123_subdomain(value)


@pytest.mark.parametrize("value", ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a" * 63])
def test_dns1035_label_accepts(value):
    assert v.dns1035_label(value) == []


@pytest.mark.parametrize("value", ["0", "01", "012", "1a", "1-a", "1--a--b--2", "", "A", "aBc", "a-", "-a", "a_b",
                                   "a.b", "a b", "a" * 64])
def test_dns1035_label_rejects(value):
    assert v.dns1035_label(value)


@pytest.mark.parametrize("value, good", [("*.example.com", True), ("*.foo.bar.com", True), ("*.*.bar.com", False),
                                         ("*.foo.*.com", False), ("*bar.com", False), ("f*.bar.com", False),
                                         ("*", False)])
def test_wildcard_subdomains(value, good):
    assert (v.wildcard_dns1123_subdomain(value) == []) is good


@pytest.mark.parametrize("value, ip", [("10.0.0.1", True), ("010.000.000.001", True), ("::1", True),
                                       ("2001:db8::1", True), ("256.0.0.1", False), ("10.0.0", False),
                                       ("shop.example.com", False), ("1.2.3.4.5", False)])
def test_ip_addresses_as_net_parse_ip_reads_them(value, ip):
    assert v.is_ip_address(value) is ip


# object names -----------------------------------------------------------------------------------------------------

def test_a_generate_name_prefix_may_end_with_a_dash():
    assert v.name_is_dns1123_subdomain("web-", True) == []
    assert v.name_is_dns1123_subdomain("web-", False)
    assert v.name_is_dns1123_label("db-", True) == []
    assert v.name_is_dns1035_label("web-", True) == []


@pytest.mark.parametrize("name, good", [("system:controller:foo", True), ("Mixed_Case.Name", True), (".", False),
                                        ("..", False), ("a/b", False), ("a%b", False)])
def test_path_segment_names_for_rbac_objects(name, good):
    assert (v.path_segment_name(name) == []) is good


# qualified names and label values ---------------------------------------------------------------------------------

QUALIFIED_GOOD = ["simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
                  "now.with.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123",
                  "example.com/Uppercase_Is_OK_123", "requests.storage-foo", "a" * 63,
                  "a" * 253 + "/" + "b" * 63]
QUALIFIED_BAD = ["nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash",
                 "Example.com/abc", "example_com/abc", "example.com/", "/simple", "a" * 64, "a" * 254 + "/abc", ""]


@pytest.mark.parametrize("value", QUALIFIED_GOOD)
def test_qualified_names_accepted(value):
    assert v.qualified_name(value) == []


@pytest.mark.parametrize("value", QUALIFIED_BAD)
def test_qualified_names_rejected(value):
    assert v.qualified_name(value)


def test_a_label_key_with_two_slashes_is_one_problem():
    [problem] = v.qualified_name("example.com/team/owner")
    assert "at most one '/'" in problem


@pytest.mark.parametrize("value", ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234",
                                   "a" * 63, "", "My_Value.1"])
def test_label_values_accepted(value):
    assert v.label_value(value) == []


@pytest.mark.parametrize("value", ["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad",
                                   "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.",
                                   "a" * 64, "kubelinter@stackrox.com", "with space"])
def test_label_values_rejected(value):
    assert v.label_value(value)


# ports --------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3",
                                   "http", "metrics-9090", "a" * 15])
def test_port_names_accepted(value):
    assert v.port_name(value) == []


@pytest.mark.parametrize("value, reason", [
    ("longerthan15characters", "no more than 15"), ("", "at least one letter"), ("a" * 16, "no more than 15"),
    ("12345", "at least one letter"), ("8080", "at least one letter"), ("1-2-3-4", "at least one letter"),
    ("-begin", "begin or end"), ("end-", "begin or end"), ("two--hyphens", "consecutive"),
    ("whois++", "alpha-numeric"), ("HTTP", "alpha-numeric"), ("a.b.c", "alpha-numeric"),
])
def test_port_names_rejected(value, reason):
    assert any(reason in p for p in v.port_name(value))


@pytest.mark.parametrize("value, good", [(1, True), (2, True), (1000, True), (65535, True), (0, False), (-1, False),
                                         (65536, False), (100000, False)])
def test_port_numbers(value, good):
    assert (v.port_number(value) == []) is good


# environment variables, keys, percentages, headers -------------------------------------------------------------------

@pytest.mark.parametrize("value", ["abc", "ABC", "AbC_123", "a.b.c", "a-b-c", "_private", "MY_ENV.NAME"])
def test_strict_env_var_names_accepted(value):
    assert v.env_var_name(value, relaxed=False) == []


@pytest.mark.parametrize("value, reason", [("a!b", "must consist of"), (".", "must not be '.'"),
                                           ("..", "must not be '..'"), ("..abc", "must not start with '..'"),
                                           ("1ST", "must not start with a digit"), ("a b", "must consist of"),
                                           ("a=b", "must consist of")])
def test_strict_env_var_names_rejected(value, reason):
    assert any(reason in p for p in v.env_var_name(value, relaxed=False))


@pytest.mark.parametrize("value", ["a!b", "1ST", "a b", "..abc", "!@#$%^&*()", " ", "~"])
def test_relaxed_env_var_names_accept_printable_ascii(value):
    assert v.env_var_name(value, relaxed=True) == []


@pytest.mark.parametrize("value", ["a=b", "", "café", "tab\there", "\x7f"])
def test_relaxed_env_var_names_reject_equals_and_the_rest(value):
    assert v.env_var_name(value, relaxed=True)


@pytest.mark.parametrize("value", ["a", "good", "good-good", "still.good", "this.is.also.good", ".so.is.this",
                                   "THIS_IS_GOOD", "so_is_this_17"])
def test_config_map_keys_accepted(value):
    assert v.config_map_key(value) == []


@pytest.mark.parametrize("value", [".", "..", "..bad", "b*d", "bad!&bad", "a/b", "a b", "", "a" * 254])
def test_config_map_keys_rejected(value):
    assert v.config_map_key(value)


@pytest.mark.parametrize("value, good", [("0%", True), ("00000%", True), ("1%", True), ("100%", True),
                                         ("101%", True), ("", False), ("0", False), ("100", False), ("0.0%", False),
                                         ("99.9%", False), ("hundred", False), (" 1%", False), ("1% ", False),
                                         ("-1%", False), ("+1%", False)])
def test_percentages(value, good):
    assert (v.percent(value) == []) is good


@pytest.mark.parametrize("value, good", [("Accept-Encoding", True), ("X-Forwarded-For", True), ("-a", True),
                                         ("Host:", False), ("X-@Home", False), ("", False), ("a_b", False),
                                         ("a.b", False), ("a b", False)])
def test_http_header_names(value, good):
    assert (v.http_header_name(value) == []) is good


# quantities ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, amount", [
    ("0", 0), ("1", 1), ("100m", Fraction(1, 10)), ("1.5", Fraction(3, 2)), ("1.5Gi", 3 * 2**29), ("1Ki", 1024),
    ("1k", 1000), ("1M", 10**6), ("1Mi", 2**20), ("1e3", 1000), ("1E3", 1000), ("1e-3", Fraction(1, 1000)),
    ("1E", 10**18), ("1Ei", 2**60), (".5", Fraction(1, 2)), ("5.", 5), ("+5", 5), ("-5", -5), ("1n", Fraction(1, 10**9)),
    ("1u", Fraction(1, 10**6)), ("0.1n", Fraction(1, 10**9)),  # rounded up to the nano scale
    (0.5, Fraction(1, 2)), (2, 2), (2.0, 2), (1e-05, Fraction(1, 100000)), (1000.0, 1000),
])
def test_quantities_the_api_server_reads(text, amount):
    assert v.parse_quantity(text) == amount


@pytest.mark.parametrize("text", ["", "abc", "1Gb", "1 Gi", "Gi1", "1.5.5", "1m3", "1e", "1.0e", "--1", "1i",
                                  "1KiB", "0x10", "1,000", "∞"])
def test_quantities_the_api_server_rejects(text):
    with pytest.raises(v.QuantityError):
        v.parse_quantity(text)


@pytest.mark.parametrize("value", [True, None, [1], {"a": 1}])
def test_a_quantity_is_a_string_or_a_number(value):
    with pytest.raises(v.QuantityError):
        v.parse_quantity(value)


def test_binary_and_decimal_units_compare_exactly():
    assert v.parse_quantity("64Mi") > v.parse_quantity("64M")  # a request of 64Mi is above a limit of 64M
    assert v.parse_quantity("1024Mi") == v.parse_quantity("1Gi")
    assert v.parse_quantity("1000m") == v.parse_quantity(1)


# time zones and schedules (k8slint.kube.cron) -------------------------------------------------------------------------

@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York", "Etc/GMT+8", "Etc/GMT-14", "PRC",
                                  "America/Argentina/Buenos_Aires", "Europe/Berlin"])
def test_iana_zones_are_accepted(zone):
    assert time_zone_problem(zone) is None


@pytest.mark.parametrize("zone, reason", [
    ("", "nil or non-empty"), ("Local", "explicit time zone"), ("local", "explicit time zone"),
    ("Asia/Beijing", "unknown time zone Asia/Beijing"), ("CST", "unknown time zone"), ("GMT+8", "unknown time zone"),
    ("AMERICA/new_york", "unknown time zone"), (" Continent/Zone", "unknown time zone"),
    ("Continent/Zone ", "unknown time zone"), ("../etc/passwd", "unknown time zone"), ("a//b", "unknown time zone"),
    ("Europe/-Berlin", "unknown time zone"), ("Abcdefghijklmno/Zone", "unknown time zone"),
])
def test_zones_the_api_server_rejects(zone, reason):
    problem = time_zone_problem(zone)
    assert problem is not None and reason in problem


@pytest.mark.parametrize("schedule, seconds, runs", [
    ("* * * * *", 6000, 100), ("* * * * *", 6001, 101), ("*/1 * * * *", 7200, 101), ("@daily", 86400, 1),
    ("0 0 * * *", 100 * 86400, 100), ("0 0 * * *", 100 * 86400 + 1, 101), ("@every 1m", 6000, 100),
    ("@every 1m", 6001, 101), ("@every 300ms", 10, 10),  # at least one second between runs
    ("0 9-17 * * 1-5", 7 * 86400, 45), ("0 0 1 * 1", 60 * 86400, 12),  # the 1st or a Monday
    ("0 0 1 * *", 28 * 86400, 1), ("0 0 1 * *", 29 * 86400, 2),  # February is 28 days
    ("* * * * *", 0, 0),
])
def test_runs_that_fit_in_a_window(schedule, seconds, runs):
    assert max_runs_within(parse_schedule(schedule), seconds) == runs


def test_a_step_clears_the_star_bit_so_the_day_fields_are_ored():
    # robfig/cron: with "*/2" in day of month (no star bit) and a weekday list, a day matches either field
    schedule = parse_schedule("0 0 */2 * 1")
    assert not schedule.day_star and not schedule.weekday_star
    star = parse_schedule("0 0 * * 1")
    assert star.day_star


# the rule on things that are not what is applied ---------------------------------------------------------------------

def _server_validation(report):
    return [r for r in report.results if r.rule == "server-validation"]


def test_placeholders_for_envsubst_and_templates_are_not_judged(lint_text):
    report = lint_text("""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${APP_NAME}
  namespace: "{{ .Release.Namespace }}"
  labels: {app: "${APP_NAME:-web}"}
spec:
  selector:
    matchLabels: {app: "${APP_NAME:-web}"}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: <KSA_NAME>
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          imagePullPolicy: $PULL_POLICY
          resources:
            requests: {nvidia.com/gpu: "${GPUS}"}
            limits: {nvidia.com/gpu: "${GPUS}"}
""")
    assert _server_validation(report) == []


def test_a_kustomize_patch_is_not_a_whole_object(lint_text):
    report = lint_text("""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          $patch: delete
        - name: web
""")
    assert _server_validation(report) == []


def test_an_unknown_kind_gets_no_metadata_check(lint_text):
    report = lint_text("""\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
metadata:
  name: Not_A_Valid_Name
  labels: {a/b/c: x}
""")
    assert _server_validation(report) == []


def test_a_selector_written_without_matchlabels_is_left_to_schema_violation(lint_text):
    report = lint_text("""\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    app: web
  template:
    metadata: {labels: {app: other}}
    spec:
      containers: [{name: web, image: "registry.example.com/web:1.4.2"}]
""")
    assert _server_validation(report) == []
    assert any(r.rule == "schema-violation" for r in report.results)


def test_service_names_starting_with_a_digit_depend_on_the_version(lint_text):
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: 1-web}\nspec:\n  ports: [{port: 80}]\n"
    assert len(_server_validation(lint_text(text, kube_version=(1, 34)))) == 1
    assert _server_validation(lint_text(text, kube_version=(1, 37))) == []  # RelaxedServiceNameValidation
