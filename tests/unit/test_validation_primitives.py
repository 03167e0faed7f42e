"""Tests of the scalar format checks in lrs.validation.primitives (xAPI 1.0.3 Data 2.2 and 4)."""

from __future__ import annotations

import pytest

from lrs.validation.primitives import (
    is_duration,
    is_iri,
    is_language_tag,
    is_mailto,
    is_media_type,
    is_number,
    is_sha1_hex,
    is_sha2_hex,
    is_timestamp,
    is_uuid,
    is_version,
)


@pytest.mark.parametrize(
    "value",
    [
        "http://www.example.org/verbs/attended",
        "https://w3id.org/xapi/cmi5/activitytype/course",
        "HTTPS://EXAMPLE.COM/Upper",
        "urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
        "mailto:ann@example.org",
        "tag:example.com,2024:course-1",
        "http://例え.jp/動詞",
        "https://ex.org/path?q=1&r=%20#frag",
        "http://[::1]:8080/x",
        "x-custom:thing",
    ],
)
def test_absolute_iri_is_accepted(value: str) -> None:
    """Data 4.3 and 2.2.s4.b1.b8: any absolute IRI with a scheme, non-ASCII characters included."""
    assert is_iri(value)


@pytest.mark.parametrize(
    "value",
    ["foo", "/path", "//host/path", "ab=c://should.fail.com", "1http://x.org", "http://", "http:/x", "https:x", "http://a b",
     "http://x.org/<tag>", "", ":nothing", "should fail", None, 12],
)
def test_relative_or_malformed_iri_is_rejected(value: object) -> None:
    """Data 2.2.s4.b1.b4 and b8: no scheme, bad scheme, whitespace or forbidden characters; http(s) needs a host."""
    assert not is_iri(value)


@pytest.mark.parametrize(
    "value",
    ["6690e6c9-3ef0-4ed3-8b37-7f3964730bee", "6690E6C9-3EF0-4ED3-8B37-7F3964730BEE", "00000000-0000-0000-0000-000000000000",
     "12345678-1234-5678-1234-567812345678", "c232ab00-9414-11ec-b3c8-9f6bdeced846"],
)
def test_uuid_in_standard_form_is_accepted(value: str) -> None:
    """Data 2.4.1 and 4.4: the 8-4-4-4-12 hex form, either case, any version."""
    assert is_uuid(value)


@pytest.mark.parametrize(
    "value",
    ["AA97B177-9383-4934-8543-0F91A7A028368", "MA97B177-9383-4934-8543-0F91A7A02836", "6690e6c93ef04ed38b377f3964730bee",
     "{6690e6c9-3ef0-4ed3-8b37-7f3964730bee}", "urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee", "", 12345],
)
def test_malformed_uuid_is_rejected(value: object) -> None:
    """Data 4.4 (XAPI-00027..XAPI-00030): UUIDs MUST be in standard string form."""
    assert not is_uuid(value)


@pytest.mark.parametrize(
    "value",
    ["2015-06-10T14:31:41.000Z", "2015-06-10T14:31:41Z", "2015-06-10T14:31:41.123456789+05:30", "2015-06-10T14:31:41-04:00",
     "2008-09-15T15:53:00.601+00:00", "2015-06-10T14:31:41+0530", "2015-06-10T14:31:41+05", "2015-06-10T14:31Z",
     "20150610T143141Z", "2015-06-10T14:31:41", "2016-02-29T00:00:00Z", "2015-06-10T14:31:41,5Z"],
)
def test_iso8601_timestamp_is_accepted(value: str) -> None:
    """Data 4.5.s1.b1: ISO 8601 date-times (extended or basic); a time zone is only a SHOULD (4.5.s1.b4)."""
    assert is_timestamp(value)


@pytest.mark.parametrize(
    "value",
    ["2008-09-15T15:53:00.601-00", "2008-09-15T15:53:00.601-0000", "2008-09-15T15:53:00.601-00:00", "01/011/2015", "should fail",
     "2015-06-10", "2015-06-10 14:31:41Z", "2015-06-10t14:31:41z", "2015-02-29T00:00:00Z", "2015-13-01T00:00:00Z",
     "2015-06-10T24:00:00Z", "2015-06-10T14:60:00Z", "2015-06-10T14:31:41.Z", "2015-06-10T14:31:41+25:00", "", 1433946701],
)
def test_malformed_timestamp_is_rejected(value: object) -> None:
    """Data 4.5 (XAPI-00123): not ISO 8601, impossible dates and times, and the negative-zero offsets."""
    assert not is_timestamp(value)


