"""Main text, metadata and dates from a page."""

from __future__ import annotations

from datetime import UTC, datetime

from sources.fetch.extraction import extract, find_date, html_language
from sources.fetch.fetching import fetch
from tests.sources.httpserver import Reply, TestServer

PARAGRAPHS = (
    "The minister said on Tuesday that the report was wrong, and that the figures quoted "
    "in it came from an older survey that had since been revised by the statistics office.",
    "Opposition members asked for the full survey to be published so that the public could "
    "judge the numbers for themselves, and the office agreed to do so within a week.",
)

ARTICLE = f"""<!doctype html>
<html lang="en-GB"><head>
<title>Minister denies report | The Daily</title>
<meta name="author" content="Jane Smith">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<meta property="article:modified_time" content="2024-03-07T12:30:00+01:00">
</head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<article><h1>Minister denies report</h1><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></article>
<footer>© 2021 The Daily. All rights reserved.</footer>
</body></html>"""

URL = "https://daily.test/politics/minister-denies-report"


def test_an_article_gives_its_text_and_metadata() -> None:
    found = extract(ARTICLE, URL)
    assert found.text is not None
    assert PARAGRAPHS[0] in found.text and PARAGRAPHS[1] in found.text
    assert "All rights reserved" not in found.text and "Politics" not in found.text
    assert found.title == "Minister denies report"
    assert found.author == "Jane Smith"
    assert found.published_at == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    assert found.modified_at == datetime(2024, 3, 7, 11, 30, tzinfo=UTC)
    assert found.language == "en-GB"
    assert found.site_name == "The Daily"  # from the title's suffix


def test_bytes_are_decoded_by_the_pages_own_charset() -> None:
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><article>'
        f"<p>Le caf\xe9 est ferm\xe9. {PARAGRAPHS[0]}</p></article></body></html>"
    ).encode("latin-1")
    found = extract(page, URL)
    assert found.text is not None and "Le café est fermé." in found.text


def test_a_declared_encoding_is_used_for_bytes() -> None:
    page = f"<html><body><article><p>Günter sagt: {PARAGRAPHS[1]}</p></article></body></html>"
    found = extract(page.encode("cp1252"), URL, encoding="cp1252")
    assert found.text is not None and "Günter sagt" in found.text


def test_plain_text_passes_through() -> None:
    found = extract(b"  Line one.\nLine two.  ", URL, content_type="text/plain; charset=utf-8")
    assert found.text == "Line one.\nLine two."
    assert (found.title, found.published_at) == ("", None)


def test_xml_is_not_taken_for_plain_text() -> None:
    page = f"<html><body><article><p>{PARAGRAPHS[0]}</p></article></body></html>"
    found = extract(page, URL, content_type="text/xml")
    assert found.text == PARAGRAPHS[0]


def test_an_unknown_charset_falls_back_to_utf8() -> None:
    assert extract("é".encode(), URL, content_type="text/plain", encoding="x-nonsense").text == "é"


def test_a_page_without_main_text_gives_none() -> None:
    assert extract("<html><head><title>x</title></head><body></body></html>", URL).text is None
    assert extract("", URL).text is None
    assert extract(b"   ", URL).text is None
    assert extract("", URL, content_type="text/plain").text is None


def test_a_copyright_year_is_not_taken_for_a_date() -> None:
    page = f"<html><body><p>{PARAGRAPHS[0]}</p><footer>© 2021 Example Ltd</footer></body></html>"
    found = extract(page, URL)
    assert (found.published_at, found.modified_at) == (None, None)


def test_a_date_in_the_url_counts() -> None:
    page = f"<html><body><article><p>{PARAGRAPHS[0]}</p></article></body></html>"
    when = find_date(page, "https://daily.test/2023/11/02/some-story", original=True)
    assert when == datetime(2023, 11, 2, tzinfo=UTC)


def test_html_language_reads_the_lang_attribute() -> None:
    assert html_language('<html lang="fr"><body>x</body></html>') == "fr"
    assert html_language("<html><body>x</body></html>") == ""


def test_a_fetched_page_can_be_extracted(server: TestServer) -> None:
    server.route("/story", Reply(200, ARTICLE))
    result = fetch(server.url("/story"))
    found = extract(result.body, result.final_url, content_type=result.content_type)
    assert found.title == "Minister denies report" and found.text is not None


TRAIN_STORY = "<p>Harbour Rail said the night train to Inverness would run all winter.</p>" * 3


def with_head(head: str) -> str:
    return f"<html><head>{head}</head><body><article>{TRAIN_STORY}</article></body></html>"


def test_the_site_name_comes_from_og_site_name() -> None:
    page = with_head('<title>Trains</title><meta property="og:site_name" content="Mersey Ledger">')
    assert extract(page, "https://ledger.example/a").site_name == "Mersey Ledger"


def test_the_site_name_comes_from_the_json_ld_publisher() -> None:
    data = (
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Trains", '
        '"publisher": {"@type": "Organization", "name": "North Wire"}}'
    )
    page = with_head(f'<title>Trains</title><script type="application/ld+json">{data}</script>')
    assert extract(page, "https://wire.example/a").site_name == "North Wire"


def test_the_site_name_comes_from_the_title_suffix() -> None:
    page = with_head("<title>Night train saved | The Highland Courier</title>")
    assert extract(page, "https://courier.example/a").site_name == "The Highland Courier"


def test_a_bare_domain_or_a_title_without_a_suffix_gives_no_site_name() -> None:
    plain = with_head("<title>Night train saved</title>")
    domain = with_head("<title>Night train saved | courier.example</title>")
    assert extract(plain, "https://courier.example/a").site_name == ""
    assert extract(domain, "https://courier.example/a").site_name == ""


def test_the_same_body_is_read_once_and_a_changed_one_again(monkeypatch) -> None:
    import trafilatura

    calls = []
    real = trafilatura.bare_extraction

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", counting)
    first = extract(ARTICLE.encode(), URL, encoding="utf-8")
    again = extract(ARTICLE.encode(), URL, encoding="utf-8")
    assert again == first and len(calls) == 1
    changed = extract(ARTICLE.replace("wrong", "right").encode(), URL, encoding="utf-8")
    assert len(calls) == 2 and "was right" in (changed.text or "")
