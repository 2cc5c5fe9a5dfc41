"""One article is one Source however it was linked: URL normalisation."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.addresses import (
    MAX_URL_LENGTH,
    InvalidSourceURL,
    domain_of,
    normalise_url,
    parent_domains,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://News.Example.COM/story", "https://news.example.com/story"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com./a", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https://example.com/News/Story-One", "https://example.com/News/Story-One"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?id=2&id=1", "https://example.com/a?id=1&id=2"),
        ("https://[::0:1]:443/a", "https://[::1]/a"),
    ],
)
def test_it_normalises_scheme_host_port_fragment_and_query_order(raw, expected):
    assert normalise_url(raw) == expected


@pytest.mark.parametrize(
    "tracking",
    [
        "utm_source=news",
        "utm_medium=email",
        "utm_campaign=spring",
        "utm_name=x",
        "UTM_Source=x",
        "fbclid=IwAR0abc",
        "gclid=Cj0KCQ",
        "mc_eid=123",
    ],
)
def test_it_drops_tracking_parameters_and_keeps_the_rest(tracking):
    url = f"https://example.com/story?page=2&{tracking}&id=7"
    assert normalise_url(url) == "https://example.com/story?id=7&page=2"


def test_a_percent_sign_that_starts_no_escape_is_encoded_once_and_for_all():
    once = normalise_url("https://example.com/100%%41?off=5%")
    assert once == "https://example.com/100%25A?off=5%25"
    assert normalise_url(once) == once


def test_only_tracking_parameters_leave_no_query_at_all():
    assert normalise_url("https://example.com/a?utm_source=x&fbclid=y") == "https://example.com/a"


def test_it_turns_international_host_names_into_punycode_and_encodes_the_path():
    normal = normalise_url("https://Bücher.example/Straße?q=ü")
    assert normal == "https://xn--bcher-kva.example/Stra%C3%9Fe?q=%C3%BC"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Enter a URL"),
        ("   ", "Enter a URL"),
        ("ftp://example.com/file", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("example.com/story", "Only http and https"),
        ("https:///story", "no host name"),
        ("https://user:secret@example.com/", "user name or password"),
        ("https://user@example.com/", "user name or password"),
        ("https://example.com:99999/", "Not a valid URL"),
        ("https://exa mple.com/", "host name is not valid"),
        ("https://example..com/", "host name is not valid"),
        ("https://" + "a" * 64 + ".com/", "host name is not valid"),
        ("https://" + "a" * 60 + ".b" * 100 + ".com/", "host name is not valid"),
        ("https://example.com/" + "a" * MAX_URL_LENGTH, f"at most {MAX_URL_LENGTH}"),
    ],
)
def test_it_rejects_what_cannot_be_a_source_address(raw, words):
    with pytest.raises(InvalidSourceURL, match=words):
        normalise_url(raw)


def test_it_rejects_a_url_that_only_grows_too_long_once_encoded():
    raw = "https://example.com/" + "é" * (MAX_URL_LENGTH // 2)
    assert len(raw) <= MAX_URL_LENGTH
    with pytest.raises(InvalidSourceURL, match="at most"):
        normalise_url(raw)


LABEL = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?", fullmatch=True)
SEGMENT = st.text(
    st.characters(codec="utf-8", exclude_characters="/?#\\", exclude_categories=("Cs", "Cc")),
    max_size=12,
)
PARAM = st.sampled_from(["a", "b", "id", "page", "q", "utm_source", "utm_x", "fbclid", "gclid"])


@st.composite
def http_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    host = ".".join(draw(st.lists(LABEL, min_size=1, max_size=4)))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(SEGMENT, max_size=4)))
    pairs = draw(st.lists(st.tuples(PARAM, SEGMENT.filter(lambda v: "&" not in v)), max_size=4))
    query = "&".join(f"{k}={v}" for k, v in pairs)
    fragment = draw(st.sampled_from(["", "#top", "#Section-2"]))
    return f"{scheme}://{host}{port}/{path}" + (f"?{query}" if query else "") + fragment


@settings(max_examples=200, deadline=None)
@given(url=http_urls())
def test_normalising_twice_changes_nothing(url):
    once = normalise_url(url)
    assert normalise_url(once) == once
    assert once.startswith(("http://", "https://"))
    assert "#" not in once
    names = {pair.split("=")[0] for pair in urlsplit(once).query.split("&") if pair}
    assert not names & {"utm_source", "utm_x", "fbclid", "gclid"}


@pytest.mark.parametrize(
    ("domain", "parents"),
    [
        ("uk.news.example.com", ["uk.news.example.com", "news.example.com", "example.com"]),
        ("example.com", ["example.com"]),
        ("localhost", ["localhost"]),
    ],
)
def test_parent_domains_lists_the_domain_then_each_parent_down_to_two_labels(domain, parents):
    assert parent_domains(domain) == parents


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.example.com/a", "example.com"),
        ("https://WWW.Example.com/a", "example.com"),
        ("https://news.example.com/a", "news.example.com"),
        ("https://wwwexample.com/", "wwwexample.com"),
    ],
)
def test_domain_of_gives_the_lower_case_host_without_www(url, domain):
    assert domain_of(url) == domain