@pytest.mark.parametrize(
    "value", ["PT1H0M0.1S", "PT4H35M59.14S", "PT16559.14S", "P3Y1M29DT4H35M59.14S", "P3Y", "P4W", "P0D", "PT0.5H", "P1,5Y"]
)
def test_iso8601_duration_is_accepted(value: str) -> None:
    """Data 4.6.s1.b1: the ISO 8601:2004 4.4.3.2 duration format."""
    assert is_duration(value)


@pytest.mark.parametrize(
    "value", ["PA1H0M0S", "P4W1D", "P16559.14S", "P", "PT", "P1DT", "PT0.5H30M", "-P1D", "P0000-00-01T00:00:00", "1H", "", 60]
)
def test_malformed_duration_is_rejected(value: object) -> None:
    """Data 4.6.s1.b1 (XAPI-00124): weeks stand alone, only the last part has a fraction, no 4.4.3.3 alternative format."""
    assert not is_duration(value)


@pytest.mark.parametrize(
    "value",
    ["en", "en-US", "de", "es-MX", "es-419", "zh-Hant", "zh-Hans-CN", "sr-Latn-RS", "sr-Cyrl", "cmn", "ase", "tlh", "fr-CA",
     "de-DE-1901", "en-US-u-islamcal", "de-CH-x-phonebk", "x-whatever", "i-klingon", "en-GB-oed", "zh-min-nan", "EN-us"],
)
def test_well_formed_language_tag_is_accepted(value: str) -> None:
    """Data 2.2.s4.b2 and 4.2: RFC 5646 well-formed tags, any case."""
    assert is_language_tag(value)


@pytest.mark.parametrize(
    "value",
    ["something", "a12345", "a12345678", "s-something", "en-something-AU", "zh-z-aaa-z-bbb", "de-1901-1901", "en-", "en--US",
     "", "1234", "en_US", "\u017fv", None, 5],
)
def test_malformed_language_tag_is_rejected(value: object) -> None:
    """Data 2.2.s4.b2: subtag lengths must follow RFC 5646; variants and extension singletons may not repeat."""
    assert not is_language_tag(value)


def test_mailto_needs_an_address() -> None:
    """Data 2.4.2.3.s3.table1.row1: "mailto:email address"."""
    assert is_mailto("mailto:ann@example.org")
    assert not is_mailto("mailto:should.fail.com")
    assert not is_mailto("ann@example.org")
    assert not is_mailto("mailto:ann @example.org")


def test_hash_formats() -> None:
    """mbox_sha1sum is hex SHA-1 (Data 2.4.2.3); attachment sha2 is a hex SHA-2 digest (Data 2.4.11)."""
    assert is_sha1_hex("cd9b00a5611f94eaa7b1661edab976068e364975")
    assert not is_sha1_hex("cd9b00a5611f94eaa7b1661edab976068e36497")
    assert is_sha2_hex("495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a")
    assert is_sha2_hex("A" * 128)
    assert not is_sha2_hex("a" * 40)


@pytest.mark.parametrize(
    "value, expected",
    [("1.0", True), ("1.0.0", True), ("1.0.3", True), ("1.0.10", True),
     ("1.0.x", False), ("1.1.0", False), ("0.9.9", False), ("2.0.0", False), ("1", False)],
)
def test_version_must_be_1_0_x(value: str, expected: bool) -> None:
    """Data 2.4.10.s3 (XAPI-00101): "1.0" or any 1.0.x version."""
    assert is_version(value) is expected


@pytest.mark.parametrize("value, expected", [(1, True), (0.5, True), (-3, True), (True, False), (False, False), ("1", False),
                                             (None, False), (float("nan"), False), (float("inf"), False)])
def test_number_excludes_booleans_strings_and_non_finite(value: object, expected: bool) -> None:
    """Data 2.2.s4.b1.b2: numbers are JSON numbers; Python's bool is not one."""
    assert is_number(value) is expected


@pytest.mark.parametrize("value, expected", [("text/plain", True), ("text/plain; charset=ascii", True), ("pdf", False),
                                             ("text/", False), ("text/plain;", False), (12345, False)])
def test_media_type_syntax(value: object, expected: bool) -> None:
    """Data 2.4.11.s2.table1.row4: type/subtype with optional parameters."""
    assert is_media_type(value) is expected
