"""The readers on small real files: an HTML news page, a two-page PDF, a Markdown note, junk."""

import random
import shutil
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from conftest import DATA, write
from qa.formats import MAX_FILE_BYTES, READERS, UPLOAD_SUFFIXES, Unreadable, read_document
from qa.formats.html import read_html
from qa.formats.markdown import read_markdown
from qa.formats.pdf import read_pdf
from qa.formats.text import read_txt
from qa.ingest import read_documents
from qa.split import split_document

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = FIXTURES / "news_article.html"
REPORT = FIXTURES / "report.pdf"  # written by fixtures/make_report_pdf.py
BULLETIN = FIXTURES / "flood_bulletin.pdf"  # flood_bulletin.html printed by Chromium (the command is in it)
NOTES = FIXTURES / "field_notes.md"


def all_text(doc) -> str:
    return "\n".join(block.text for block in doc.blocks)


# --- HTML ---------------------------------------------------------------------------------


# Words from the menu, cookie banner, share buttons, newsletter box, related links, sidebar,
# comments and footer around the article, and from its scripts and styles.
PAGE_FURNITURE = (
    *("cookie", "Subscribe", "Sport", "Share on", "newsletter", "Related stories"),
    *("Ferry fares", "Most read", "Sidebar story", "Comments", "commenter", "Copyright", "Privacy policy"),
)
PAGE_CODE = ("MUST-NOT-APPEAR", "MUST NOT APPEAR", "dataLayer", "document.write", "font-family")


def test_html_article_keeps_the_story_and_its_metadata_and_drops_the_page_around_it():
    doc = read_document(ARTICLE.read_bytes(), "news/harbour.html")
    assert doc.kind == "html"
    assert doc.title == "Harbour reopens after storm repairs"
    assert doc.date == "2024-03-07"  # published, not modified (2024-03-09)
    assert doc.url == "https://www.coastaltimes.example/news/2024/03/07/harbour-reopens"
    # Oracle: the byline (trafilatura drops it: the only place the page names its writer), the
    # picture's caption where the picture is (a caption may hold a fact the story does not),
    # then the article's own paragraphs, read with lxml (the byline has a class, the rest not).
    tree = lxml_html.fromstring(ARTICLE.read_bytes())
    story = [" ".join(p.text_content().split()) for p in tree.xpath("//article/p[not(@class)]")]
    caption = "Caption text: the first ferry leaves Port Ellery."
    assert [block.text for block in doc.blocks] == ["By Jane Fisher, Transport correspondent", caption, *story]
    assert [block.section for block in doc.blocks] == [
        "Harbour reopens after storm repairs",
        "Harbour reopens after storm repairs",
        "Harbour reopens after storm repairs",
        "Harbour reopens after storm repairs",
        "Fishing fleet returns",
        "Fishing fleet returns",
        "What happens next",
    ]
    text = all_text(doc)
    for furniture in PAGE_FURNITURE + PAGE_CODE:
        assert furniture not in text
    sentences = split_document(doc)
    assert sentences[2].text == (
        "The harbour at Port Ellery reopened to ferries on Thursday, three weeks after a winter storm "
        "tore away part of the breakwater and sank two fishing boats at their moorings."
    )
    assert all(s.page is None for s in sentences)


def test_a_box_of_the_storys_own_text_is_read_and_a_box_of_links_is_not():
    """trafilatura drops every <aside>: a briefing's "Key points" went with the related links."""
    points = "<li>Charges are flat and low.</li><li>A three-tier charge could raise 31 million euros a year.</li>"
    links = '<li><a href="/a">Ferry fares to rise in spring, operator says</a></li><li><a href="/b">Storm bill</a></li>'
    page = (
        PLAIN_BODY.replace(
            "<h1>Club Deportivo Almadena</h1>",
            f"<h1>Club Deportivo Almadena</h1><aside class='key-points'><h2>Key points</h2><ul>{points}</ul></aside>"
            f"<aside class='related'><h3>Related stories</h3><ul>{links}</ul></aside>",
        )
        .replace("<body>", "<body><article>")
        .replace("</body>", "</article></body>")
    )
    page = page.replace("</article>", "<aside class='promo'><p>" + "Sign up to our free newsletter today. " * 4)
    page = page.replace("</body>", "</p></aside></article></body>")
    blocks = read_html(page.encode(), "club.html").blocks
    # At the article's end: where the box stood, its heading named the story after it too.
    assert [(b.section, b.text) for b in blocks[-2:]] == [
        ("Key points", "Charges are flat and low."),
        ("Key points", "A three-tier charge could raise 31 million euros a year."),
    ]
    assert all(b.section != "Key points" for b in blocks[:-2])
    assert not any("Ferry fares" in b.text or "newsletter" in b.text or "Related" in (b.section or "") for b in blocks)


def test_a_section_names_its_heading_and_the_one_it_is_under():
    """A release's "Fixed" did not say which release was meant; the title stays out of it."""
    notes = "# Firmware release notes\n\nChanges by release.\n\n## 3.1.4 (2 July 2024)\n\n### Fixed\n\n"
    notes += "- The clock drifted.\n\n## 3.1.3 (14 May 2024)\n\nA small release.\n\n### Fixed\n\n"
    notes += "#### Sensors\n\n- The pH slope was wrong.\n"
    doc = read_document(notes.encode(), "notes.md")
    assert [(b.section, b.text) for b in doc.blocks] == [
        ("Firmware release notes", "Changes by release."),
        ("3.1.4 (2 July 2024): Fixed", "The clock drifted."),
        ("3.1.3 (14 May 2024)", "A small release."),
        ("Fixed: Sensors", "The pH slope was wrong."),
    ]
    # A later heading of the first level is no title: what is under it says so.
    guide = b"# Guide\n\nIntro.\n\n# Installing\n\n## Windows\n\nRun it.\n\n# Removing\n\n## Windows\n\nUndo it.\n"
    assert [b.section for b in read_document(guide, "guide.md").blocks] == [
        "Guide",
        "Installing: Windows",
        "Removing: Windows",
    ]
    page = PLAIN_BODY.replace(
        "</body>",
        "<h2>Battery and power</h2><h3>Can I replace the battery myself?</h3>"
        "<p>Yes: the pack sits under the top hatch and is held by two thumb screws.</p></body>",
    )
    assert read_html(page.encode(), "faq.html").blocks[-1].section == (
        "Battery and power: Can I replace the battery myself?"
    )


def test_a_pictures_caption_is_read_after_it_without_its_credit_and_a_figures_table_stays():
    story = "<p>The footbridge will close for fourteen weeks from Monday while its beams are repaired.</p>"
    figure = (
        '<figure><img src="b.jpg"><figcaption><span class="caption-text">The footbridge, which opened in 1968,'
        ' carries 1,800 people a day</span> <span class="credit">Photo: J Bloggs</span></figcaption></figure>'
    )
    table = (
        '<figure class="wp-block-table"><table><tr><th>Month</th><th>Closures</th></tr>'
        "<tr><td>June</td><td>12 nights</td></tr></table>"
        "<figcaption>Table 1: planned closures of the footbridge by month this year</figcaption></figure>"
    )
    page = f"<html><body><article><h1>Footbridge</h1>{figure}{story}{table}{story}</article></body></html>"
    texts = [b.text for b in read_html(page.encode(), "bridge.html").blocks]
    assert texts[0] == "The footbridge, which opened in 1968, carries 1,800 people a day"
    assert "June | 12 nights" in texts and "Table 1: planned closures of the footbridge by month this year" in texts
    assert not any("Bloggs" in text for text in texts)
    # A picture between the headline and the story's own container: its caption opens the story.
    body = f'<div class="article-body">{story}{story.replace("fourteen", "fifteen")}</div>'
    before = f"<html><body><article><h1>Footbridge</h1>{figure}{body}</article></body></html>"
    texts = [b.text for b in read_html(before.encode(), "before.html").blocks]
    assert texts[0] == "The footbridge, which opened in 1968, carries 1,800 people a day" and len(texts) == 3


def test_a_wiki_headings_edit_link_is_no_part_of_its_section():
    page = PLAIN_BODY.replace(
        "</body>",
        '<h2><span class="mw-headline">Course</span><span class="mw-editsection">[<a href="?action=edit">edit</a>]'
        "</span></h2><p>The river rises in the highlands and flows south for 412 kilometres to the sea.</p></body>",
    )
    assert read_html(page.encode(), "river.html").blocks[-1].section == "Course"


def test_a_documentation_page_keeps_its_wrapped_paragraphs_whole_and_names_definitions_by_their_term():
    """From a new user's Python documentation (Sphinx): a paragraph wrapped at 80 columns in
    the source gave a block per line, each heading ended in its permalink "¶", a function's
    signature was a sentence of its own, quoted for what the function returns (now it opens its
    description), and an example of code was quoted as one run-on sentence."""
    page = (
        '<html><body><div class="body" role="main"><section id="heapq">'
        '<h1>heapq — Heap queue algorithm<a class="headerlink" href="#module-heapq" title="Link">¶</a></h1>'
        "<p>This module provides an implementation of the <code>heap queue</code> algorithm, also known\n"
        "as the priority queue algorithm. Heaps are binary trees for which every parent node\n"
        "has a value less than or equal to any of its children.</p>\n"
        '<dl class="py function"><dt class="sig sig-object py" id="heapq.heappop">heapq.heappop(heap)'
        '<a class="headerlink" href="#heapq.heappop" title="Link">¶</a></dt>\n'
        "<dd><p>Pop and return the smallest item from the <em>heap</em>, maintaining the heap\n"
        "invariant. If the heap is empty, IndexError is raised.</p>\n"
        '<div class="highlight-python3 notranslate"><div class="highlight"><pre><span></span>'
        '<span class="n">h</span> <span class="o">=</span> <span class="p">[]</span>\n'
        '<span class="n">heappop</span><span class="p">(</span><span class="n">h</span><span class="p">)</span>\n'
        "</pre></div></div>\n"
        "</dd></dl>"
        "<dl><dt>Can I bring my dog?</dt><dd><p>Yes, on a short lead.</p></dd></dl>"
        "<p>A notice kept as the council typed it:</p><pre>The library closes at noon on Friday.</pre>"
        "</section></div></body></html>"
    )
    doc = read_html(page.encode(), "library/heapq.html")
    texts = [b.text for b in doc.blocks]
    assert texts[0] == (
        "This module provides an implementation of the heap queue algorithm, also known as the priority queue "
        "algorithm. Heaps are binary trees for which every parent node has a value less than or equal to any of "
        "its children."
    )
    popped = next(b for b in doc.blocks if "Pop and return" in b.text)
    assert popped.text == (
        "heapq.heappop(heap): Pop and return the smallest item from the heap, maintaining the heap invariant. "
        "If the heap is empty, IndexError is raised."
    )
    assert popped.section == "heapq — Heap queue algorithm: heapq.heappop(heap)"
    dog = next(b for b in doc.blocks if "lead" in b.text)  # a term that is a sentence opens nothing
    assert (dog.text, dog.section) == ("Yes, on a short lead.", "heapq — Heap queue algorithm: Can I bring my dog?")
    assert not any("¶" in (b.section or "") + b.text for b in doc.blocks)
    assert not any("heappop(h)" in text or text == "heapq.heappop(heap)" for text in texts)
    assert "The library closes at noon on Friday." in " ".join(texts)  # a <pre> of prose stays


def test_a_wiki_pages_furniture_and_footnote_marks_are_no_text():
    """From a new user's Wikipedia page and newsletter: "[edit][edit]…", "…two people.[1]",
    "[citation needed]", the references as fragments ("BBC News.", "Reuters."), the infobox's
    title again as a sentence and the name of its rows; a newsletter's footnote number glued
    to its sentence ("pore pressure.1 The rest…"), a pull quote's credit in a paragraph."""
    mark = '<sup id="cite_ref-1" class="reference"><a href="#cite_note-1">&#91;1&#93;</a></sup>'
    needed = '<sup class="noprint Inline-Template">[<i><a href="/wiki/Help:Cite">citation needed</a></i>]</sup>'
    edit = '<span class="mw-editsection">[<a href="/w/index.php?action=edit">edit</a>]</span>'
    page = (
        '<html><body><h1 id="firstHeading">Brackwater Dam failure</h1><div class="mw-parser-output">'
        '<table class="infobox"><tr><th colspan="2" class="infobox-above">Brackwater Dam failure</th></tr>'
        "<tr><th>Date</th><td>14 November 2023</td></tr><tr><th>Deaths</th><td>2</td></tr></table>"
        f"<p>The flood reached the village of Thornsett within twelve minutes, killing two people.{mark} It was"
        f" the first fatal dam failure in the country since 1925.{needed}</p><h2>Inquiry{edit}</h2>"
        f"<p>The inquiry found that only 14 per cent of reservoirs had monitoring of pore pressure."
        '<a class="footnote-anchor" href="#footnote-1">1</a> The rest depend on an engineer walking the dam.</p>'
        '<blockquote class="pullquote"><p>“A seized valve is a dam you can’t steer.”</p>'
        '<p class="pullquote-credit">— Jiří Dvořák, supervising engineer</p></blockquote>'
        f"<h2>References{edit}</h2>"
        '<div class="reflist"><ol class="references"><li id="cite_note-1"><span class="mw-cite-backlink">^</span>'
        ' <cite>"Two dead as dam bursts". <i>BBC News</i>. 14 November 2023. Retrieved 14 November 2023.</cite>'
        "</li></ol></div></div></body></html>"
    )
    doc = read_html(page.encode(), "Brackwater_Dam_failure.html")
    read = [(s.section, s.text) for s in split_document(doc)]
    texts = [text for _, text in read]
    assert "Date | 14 November 2023" in texts and "Brackwater Dam failure" not in texts
    assert all(section == "Brackwater Dam failure" for section, _ in read[:2])
    assert "The flood reached the village of Thornsett within twelve minutes, killing two people." in texts
    assert "It was the first fatal dam failure in the country since 1925." in texts
    assert "The inquiry found that only 14 per cent of reservoirs had monitoring of pore pressure." in texts
    assert "“A seized valve is a dam you can’t steer.” — Jiří Dvořák, supervising engineer" in texts
    assert not any("edit]" in text or "BBC" in text or "Retrieved" in text for text in texts)
    # A number linked within the page that is a word of its sentence stays.
    ruling = (
        "<p>For the reasons given at paragraph <a href='#para12'>12</a> above, the appeal fails on every ground.</p>"
    )
    page = f"<html><body><article><h1>Ruling</h1>{ruling * 3}</article></body></html>"
    assert (
        read_html(page.encode(), "ruling.html").blocks[0].text.startswith("For the reasons given at paragraph 12 above")
    )


def test_a_byline_is_kept_once_and_only_as_a_byline():
    story = "<p>The ferry will run twice a day from May, the harbour board said on Tuesday after a long meeting.</p>"
    page = '<html><head><meta name="author" content="Ann Lee"></head><body><article><h1>Ferry</h1>{}' + story * 3
    page += "</article></body></html>"
    byline = read_document(page.format('<p class="byline">By Ann Lee · 3 May 2024</p>').encode(), "a.html")
    assert [b.text for b in byline.blocks][:2] == ["By Ann Lee", story[3:-4]]  # its date no part of who wrote
    # The writer named in the text already: no second byline. A "byline" element holding the
    # story is no byline.
    named = page.format('<p class="byline">By Ann Lee · 3 May 2024</p><p>Ann Lee reports from the harbour.</p>')
    assert read_document(named.encode(), "b.html").blocks[0].text == "Ann Lee reports from the harbour."
    wrapped = page.replace("<article>", '<article><div class="byline-wrap">').replace("</article>", "</div></article>")
    assert read_document(wrapped.format("").encode(), "c.html").blocks[0].text == story[3:-4]
    styled = read_document(page.format('<p class="c-byline__name">By Ann Lee</p>').encode(), "e.html")
    assert styled.blocks[0].text == "By Ann Lee"
    # Its dates, when the page marks them as such, are no part of who wrote it.
    dated = '<div class="byline"><span>By <a href="/ann">Ann Lee</a></span> <time>Published 3 May 2024, 16:40</time>'
    dated += ' <span class="updated">Updated 4 May 2024</span></div>'
    assert read_document(page.format(dated).encode(), "f.html").blocks[0].text == "By Ann Lee"
    # A time alone ("Updated 18:05") is as much a date; a story's reading time no sentence.
    timed = '<div class="byline"><address>By Ann Lee</address> <span class="updated">Updated 18:05</span></div>'
    timed += '<p class="dateline"><time datetime="2024-05-03">3 May 2024</time> · 6 min read</p>'
    assert [b.text for b in read_document(page.format(timed).encode(), "h.html").blocks][:2] == [
        "By Ann Lee",
        story[3:-4],
    ]
    inline = '<div class="byline">By Ann Lee · <span class="date">Updated 18:05</span> · 6 min read</div>'
    assert read_document(page.format(inline).encode(), "i.html").blocks[0].text == "By Ann Lee"
    # A date written as plain text beside its <time>, as one part of the byline, goes too.
    plain = '<div class="byline">By Ann Lee, Coast correspondent · <time>4 March 2025, 18:42 CET</time> · '
    plain += "Updated 5 March 2025 · 5 min read</div>"
    assert read_document(page.format(plain).encode(), "j.html").blocks[0].text == "By Ann Lee, Coast correspondent"
    # Its label left alone when the date it stood before was a <time> ("· Updated" stayed).
    labelled = plain.replace("Updated 5 March 2025", 'Updated <time datetime="2025-03-05">5 March 2025</time>')
    assert read_document(page.format(labelled).encode(), "k.html").blocks[0].text == "By Ann Lee, Coast correspondent"
    # A part that names the writer as well stays whole; one that only sounds like a date stays.
    for marked, expected in [
        ('<span class="author-and-date">By Ann Lee, 3 May 2024</span>', "By Ann Lee, 3 May 2024"),
        ('By <a class="author-candidate">Ann Lee</a> — <time>3 May 2024</time>', "By Ann Lee"),
        (
            '<span>By Ann Lee</span>, <span class="byline__date">3 May 2024</span>, <span>Issue 4</span>',
            "By Ann Lee, Issue 4",
        ),
    ]:
        byline = f'<div class="byline">{marked}</div>'
        assert read_document(page.format(byline).encode(), "g.html").blocks[0].text == expected
    photo = '<figure><img src="x.jpg"><figcaption><span class="image-byline">Photo: Getty</span></figcaption></figure>'
    assert "Getty" not in " ".join(b.text for b in read_document(page.format(photo).encode(), "d.html").blocks)


def test_the_summary_under_the_headline_is_read_before_the_story():
    """trafilatura keeps the article's body and drops the standfirst above it, often the story's
    main fact: marked as one, or showing the page's own description where the marks are a
    styling library's."""
    story = (
        "<p>The council voted 7 to 3 on Tuesday night to approve the dam, after a four-hour meeting in which "
        "residents spoke for and against it.</p><p>Opponents said the valley holds rare orchids and a Roman road "
        "that would be lost under the water.</p><p>Work is expected to start in the autumn, the council's "
        "engineer said after the vote.</p>"
    )
    summary = "The scheme will flood the Wenn valley by 2027, officials say."
    page = (
        '<html><head><meta property="og:description" content="{description}"></head><body><main><article>'
        '<header><h1>Council approves dam</h1>{top}<div class="byline">By Jane Roe</div></header>'
        '<div class="article-body">{story}</div>{after}</article></main></body></html>'
    )
    for top, description in [
        (f'<p class="standfirst">{summary}</p>', ""),
        (f'<div class="headline-block"><h2 class="article__dek">{summary}</h2></div>', ""),
        (f'<p id="article-summary" class="css-1x2y3z">{summary}</p>', ""),
        (f'<div class="dcr-1yi1cnj"><p>{summary}</p></div>', summary),
    ]:
        doc = read_html(page.format(top=top, description=description, story=story, after="").encode(), "dam.html")
        assert [b.text for b in doc.blocks][:3] == [summary, "By Jane Roe", story.split("</p>")[0][3:]]
    # Key points: an item each, not run together.
    points = ["The scheme will flood the Wenn valley", "Work starts in the autumn of 2025"]
    listed = f'<div class="key-summary"><ul>{"".join(f"<li>{p}</li>" for p in points)}</ul></div>'
    doc = read_html(page.format(top=listed, description="", story=story, after="").encode(), "points.html")
    assert [b.text for b in doc.blocks][:3] == [*points, "By Jane Roe"]
    # Lines of a <br> are pieces of their own, not run together.
    broken = '<div class="standfirst">The scheme will flood the valley<br>Residents will be moved by 2027</div>'
    doc = read_html(page.format(top=broken, description="", story=story, after="").encode(), "br.html")
    assert [b.text for b in doc.blocks][:2] == ["The scheme will flood the valley", "Residents will be moved by 2027"]
    # A blog's site name is an <h1> too, and its tagline under it no summary of the story; nor is
    # a writer's box after a story of short paragraphs.
    blog = (
        '<html><body><header><h1 class="site-title">Harbour Notes</h1><h2 class="site-description">News and '
        'views from the harbour town</h2></header><article><h1>Council approves dam</h1><div class="entry">'
        + story.replace("</p>", " It was late.</p>")
        + '</div><div class="author-description"><p>Jane Roe has covered the harbour for the Gazette since 2009.'
        "</p></div></article></body></html>"
    )
    texts = [b.text for b in read_html(blog.encode(), "blog.html").blocks]
    assert texts[0].startswith("The council voted") and not any("harbour town" in t or "2009" in t for t in texts)
    # Not twice when the story repeats it; not a "summary" box once the story has begun; not a
    # picture's description, nor an unmarked line.
    repeated = page.format(
        top=f'<p class="standfirst">{summary}</p>', description="", story=f"<p>{summary}</p>{story}", after=""
    )
    assert [b.text for b in read_html(repeated.encode(), "a.html").blocks].count(summary) == 1
    for top, after in [
        ("", f'<div class="summary">{summary}</div>'),
        (f'<div class="photo-description">{summary}</div>', ""),
        (f"<p>{summary}</p>", ""),
    ]:
        doc = read_html(page.format(top=top, description="", story=story, after=after).encode(), "b.html")
        assert doc.blocks[0].text == "By Jane Roe"


def test_a_news_pages_pull_quotes_captions_bylines_and_subtitles_read_as_a_reader_sees_them():
    """From a second new user's pages modelled on big news sites."""
    story = "".join(
        f"<p>The council voted on day {n} to approve the scooter ban after a long debate in the chamber.</p>"
        for n in range(4)
    )

    def blocks(middle: str, top: str = "", head: str = "") -> list[tuple[str | None, str]]:
        page = f"<html><head>{head}</head><body><article><h1>Paris bans scooters</h1>{top}{story}{middle}"
        return [(b.section, b.text) for b in read_html(f"{page}</article></body></html>".encode(), "p.html").blocks]

    # A pull quote's credit after its words, not a sentence before them; a work's title inside
    # a quoted sentence is no credit; a credit is spaced as written.
    for quote, read_as in [
        ("<p>“It is a success.”</p><cite>— Anne Hidalgo</cite>", "“It is a success.” — Anne Hidalgo"),
        ("<p>“The best chance.”</p><footer><cite>Gabriel Boric</cite></footer>", "“The best chance.” — Gabriel Boric"),
        ("<p>As we read in <cite>The Times</cite> today, it works.</p>", "As we read in The Times today, it works."),
        ("<p>“We won.”</p><footer>— <cite>Anne Hidalgo</cite>, Mayor</footer>", "“We won.” — Anne Hidalgo, Mayor"),
    ]:
        assert read_as in [text for _, text in blocks(f'<blockquote class="pull-quote">{quote}</blockquote>')]
    # Text for screen readers alone is not the caption's.
    caption = '<figure><img src="a.jpg"><figcaption><span class="VisuallyHidden">Image caption, </span>The glow '
    caption += "could be seen from Reykjavík, about 42km away</figcaption></figure>"
    assert "The glow could be seen from Reykjavík, about 42km away" in [text for _, text in blocks(caption)]
    # A byline in an <address>, or named by a site's component; a subtitle in an <h2> right
    # under the headline is text, not the name of every section.
    assert blocks("", "<address>By Marcela Ayres and Bernardo Caram</address>")[0][1] == (
        "By Marcela Ayres and Bernardo Caram"
    )
    assert blocks("", '<div data-component="byline-block"><p>By Ana Ruiz</p></div>')[0][1] == "By Ana Ruiz"
    subtitle = "The city limits rental scooters to three operators from September onwards"
    page = f'<html><body><article><header><h1>Paris bans scooters</h1><h2 class="a_st">{subtitle}</h2></header>'
    page = [(b.section, b.text) for b in read_html(f"{page}{story}</article></body></html>".encode(), "s.html").blocks]
    assert page[0][1] == subtitle and all(section != subtitle for section, _ in page)
    # Beside the headline in the article, an <h2> names the first section, however long.
    guide = blocks("", f"<h2>{subtitle}</h2>")
    assert guide[0][0].endswith(subtitle) and subtitle not in [text for _, text in guide]


def test_a_reviews_pages_of_posts_cards_and_blogs_keep_their_text():
    """Pages a review made after the changes for live pages and cards: each lost its text."""
    texts = [f"The council voted {n} to two on Tuesday to approve a plan to dredge the harbour." for n in range(4)]
    text = texts[0]
    # Posts whose own marks say "status-publish" and "user-post": the post is no time nor writer.
    posts = "".join(
        f'<article class="message user-post status-publish"><h3>Update {n}</h3><p>{texts[n]}</p></article>'
        for n in range(3)
    )
    page = f"<html><body><main><h1>Budget live</h1><div>{posts}</div></main></body></html>"
    assert [b.text for b in read_html(page.encode(), "live.html").blocks] == texts[:3]
    # Cards whose link wraps the heading are still cards; a blog post whose heading links to the
    # page's own address is the page's story.
    cards = "".join(
        f'<article class="card"><a href="/news/{n}"><h3>Other story {n}</h3><p>{text[:70]}</p></a></article>'
        for n in range(3)
    )
    story = "".join(f"<p>{t}</p>" for t in texts)
    page = f"<html><body><h1>Dredging</h1><div class='main-column'>{story}</div>{cards}</body></html>"
    assert [b.text for b in read_html(page.encode(), "cards.html").blocks] == texts
    own = "https://example.org/2024/05/gearbox/"
    blog = (
        f'<html><head><link rel="canonical" href="{own}"></head><body><article><h2><a href="{own}">Gearbox</a>'
        f'</h2>{story}</article><article><h2><a href="/about/">About</a></h2><p>A blog.</p></article></body></html>'
    )
    assert text in [b.text for b in read_html(blog.encode(), "blog.html").blocks]
    # A standfirst written as an <h2> inside its marked box.
    summary = "Lava fountains shoot 100m into the air as an eruption begins on the peninsula"
    page = f'<html><body><article><h1>Volcano</h1><div class="standfirst"><h2>{summary}</h2></div>{story}</article>'
    assert read_html(f"{page}</body></html>".encode(), "v.html").blocks[0].text == summary


def test_a_short_story_keeps_its_paragraphs_apart_from_the_headline():
    """Under 250 characters of story, trafilatura took the whole page's text as one paragraph,
    the headline and the byline glued to the first sentence ("Council approves dam The
    council voted…")."""
    story = [
        "The council voted 7 to 3 on Tuesday night to approve the dam, after a four-hour meeting.",
        "Opponents said the valley holds rare orchids and a Roman road that would be lost for good.",
    ]
    page = (
        "<html><head><title>Dam</title></head><body><main><article><header><h1>Council approves dam</h1>"
        '<div class="byline">By Jane Roe</div></header><div class="article-body">'
        + "".join(f"<p>{p}</p>" for p in story)
        + "</div></article></main></body></html>"
    )
    assert [b.text for b in read_html(page.encode(), "dam.html").blocks] == ["By Jane Roe", *story]
    # A page whose story trafilatura cannot find keeps the text its fallback found.
    loose = "<html><body><div>" + " ".join(story * 3) + "</div></body></html>"
    assert "Roman road" in read_html(loose.encode(), "loose.html").blocks[0].text


def test_every_post_of_a_live_page_is_read_under_its_heading():
    """A live page's posts, each an <article>: trafilatura read the first alone, or with its
    fallbacks the rest with their headings as sentences, and their times not at all."""
    posts = [
        (
            f"Update {n}: talks resume in Geneva",
            f"Diplomats met for round {n} on Thursday morning, a spokesperson said, and agreed to meet again "
            "next week in the same city.",
            f"The meeting lasted {n + 2} hours and ended without a joint statement. Officials said a further "
            "round was likely before the end of the month, though no date had been set.",
        )
        for n in range(1, 5)
    ]
    feed = "".join(
        f"<li><article><header><h2>{h}</h2><time>10:{n}0 a.m. ET</time></header><p>{a}</p><p>{b}</p></article></li>"
        for n, (h, a, b) in enumerate(posts)
    )
    teasers = "".join(
        f'<article><h3><a href="/s{n}">Other story {n} with a headline of some length</a></h3>'
        "<p>A teaser.</p></article>"
        for n in range(3)
    )
    page = f"<html><body><main><h1>Live: Geneva talks</h1><ol>{feed}</ol></main>{teasers}</body></html>"
    blocks = read_html(page.encode(), "live.html").blocks
    # Each post's time stands before its heading, where the quote's place is told.
    expected = [(f"10:{n}0 a.m. ET · {h}", t) for n, (h, *texts) in enumerate(posts) for t in texts]
    assert [(b.section, b.text) for b in blocks] == expected
    # A forum's posts: who wrote each (the first line of its user box) and when, not as text.
    forum = "".join(
        f'<article class="message"><div class="message-user"><a href="/m/{n}">Poster_{n}</a><br>Member<br>'
        f'Messages: 3</div><div class="message-content"><p class="message-date">9 Jan 2024 at 0{n}:42 · #{n}</p>'
        f"<p>{a}</p><p>{b}</p></div></article>"
        for n, (_, a, b) in enumerate(posts)
    )
    blocks = read_html(f"<html><body><h1>Defrosting</h1>{forum}</body></html>".encode(), "forum.html").blocks
    expected = [(f"Poster_{n} · 9 Jan 2024 at 0{n}:42 · #{n}", t) for n, (_, *ts) in enumerate(posts) for t in ts]
    assert [(b.section, b.text) for b in blocks] == expected
    # Posts inside the page's own <article>, one with no heading: its time is its heading, not
    # the post's above; the page's key points ("What we're covering") come first, not after a
    # post.
    short = [
        ("16.42 BST", "<h2>Gall wins!</h2>", "Felix Gall wins the stage at Courchevel by 34 seconds."),
        ("15.30 BST", "", "The Col de la Loze tops out at 2,304 metres, the race's highest point."),
        ("12.00 BST", "<h2>Preamble</h2>", "Welcome to live coverage of a 166km stage to Courchevel."),
    ]
    nested = "".join(f"<article><header><time>{t}</time>{h}</header><p>{p}</p></article>" for t, h, p in short)
    points = '<div class="live__what-were-covering"><h2>What we\'re covering</h2><ul><li>Gall won by 34 seconds.</li>'
    page = f"<html><body><article><h1>Stage 17 live</h1>{points}</ul></div>{nested}</article></body></html>"
    assert [(b.section, b.text) for b in read_html(page.encode(), "tour.html").blocks] == [
        (None, "Gall won by 34 seconds."),
        ("16.42 BST · Gall wins!", short[0][2]),
        ("15.30 BST", short[1][2]),
        ("12.00 BST · Preamble", short[2][2]),
    ]
    # One story with teaser cards of others beside it is a story, not a feed, even when the
    # cards hold long summaries; and a card is not taken for the story when it comes first.
    # (A story in an unmarked <div>, its headline outside it, with more card text than its own
    # beside it, is read with the cards: nothing tells which is the story.)
    story = "".join(f"<p>{t}</p>" for _, *texts in posts for t in texts)
    page = f"<html><body><article><h1>Geneva talks</h1>{story}</article><aside>{teasers}</aside></body></html>"
    assert [b.text for b in read_html(page.encode(), "story.html").blocks] == [t for _, *ts in posts for t in ts]
    summary = "A summary of another story, which tells readers what happened in the other town over the long weekend."
    card = '<article class="card"><h3><a href="/s{n}">Other story {n}</a></h3><p>{text}</p></article>'
    cards = "".join(card.format(n=n, text=f"{summary} {summary}") for n in range(6))
    for page in [
        f'<html><body><main><article><h1>Geneva talks</h1>{story}</article><section class="more">{cards}</section>'
        "</main></body></html>",
        f'<html><body><h1>Geneva talks</h1><div class="story-body">{story}</div>{card.format(n=1, text=summary) * 3}'
        "</body></html>",
    ]:
        assert [b.text for b in read_html(page.encode(), "cards.html").blocks] == [t for _, *ts in posts for t in ts]
    # A page of nothing but cards (a section's front page) is read as it is.
    front = f"<html><body><h1>World</h1>{cards}</body></html>"
    assert summary in read_html(front.encode(), "front.html").blocks[0].text


PLAIN_BODY = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Club Deportivo Almadena</title></head>
<body><h1>Club Deportivo Almadena</h1>
<p>Club Deportivo Almadena is a football club based in Almadena de la Sierra, a town of roughly 23,000
inhabitants in the province of Badajoz. It plays in the fourth tier and holds its home matches at El Pinarejo.</p>
<h2>History</h2><p>The club was founded on 14 April 1921 by a schoolteacher and eleven workers from the cork
factory. It first played friendly matches against teams from neighbouring villages behind the station.</p>
<h2>Notable players</h2><ul>
<li>Søren Kjærgaard (1999–2003), a Danish striker who scored 61 league goals for the club.</li>
<li>Lucía Ferrándiz (2018–2022), captain of the women's team and later its head coach.</li></ul>
</body></html>"""


def test_a_forum_reply_after_the_post_it_quotes_is_read_and_the_posters_box_is_not():
    """A reply's own words after its quotation of another post were lost, the quoted poster's
    "wrote:" was glued to the words ("Sunniva_H wrote:She had…"), and each poster's box
    ("Posts: 212", "Joined: Oct 2024") was quoted after their post."""
    post = (
        '<div class="post"><div class="postbody"><h3>Re: recall</h3><div class="content">{}</div></div>'
        '<dl class="postprofile"><dt><a href="/u/1">{}</a></dt><dd>Posts: 212</dd><dd>Joined: Oct 2024</dd></dl></div>'
    )
    page = (
        "<html><head><title>Formula recall - anyone else's baby ill?</title></head><body><h1>Formula recall</h1>"
        + post.format(
            "My daughter had a slight temperature on Thursday but seems fine now. Has anyone else's baby been ill?",
            "Sunniva_H",
        )
        + post.format(
            "<blockquote><div><cite>Sunniva_H wrote:</cite>She had a slight temperature on Thursday.</div></blockquote>"
            "I'm a neonatal nurse. A baby under two months with a fever should <b>always</b> be checked by a doctor.",
            "Lucja_K",
        )
        + "</body></html>"
    )
    texts = [b.text for b in read_html(page.encode(), "thread.html").blocks]
    assert "Sunniva_H wrote: She had a slight temperature on Thursday." in texts
    assert "I'm a neonatal nurse. A baby under two months with a fever should always be checked by a doctor." in texts
    assert not any("Posts:" in text or "Joined:" in text or text in ("Sunniva_H", "Lucja_K") for text in texts)


def test_a_threads_replies_after_its_first_post_are_read_and_a_news_pages_comments_are_not():
    """A new user's forum thread: the headline in the first post, each reply an <article> of its
    own after it; all four replies were lost (trafilatura read the first article only)."""
    opening = "".join(f"<p>I have been in the trial since March, and this is week {n} of it.</p>" for n in range(8))
    reply = '<article class="post reply"><div class="meta"><span class="username">{}</span></div><p>{}</p></article>'
    replies = reply.format("Birgitte_H", "Thanks. I read somewhere that eight people got liver damage. Is that right?")
    replies += reply.format("Jørn Aasgård", "Birgitte, it was seven, all on the higher dose. One paper printed nine.")
    page = (
        "<html><head><title>My trial just stopped</title></head><body><div class='thread'>"
        f"<article class='post'><h1>My trial just stopped</h1>{opening}</article>"
        f"<section class='replies'>{replies}</section></div></body></html>"
    )
    blocks = read_html(page.encode(), "thread.html").blocks
    assert "Birgitte, it was seven, all on the higher dose. One paper printed nine." in [b.text for b in blocks]
    assert blocks[-1].section.endswith("Jørn Aasgård")  # who posted it
    # The same replies as a news story's readers' comments: no text of the story.
    for readers in ("class='comments'", "class='reader-responses'"):
        comments = page.replace("class='replies'", readers)
        assert "Birgitte" not in " ".join(b.text for b in read_html(comments.encode(), "story.html").blocks)
    responses = page.replace('class="post reply"', 'class="response"')  # not marked as a thread's post
    assert "Birgitte" not in " ".join(b.text for b in read_html(responses.encode(), "story.html").blocks)


def test_a_page_whose_body_holds_the_text_keeps_its_headings_and_lists():
    """No <article>, no <main>: trafilatura kept the paragraphs alone, and the players, named
    nowhere else, were lost without a word."""
    doc = read_html(PLAIN_BODY.encode(), "almadena.html")
    tree = lxml_html.fromstring(PLAIN_BODY.encode())
    assert [block.text for block in doc.blocks] == [" ".join(e.text_content().split()) for e in tree.iter("p", "li")]
    assert [block.section for block in doc.blocks] == [
        "Club Deportivo Almadena",
        "History",
        "Notable players",
        "Notable players",
    ]


MOST_READ = """<html><head><title>Ashby bypass approved</title></head><body>
<div>We use cookies to give you the best experience on our website. By continuing you agree to our use of cookies.</div>
<div><h1>Ashby bypass approved</h1>
<p>The county council approved the Ashby bypass on Tuesday after a four-hour debate, ending a dispute that
has run for twelve years between the town, its villages and the hauliers who use the old road.</p>
<p>The road will cost £38 million and take three years to build; work starts next spring, the council's
transport chief said, and the old road through the market square will then close to lorries.</p></div>
<div><h3>Most read</h3><ul>
<li><a href="/1">Plans for 400 homes on the edge of Ashby approved despite objections from residents</a></li>
<li><a href="/2">Bus fares in the county to rise by ten pence from January, operator confirms</a></li>
<li><a href="/3">Swimming pool at the leisure centre to close for six months for urgent repairs</a></li>
<li><a href="/4">Library opening hours to be extended into the evenings from September onwards</a></li>
<li><a href="/5">Police appeal for witnesses after a lorry hit the old bridge in the early hours</a></li>
<li><a href="/6">Primary school rated outstanding for the first time in its ninety-year history</a></li></ul></div>
<div><p>Copyright 2024 Ashby Courier. All rights reserved.</p></div></body></html>"""


def test_a_list_of_links_to_other_stories_does_not_make_the_page_around_it_the_article():
    """Counted as text, the "Most read" headlines outweighed the story, and the whole page,
    cookie banner and headlines of other stories, was taken for the article."""
    doc = read_html(MOST_READ.encode(), "bypass.html")
    assert [block.text[:24] for block in doc.blocks] == ["The county council appro", "The road will cost £38 m"]


def test_a_tables_rows_are_under_its_header_row():
    """ "Possession | 54% | 46%" never said which team had which: the header row does. Of labels
    only, it is no sentence ("Action | Owner | Status" was quoted); with a figure, or alone, it is."""
    page = PLAIN_BODY.replace(
        "</body>",
        "<h2>Match facts</h2><table><tr><th></th><th>Almadena</th><th>Villafría</th></tr>"
        "<tr><td>Possession</td><td>54%</td><td>46%</td></tr></table>"
        "<h2>Line-ups</h2><table><tr><th>Almadena (4-3-3)</th><th>Villafría (4-4-2)</th></tr>"
        "<tr><td>Ruiz</td><td>Ortega</td></tr></table></body>",
    )
    doc = read_html(page.encode(), "almadena.html")
    assert [(b.section, b.text) for b in doc.blocks][-3:] == [
        ("Match facts: Almadena | Villafría", "Possession | 54% | 46%"),  # its first cell is empty
        ("Line-ups", "Almadena (4-3-3) | Villafría (4-4-2)"),
        ("Line-ups: Almadena (4-3-3) | Villafría (4-4-2)", "Ruiz | Ortega"),
    ]
    note = read_document(
        b"# Stats\n\n| | Almadena | Villafria |\n|--|--|--|\n| Possession | 54% | 46% |\n\n"
        b"| Action | Owner |\n|--|--|\n\nText.\n",
        "s.md",
    )
    assert [(b.section, b.text) for b in note.blocks] == [
        ("Stats: Almadena | Villafria", "Possession | 54% | 46%"),
        ("Stats", "Action | Owner"),  # nothing under it
        ("Stats", "Text."),
    ]
    # A unit is no figure: "Capacity (hm³)" names a column (a reader's "What share…?" quoted it).
    units = read_document(
        "# Reservoirs\n\n| Reservoir | Capacity (hm³) | Share |\n|--|--|--|\n| Sau | 165 | 16.4% |\n".encode(), "r.md"
    )
    header = "Reservoirs: Reservoir | Capacity (hm³) | Share"
    assert [(b.section, b.text) for b in units.blocks] == [(header, "Sau | 165 | 16.4%")]


def test_a_tables_empty_cells_at_the_end_of_a_row_are_no_text():
    """An infobox's group row ("Location" over the cities) read "Location | |", and an empty
    footer row "| | |" was a sentence."""
    page = PLAIN_BODY.replace(
        "</body>",
        "<h2>Facts</h2><table><tr><th>Location</th><td></td><td></td></tr>"
        "<tr><td>Cities</td><td>Brennau, Ostvale</td><td></td></tr><tr><td></td><td></td><td></td></tr></table></body>",
    )
    doc = read_html(page.encode(), "river.html")
    assert [b.text for b in doc.blocks if b.section == "Facts"] == ["Location", "Cities | Brennau, Ostvale"]
    # An empty cell inside a row keeps its place.
    note = read_document(b"# Stats\n\n| a | b | c |\n|--|--|--|\n| 1 | | 3 |\n| 4 | 5 | |\n", "s.md")
    assert [b.text for b in note.blocks] == ["1 |  | 3", "4 | 5"]  # under "a | b | c"


def test_links_outside_the_paragraphs_do_not_make_the_story_look_small():
    """A bar of tag links in the story's block: subtracted though never counted, they made the
    whole page, cookie banner and all, the article."""
    page = MOST_READ.replace(
        "<h1>Ashby bypass approved</h1>",
        "<h1>Ashby bypass approved</h1><div>" + ('<a href="/t">Transport news and views</a> ' * 20) + "</div>",
    )
    assert [b.text[:24] for b in read_html(page.encode(), "bypass.html").blocks] == [
        "The county council appro",
        "The road will cost £38 m",
    ]


def test_a_page_of_bare_divs_is_read_from_the_block_around_its_heading():
    page = """<html><head><title>Library hours to be extended</title></head><body>
<div>Riverton Gazette</div>
<div><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></div>
<div>We use cookies to give you the best experience. By continuing you agree to our use of cookies.</div>
<div><h1>Library hours to be extended</h1>
<p>The central library will open until 9 pm on weekdays from September, the council said on Monday.</p>
<p>The change costs £48,000 a year and is paid for by cutting the mobile library to two days a week.</p>
<h2>Reaction</h2><p>Students welcomed the move, saying the library was the only quiet place in town to study.</p></div>
<div><h3>You may also like</h3><p><a href="/x">Swimming pool to close for repairs</a></p></div>
<div><p>Sign up to our newsletter for the latest news.</p></div>
<div><p>Copyright 2024 Riverton Gazette. All rights reserved.</p></div></body></html>"""
    doc = read_html(page.encode(), "library.html")
    assert [(block.section, block.text[:24]) for block in doc.blocks] == [
        ("Library hours to be extended", "The central library will"),
        ("Library hours to be extended", "The change costs £48,000"),
        ("Reaction", "Students welcomed the mo"),
    ]


def test_html_is_decoded_by_its_declared_charset_or_by_sniffing():
    paragraph = (
        "<p>Le café de la gare a rouvert jeudi après les inondations. « C’est un soulagement », a déclaré "
        "la gérante, qui a dû jeter tout son stock. Les réparations ont coûté près de 40 000 €.</p>"
    )
    declared = f'<html><head><meta charset="windows-1252"><title>Café rouvert</title></head><body>{paragraph}</body>'
    sniffed = declared.replace('<meta charset="windows-1252">', "")
    for page in (declared.encode("cp1252"), sniffed.encode("cp1252"), declared.encode("utf-16")):
        doc = read_html(page, "cafe.html")
        assert doc.title == "Café rouvert"
        assert doc.blocks[0].text.startswith("Le café de la gare a rouvert jeudi après les inondations. « C’est")
        assert doc.blocks[0].text.endswith("près de 40 000 €.")


def test_mojibake_is_mended_and_text_that_only_looks_like_it_is_not():
    """UTF-8 once read as Windows-1252 and saved again ("SÃ¸ren HÃ¥kansson", "â€œ…â€"): quoted
    as it stood, and the name typed right did not find it (a new user's damaged documents)."""
    said = "“We know that an apology is not enough — people want to see action,” said Søren Håkansson, plant manager."
    damaged = (DATA / "newuser17-seeds" / "brennholm_statement_mojibake.txt").read_bytes()
    assert "SÃ¸ren" in damaged.decode("utf-8")
    assert any(said in b.text for b in read_txt(damaged, "statement.txt").blocks)
    for text in ["SÃO PAULO, the city's name in capitals.", "Ãrbok 2024 is Árbok's misprint."]:
        assert read_txt(f"Note\n\n{text}\n".encode(), "n.txt").blocks[-1].text == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Le café de la gare a rouvert jeudi. « C’est un soulagement », a déclaré la gérante.", "cp1252"),
        # charset-normalizer scores cp1250 as high as cp1252 for these: the likelier one wins.
        ("El niño jugó en la playa de España con su compañero.", "cp1252"),
        ("La città è pronta per la festa, perché è già sabato.", "cp1252"),
        ("A reunião terminou às três horas, disse o ministro.", "cp1252"),
        ("Herr Müller führte Gespräche über die Außenpolitik.", "cp1252"),
        ("Rada miasta Gdańsk przyjęła budżet na rok 2024. Radny Piotr Nowak głosował przeciw.", "cp1250"),
        ("Президент провёл переговоры в четверг. Встреча длилась час.", "cp1251"),
        ("Notepad saves “Unicode” as UTF-16 with a byte-order mark: Erdoğan, Çavuşoğlu.", "utf-16"),
    ],
)
def test_a_text_file_in_a_legacy_encoding_is_read_as_written(text, encoding):
    doc = read_document(text.encode(encoding), "note.txt")
    assert doc.blocks[0].text == text


def test_a_web_page_in_any_script_is_sniffed_among_all_encodings():
    body = "東京都は木曜日、新しい防災計画を発表した。計画は来年から実施される予定だ。" * 3
    page = f"<html><head><title>防災計画</title></head><body><p>{body}</p></body></html>"
    doc = read_html(page.encode("shift_jis"), "tokyo.html")
    assert doc.title == "防災計画" and doc.blocks[0].text.startswith("東京都は木曜日")


def test_html_without_metadata_has_no_guessed_date_and_is_titled_by_heading_or_file_name():
    story = (
        "Landings at Port Ellery fell sharply last year, the harbour office said. Skippers blamed the storms, "
        "which kept the fleet in port for most of February, and the price of fuel, which doubled in a year."
    )
    table = "<table><tr><th>Year</th><th>Tonnes landed</th></tr><tr><td>2023</td><td>410</td></tr></table>"
    page = f"<html><body><article><h1>Catch figures</h1><p>{story}</p>{table}</article></body></html>"
    doc = read_html(page.encode(), "notes/catch_figures.html")
    assert (doc.title, doc.date, doc.url) == ("Catch figures", None, None)  # no date guessed from "2023"
    assert [b.text for b in doc.blocks] == [story, "2023 | 410"]  # under "Year | Tonnes landed"
    untitled = read_html(b"<html><body><p>Only a paragraph here.</p></body></html>", "web/port_ellery-ferries.htm")
    assert untitled.title == "port ellery ferries"
    assert [b.text for b in untitled.blocks] == ["Only a paragraph here."]


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_pages_paragraphs_hyphens_and_metadata():
    doc = read_document(REPORT.read_bytes(), "reports/report.pdf")
    assert doc.kind == "pdf"
    assert doc.title == "Harbour Flood Defences Review"
    assert doc.date == "2024-03-05"
    assert doc.url == "https://council.example.org/reports/harbour-flood-review"
    title, recommendations = "Harbour Flood Defences Review", "Recommendations"
    assert [(b.page, b.section, b.text) for b in doc.blocks] == [
        (
            1,
            title,
            "The council commissioned this review after the storm of 14 February flooded the lower town and "
            "closed the ferry terminal for nine days. Engineers inspected the sea wall, the tidal gates and the "
            "pumping station, and they interviewed residents whose homes were damaged by the water. Their main "
            "finding is simple.",
        ),
        (
            1,
            title,
            "The tidal gates failed because a control cabinet had been installed below the flood-prone line, "
            "where salt water reached it within an hour. Every flood-prone street in the lower town lost power "
            "before the pumps could start.",
        ),
        (2, title, "Residents waited three hours for the fire service."),
        (
            2,
            recommendations,
            "The review recommends moving the control cabinet two metres higher and fitting a backup generator "
            "at the pumping station. The work would cost 1.2 million pounds, and the well-known contractor who "
            "built the sea wall has offered to finish it within four months.",
        ),
        (
            2,
            recommendations,
            "It also asks the harbour authority to publish tide warnings by text message, because most "
            "residents said they heard about the flood from neighbours rather than from any official source.",
        ),
    ]
    pages = {s.text: s.page for s in split_document(doc)}
    # The sentence that runs from the foot of page 1 onto page 2 is quoted whole, from page 1.
    assert pages["Every flood-prone street in the lower town lost power before the pumps could start."] == 1
    assert pages["Residents waited three hours for the fire service."] == 2
    assert pages["Their main finding is simple."] == 1
    assert "1" not in pages and "2" not in pages  # page numbers are not sentences


def rewrite(data: bytes, metadata: dict[str, str] | None) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.metadata = None
    if metadata:
        writer.add_metadata(metadata)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_without_usable_metadata_is_titled_by_its_first_line():
    bare = read_pdf(rewrite(REPORT.read_bytes(), None), "scans/report_2024.pdf")
    assert (bare.title, bare.date, bare.url) == ("Harbour Flood Defences Review", None, None)
    junk = read_pdf(rewrite(REPORT.read_bytes(), {"/Title": "Microsoft Word - draft3.docx"}), "x.pdf")
    assert junk.title == "Harbour Flood Defences Review"
    # A ligature in the metadata's title is spelt out, as in the text ("ﬁre" was in every citation).
    tied = read_pdf(rewrite(REPORT.read_bytes(), {"/Title": "Sampling after the Brennholm \ufb01re"}), "x.pdf")
    assert tied.title == "Sampling after the Brennholm fire"


def encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(REPORT))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_subheadings_in_bold_body_type_are_sections():
    """A handbook's "Company sick pay", in bold at the body's size, was a sentence of its own
    (quoted first for a question on meals); and a brand line in bold is no title."""
    body = "During probation you receive statutory sick pay only, provided that you qualify for it."
    lines = [("LINDQVIST PHARMACY", 10, 790, True), ("Staff handbook", 18, 765, True)]
    lines += [(body, 10, 730 - 14 * n) for n in range(4)]
    lines += [("Company sick pay", 10, 660, True)] + [(body, 10, 640 - 14 * n) for n in range(4)]
    warning = "Never take a double dose to make up for a missed one"  # a statement in bold stays text
    lines += [(warning, 10, 570, True), (body, 10, 540)]
    doc = read_pdf(laid_out_pdf(lines), "handbook.pdf")
    assert doc.title == "Staff handbook"
    four = " ".join([body] * 4)
    assert [(b.section, b.text) for b in doc.blocks] == [  # under the title, which names the document
        ("Staff handbook", four),
        ("Company sick pay", four),
        ("Company sick pay", warning),
        ("Company sick pay", body),
    ]
    # Under a heading further in, a bold one is named with it; a numbered one's number is no word.
    chapter = [("Staff handbook", 18, 790), (body, 10, 760), ("5. Expenses", 14, 730)]
    chapter += [("5.2 Where to claim mileage for your own car", 10, 710, True), (body, 10, 690)]
    assert [b.section for b in read_pdf(laid_out_pdf(chapter), "chapter.pdf").blocks] == [
        "Staff handbook",
        "5. Expenses: 5.2 Where to claim mileage for your own car",
    ]
    # Where most of the text is bold, bold stands for nothing; a plain first line stays the title.
    items = [("Passport or driving licence", 10, 700, True), ("Proof of address", 10, 660, True)]
    items += [(body, 10, 620 - 14 * n, True) for n in range(3)]
    assert [b.text for b in read_pdf(laid_out_pdf(items), "list.pdf").blocks][:2] == [
        "Passport or driving licence",
        "Proof of address",
    ]
    policy = [("Staff travel policy", 10, 760), ("Purpose", 10, 730, True)] + [
        (body, 10, 700 - 14 * n) for n in range(4)
    ]
    assert read_pdf(laid_out_pdf(policy), "policy.pdf").title == "Staff travel policy"


def test_pdf_titled_by_its_largest_heading_under_a_small_cover_line():
    """A manual's chapter opens with a running title in a small font: it was titled by its file
    name ("Tidewell T3 Manual Ch4")."""
    lines = [("TIDEWELL T3 USER MANUAL - REV. C", 9, 780), ("Chapter 4", 20, 748)]
    lines += [("Deployment and Calibration", 20, 724)]
    body = "Moor the buoy at least two metres from the bank, in water deep enough for its sonde."
    lines += [(body, 10, 690 - 14 * n) for n in range(8)]
    lines += [("4.1 Before you begin", 13, 560), ("Charge the battery fully before you go out.", 10, 540)]
    doc = read_pdf(laid_out_pdf(lines), "Tidewell-T3-Manual-Ch4.pdf")
    assert doc.title == "Chapter 4 Deployment and Calibration"


def test_pdf_that_cannot_be_read_says_why():
    with pytest.raises(Unreadable, match="^PDF is protected by a password$"):
        read_pdf(encrypted("secret"), "locked.pdf")
    # Encrypted only against editing (empty user password): opens like in any viewer.
    assert read_pdf(encrypted(""), "restricted.pdf").title == "Harbour Flood Defences Review"

    blank = PdfWriter()
    blank.add_blank_page(595, 842)
    out = BytesIO()
    blank.write(out)
    with pytest.raises(Unreadable, match=r"^PDF has no extractable text \(scanned\?\)$"):
        read_pdf(out.getvalue(), "scan.pdf")

    data = REPORT.read_bytes()
    with pytest.raises(Unreadable, match="^damaged PDF"):
        read_pdf(data[: len(data) // 3], "truncated.pdf")


def test_pdf_printed_from_a_web_page_has_a_block_per_paragraph():
    doc = read_pdf(BULLETIN.read_bytes(), "bulletins/flood_bulletin.pdf")
    # Oracle: the page's own paragraphs. Chromium sets their lines 13.5 pt apart and the
    # paragraphs about 20 pt apart, and most are a line or two long.
    tree = lxml_html.parse(FIXTURES / "flood_bulletin.html")
    assert [b.text for b in doc.blocks] == [" ".join(p.text_content().split()) for p in tree.iter("p")]


def test_pdf_heading_wrapped_onto_two_lines_is_one_heading():
    doc = read_pdf(BULLETIN.read_bytes(), "bulletins/flood_bulletin.pdf")
    assert doc.title == "Flood Bulletin No. 7 - Taquari Valley Emergency Response"  # /Title, from <title>
    # The title heading (an em dash where <title> has a hyphen) names its blocks as the title
    # does, which a citation leaves out; its wrapped line "Emergency Response" names nothing.
    assert [b.section for b in doc.blocks] == [doc.title] * 5 + ["Roads and supplies"] * 3

    bare = read_pdf(rewrite(BULLETIN.read_bytes(), None), "bulletins/flood_bulletin.pdf")
    assert bare.title == "Flood Bulletin No. 7 — Taquari Valley Emergency Response"  # the heading, joined
    assert [b.section for b in bare.blocks] == [bare.title] * 5 + ["Roads and supplies"] * 3
    assert [b.text for b in bare.blocks] == [b.text for b in doc.blocks]


def test_pdf_date_is_the_issue_date_its_opening_states_not_the_day_it_was_printed():
    printed = PdfReader(BULLETIN).metadata["/CreationDate"]
    assert not printed.startswith("D:20240506")
    doc = read_pdf(BULLETIN.read_bytes(), "bulletins/flood_bulletin.pdf")
    assert doc.date == "2024-05-06"  # "Issued May 6, 2024", not "4 May 2024" further down
    assert read_pdf(rewrite(BULLETIN.read_bytes(), None), "b.pdf").date == "2024-05-06"


def test_a_report_covers_title_and_issue_date_are_read_below_its_brand_and_kind():
    """A new user's regulator's report: a brand, a division and "Safety Assessment Report" above
    the 22 pt title, then "Report NMI-SAR-2024-031" and "Issued 2 December 2024": the brand was
    the title, and the day the PDF was made (years later) its date."""
    cover = [
        ("Nordic Medicines Inspectorate", 13, 780, True),
        ("Division of Clinical Trials and Pharmacovigilance", 10, 760),
        ("Safety Assessment Report", 12, 700),
        ("Dravogepant (HLD-417): Suspension of the", 22, 670, True),
        ("PROTECT-M3 Phase III Trial", 22, 642, True),
        ("Report NMI-SAR-2024-031", 12, 600),
        ("Issued 2 December 2024", 12, 580),
        ("Sponsor: Haldor Pharma ASA, Bergen", 12, 560),
    ]
    body = [("On 18 October 2024 the Inspectorate placed the trial on a clinical hold after seven cases.", 10, 780)]
    doc = read_pdf(laid_out_pages([cover, body], "D:20261127093000Z"), "report.pdf")
    assert doc.title == "Dravogepant (HLD-417): Suspension of the PROTECT-M3 Phase III Trial"
    assert doc.date == "2024-12-02"
    # Looked for that far down, a part's numbered heading in a larger font is no title (a review's case).
    minutes = [
        (f"The board met on Monday and agreed item {n} of the plan for the inner basin.", 11, 780 - 26 * n)
        for n in range(5)
    ]
    minutes += [("2. Budget", 16, 640, True), ("The budget for the year was approved by all members.", 11, 610)]
    assert read_pdf(laid_out_pages([minutes]), "minutes.pdf").title == "minutes"


def test_a_narrow_columns_lines_ending_on_a_word_that_goes_on_stay_in_their_sentence():
    """A new user's half-year report: a page in narrow columns read "…the wage agreement signed
    in" and "December 2024." as two paragraphs (every line is short beside the other pages')."""
    line = "The group's net sales rose in the first half of the year, and this is line {} of the page."
    wide = [(line.format(n), 10, 780 - 14 * n) for n in range(12)]
    narrow = [
        "Energy costs at the Orbe plant fell by CHF 1.1",
        "million. Personnel costs rose 2.7%, mainly",
        "because of the wage agreement signed in",
        "December 2024. Switzerland remained our",
        "largest market, with",
        "53% of net sales.",
    ]
    page = [(text, 10, 780 - 14 * n) for n, text in enumerate(narrow)]
    texts = [s.text for s in split_document(read_pdf(laid_out_pages([wide, page]), "report.pdf"))]
    assert "Personnel costs rose 2.7%, mainly because of the wage agreement signed in December 2024." in texts
    assert "Switzerland remained our largest market, with 53% of net sales." in texts


def text_pdf(lines: list[str], created: str | None) -> bytes:
    """A one-page PDF of these lines in 12 pt Helvetica, 14 pt apart, created on `created`."""
    return laid_out_pdf([(line, 12, 760 - 14 * n) for n, line in enumerate(lines)], created)


def laid_out_pdf(lines: list[tuple[str, float, float]], created: str | None = None) -> bytes:
    """A one-page PDF of (text, font size, height on the page) lines in Helvetica."""
    return laid_out_pages([lines], created)


def laid_out_pages(pages: list[list[tuple]], created: str | None = None) -> bytes:
    """A PDF of pages of (text, font size, height on the page[, bold[, left edge]]) lines in Helvetica."""
    fonts = {
        NameObject(f"/F{n}"): DictionaryObject(
            {
                NameObject(k): NameObject(v)
                for k, v in {"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": face}.items()
            }
        )
        for n, face in ((1, "/Helvetica"), (2, "/Helvetica-Bold"))
    }
    writer = PdfWriter()
    for lines in pages:
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(fonts)})
        content = DecodedStreamObject()
        # Each line a text object of its own, placed by its matrix, as reportlab writes them.
        shown = (
            f"BT /F{2 if rest and rest[0] else 1} {size} Tf {size * 1.2:.1f} TL "
            f"1 0 0 1 {rest[1] if len(rest) > 1 else 72} {y} Tm ({text}) Tj T* ET\n"
            for text, size, y, *rest in lines
        )
        content.set_data("".join(shown).encode())
        page.replace_contents(content)
    if created:
        writer.add_metadata({"/CreationDate": created})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_running_header_of_two_lines_is_dropped_and_a_sentence_runs_on_across_the_page():
    """A newsletter's header (the school's name, then its address) on every page: the address
    line, second from the top, came out as a sentence in the middle of one going on to page 2."""
    header = [("Harwick Bridge Primary School", 16, 790), ("Weir Street, Harwick Bridge | 01632 960 288", 9, 772)]
    first = [
        "Thank you for your generosity on Red Nose Day last Friday. Special thanks to the Year 2",
        "children who made the biscuits, and to the parents who ran the stall in the playground",
        "all morning. The bake sale raised more than we hoped, and we will tell you the total",
        "next week, when the last envelopes are counted. Thank you all for your help with the",
    ]
    second = ["red nose biscuits, which had sold out by quarter past nine.", "Year 6 leave for camp on 12 May."]
    pages = [
        header + [(text, 11, 740 - 14 * n) for n, text in enumerate(first)] + [("Newsletter - page 1", 8, 30)],
        header + [(text, 11, 740 - 14 * n) for n, text in enumerate(second)] + [("Newsletter - page 2", 8, 30)],
    ]
    doc = read_pdf(laid_out_pages(pages), "newsletter.pdf")
    text = " ".join(b.text for b in doc.blocks)
    assert "Weir Street" not in text and "page 2" not in text
    assert "Thank you all for your help with the red nose biscuits, which had sold out" in text
    # A line under the running header that differs from page to page is the page's own ("Step 1",
    # "Step 2"), and a short page's number at its foot is still its number.
    steps = [
        [("Tidewell T3 Manual", 9, 800), (f"Step {n}", 11, 770), (f"Fit part {n} to the frame.", 10, 750)]
        + ([(str(n), 9, 30)] if n == 2 else [])
        for n in (1, 2)
    ]
    doc = read_pdf(laid_out_pages(steps), "manual.pdf")
    assert [b.text for b in doc.blocks] == ["Step 1", "Fit part 1 to the frame.", "Step 2", "Fit part 2 to the frame."]


def test_pdf_sentence_cut_by_the_page_between_a_day_and_its_month_is_one_sentence():
    """A figure at the foot of page 2, "…had cost it £9.2 million by 30", and "September 2025."
    over page 3 were quoted as two sentences, the first without its date."""
    first = [
        "The Commission set the penalty at 1,250,000 euros after hearing the Group.",
        "The Group told the Commission that the attack had cost it 9.2 million euros by 30",
    ]
    second = ["September 2025. The penalty must be paid by 13 November 2025.", "Item", "Finding"]
    pages = [
        [(text, 11, 740 - 14 * n) for n, text in enumerate(first)] + [("2", 8, 30)],
        [(text, 11, 740 - 14 * n) for n, text in enumerate(second)] + [("3", 8, 30)],
    ]
    texts = [b.text for b in read_pdf(laid_out_pages(pages), "notice.pdf").blocks]
    assert texts[0].endswith("the attack had cost it 9.2 million euros by 30 September 2025.")
    assert texts[1].startswith("The penalty must be paid by 13 November 2025.")
    # A page ending in a label ("Contact: 0123 960 288") or a table's cell is no sentence going on.
    pages = [
        [("The office is open on weekdays.", 11, 740), ("Phone 0123 960 288", 11, 726), ("2", 8, 30)],
        [("Visitors sign in at the desk.", 11, 740), ("3", 8, 30)],
    ]
    texts = [b.text for b in read_pdf(laid_out_pages(pages), "office.pdf").blocks]
    assert texts[-1] == "Visitors sign in at the desk."


def test_pdf_tables_row_is_one_sentence_under_its_header_row():
    """A notice's batch table was fifty sentences, one a cell ("Product", "800 g", "LB1-0204"),
    so no quote said which batch was best before which day. A row is read as one line under
    its bold header row of labels, and a cell's second line goes with it."""
    lines = [
        ("The batches below are recalled.", 10, 760),
        *[(text, 9, 730, True, x) for text, x in (("Batch", 72), ("Product", 200), ("Best before", 330))],
        *[(text, 9, 710, False, x) for text, x in (("LB1-0204", 72), ("Start 1", 200), ("04.08.2026", 330))],
        ("LB2-0218", 9, 690, False, 72),
        ("Follow-on 2", 9, 690, False, 200),
        ("(from 6 months)", 9, 679, False, 200),  # the cell's second line, before the next cell
        ("18.08.2026", 9, 690, False, 330),
        ("Parents should stop using them.", 10, 650),
    ]
    doc = read_pdf(laid_out_pdf(lines), "notice.pdf")
    assert [(b.section, b.text) for b in doc.blocks][1:] == [
        ("Batch | Product | Best before", "LB1-0204 | Start 1 | 04.08.2026"),
        ("Batch | Product | Best before", "LB2-0218 | Follow-on 2 (from 6 months) | 18.08.2026"),
        (None, "Parents should stop using them."),
    ]


def test_pdf_double_spaced_text_with_a_tight_list_keeps_its_paragraph_whole():
    body = [
        "The inquiry found that the harbour wall had been weakened by years of",
        "neglect, and that the pumps meant to protect the lower town were left",
        "without power for most of the night, while the alarm reached the fire",
        "service three hours after the water first came over the wall.",
    ]
    references = ["1. Harbour survey, 2019.", "2. Pump log, March 2024.", "3. Fire service report."]
    lines = [(text, 12, 760 - 28 * n) for n, text in enumerate(body)]  # double-spaced
    lines += [(text, 12, 620 - 14 * n) for n, text in enumerate(references)]  # single-spaced
    doc = read_pdf(laid_out_pdf(lines), "inquiry.pdf")
    assert [b.text for b in doc.blocks] == [" ".join(body), *references]


def test_pdf_bullets_in_a_larger_font_stay_bullets_under_their_heading():
    lines = [
        ("Key points", 14, 760),
        ("- The wall failed at high tide.", 14, 740),
        ("- The pumps had no power.", 14, 720),
        ("- Work starts in June.", 14, 700),
    ]
    body = "The council met on Monday to hear the engineers, who said the repairs would take a year."
    lines += [(body, 12, 670 - 14 * n) for n in range(6)]
    doc = read_pdf(laid_out_pdf(lines), "points.pdf")
    assert [b.text for b in doc.blocks[:3]] == [text for text, _, _ in lines[1:4]]
    assert doc.title == "Key points" and [b.section for b in doc.blocks[:3]] == ["Key points"] * 3
    # Unpunctuated, in a font larger than the tables' that fill most of the page: still items.
    features = [("Key features", 10, 760), ("- Optical oxygen sensor", 10, 745), ("- Wiper cleans it", 10, 730)]
    table = [(f"Turbidity {n} to 1,000 NTU 0.1 NTU", 9, 700 - 12 * n) for n in range(12)]
    doc = read_pdf(laid_out_pdf(features + table), "datasheet.pdf")
    assert [(b.section, b.text) for b in doc.blocks[:2]] == [
        ("Key features", "- Optical oxygen sensor"),
        ("Key features", "- Wiper cleans it"),
    ]
    assert " ".join(b.text for b in doc.blocks[2:]) == " ".join(text for text, _, _ in table)  # all, last too


def test_pdf_cover_lines_in_a_heading_font_that_head_nothing_are_text():
    """A report's cover: "Chair: …" and "Presented to Parliament by …" in a larger font, one
    after another, each read as a heading replaced by the next, and lost."""
    cover = [
        ("Report of the Brackwater Dam Inquiry", 22, 700),
        ("Chair: Professor Dame Zoe Angstrom", 14, 650),
        ("Presented to Parliament by the Secretary of State for the Environment", 14, 620),
        ("Contents", 14, 580),
        ("Findings", 14, 560),
    ]
    body = [("The embankment failed by internal erosion along the culvert on the night of the storm.", 12, 0)]
    summary = [("1. Summary", 14, 760)] + [(text, 12, 740 - 14 * n) for n, (text, _, _) in enumerate(body * 6)]
    doc = read_pdf(laid_out_pages([cover, summary]), "report.pdf")
    read = [(b.section, b.text) for b in doc.blocks]
    assert read[:2] == [
        ("Report of the Brackwater Dam Inquiry", "Chair: Professor Dame Zoe Angstrom"),
        (
            "Report of the Brackwater Dam Inquiry",
            "Presented to Parliament by the Secretary of State for the Environment",
        ),
    ]
    assert not {"Contents", "Findings", "1. Summary"} & {text for _, text in read}  # a contents page's
    assert read[2][0] == "1. Summary"


@pytest.mark.parametrize(
    ("opening", "created", "day"),
    [
        ("Harbour office bulletin. Issued 8 May 2024, 18:00.", "D:20261126055322+00'00'", "2024-05-08"),
        ("Harbour office bulletin, published on May 8th, 2024.", "D:20261126055322+00'00'", "2024-05-08"),
        ("Harbour office bulletin 2024-05-08, the morning edition.", None, "2024-05-08"),
        ("Harbour office bulletin of Sept. 30 2023.", None, "2023-09-30"),
        # A numeric day and month could be either way round; a date that does not exist is none.
        ("Harbour office bulletin, 08/05/2024.", "D:20240305093000Z", "2024-03-05"),
        ("Harbour office bulletin of 31 February 2024.", "D:20240305093000Z", "2024-03-05"),
        ("Harbour office bulletin.", "D:20240305093000Z", "2024-03-05"),
        ("Harbour office bulletin.", None, None),
        # A date the opening sentence talks about is not the document's; a stated one is.
        ("On 29 April 2024 heavy rain began in the south and the rivers rose fast.", "D:20240610093000Z", "2024-06-10"),
        ("Received 12 January 2021; accepted 3 March 2021; published 20 March 2023.", None, "2023-03-20"),
        # A dateline: a place, its date, a dash; a parliamentary paper's "to be printed".
        (
            "Millbeck, 19 September 2024 - Northfell Water today announced a recovery fund for the valley.",
            None,
            "2024-09-19",
        ),
        (
            "LONDON, March 3, 2024 (Reuters) - Shares in Fjordvann fell sharply on the day of the report.",
            None,
            "2024-03-03",
        ),
        ("Storm Babet, 19 October 2023 - a review of the emergency response", "D:20250305093000Z", "2025-03-05"),
        ("Ordered by the House of Commons to be printed 18 September 2024", None, "2024-09-18"),
    ],
)
def test_pdf_date_read_from_its_opening_lines_or_else_its_metadata(opening, created, day):
    body = ["The pumps ran all night at the harbour, and the water in the lower town went down by"] * 8
    # A date deep in the text is a date the text talks about, not the document's.
    later = "morning. The sea wall was last repaired on 2 June 2021."
    assert read_pdf(text_pdf([opening, *body, later], created), "bulletin.pdf").date == day


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_note_blocks_are_the_rendered_text_under_their_headings():
    """A reader sees the rendered page: quotes carry no emphasis marks, link targets or table
    pipes, and a paragraph wrapped in the source reads as one line."""
    doc = read_document(NOTES.read_bytes(), "notes/field_notes.md")
    assert doc.kind == "markdown"
    assert doc.title == "Field notes: Port Ellery, day two"  # front matter before the first heading
    assert doc.date == "2024-03-08"
    assert doc.url == "https://notes.example.org/port-ellery/day-2"
    assert [(b.section, b.text) for b in doc.blocks] == [
        (None, "Notes typed up on the evening ferry."),
        (
            "Port Ellery",
            "The harbour master met us at the slipway at nine. "
            "She said the breakwater repairs finished two days early.",
        ),
        ("Damage seen", "Two fishing boats still lie on the bottom near the north quay."),
        ("Damage seen", "The ferry ramp was rebuilt with steel plates from the old shipyard."),
        ("Damage seen", "The tide gauge is missing:"),
        ("Damage seen: The tide gauge is missing", "its mast snapped at the base;"),  # under its item
        ("Damage seen: The tide gauge is missing", "the logger was never found."),
        ("Damage seen", '"We lost a month of catches," a skipper told us. Nobody has said who will pay for the boats.'),
        ("Damage seen: Boat | Length", "Mary Ann | 12 m"),  # under its table's header row
        ("Next steps", "Ask the council for the contract before the April meeting."),
    ]
    # Oracle: the words of the page markdown-it renders, read back by lxml, but for headings, code
    # and a table's header row of labels (which names its rows).
    body = NOTES.read_text().split("---\n", 2)[2]  # after the front matter
    rendered = lxml_html.fromstring(MarkdownIt("commonmark").enable("table").render(body))
    for element in rendered.xpath("//pre | //h1 | //h2 | //h3 | //thead"):
        element.drop_tree()
    assert all_text(doc).replace(" | ", " ").split() == rendered.text_content().split()
    text = all_text(doc)
    for hidden in ("SCRIPT TEXT", "boats =", "indented code", "HTML comment", "tags:", "title:"):
        assert hidden not in text


def test_a_notes_wiki_links_tasks_and_footnotes_read_as_the_rendered_note_and_a_line_of_links_is_no_text():
    """From a new user's Obsidian vault: quotes showed "[[Interview - Ray Ollerton|Ray Ollerton]]",
    "[ ]" and "[^1]"; a line only pointing to another note ("see [[Ch3 - The Prelates' War]]")
    came first, at 0.87, for what that note says; and the date in a linked note's name
    ("[[2025-02-04 kickoff]]") dated the note linking to it."""
    note = (
        "# Northwold project hub\n\n"
        "- [[2025-02-04 kickoff]]\n"
        "- see [[Ch3 - The Prelates' War]]\n"
        "- [Minutes of the steering group](minutes.md)\n"
        "- [ ] call [[Interview - Ray Ollerton|Ray Ollerton]] about the failed hives\n"
        "- [x] sent invoice INV-031 to [[Northwold#Billing]] ![[invoice.png]]\n\n"
        "Moore based this on 40 pollen trap samples.[^1]\n\n"
        "[^1]: Moore et al. 2023, p. 12.\n"
    )
    doc = read_markdown(note.encode(), "Clients/Northwold - project hub.md")
    assert [b.text for b in doc.blocks] == [
        "call Ray Ollerton about the failed hives",
        "sent invoice INV-031 to Northwold",
        "Moore based this on 40 pollen trap samples.",
        "Moore et al. 2023, p. 12.",
    ]
    assert doc.date is None


def test_a_nested_list_item_is_under_the_item_it_hangs_from():
    """A new user's daily note: "he wants more on the forage gap" never said who "he" was, named
    only by the item above it."""
    note = (
        "# Thursday\n\n- 09:30 call with [[Tom Breck]]\n  - he wants more on the forage gap\n"
        "    - and less on pesticides\n- lunch with Ana\n"
    )
    blocks = read_markdown(note.encode(), "daily.md").blocks
    assert [(b.section, b.text) for b in blocks] == [
        ("Thursday", "09:30 call with Tom Breck"),
        ("Thursday: 09:30 call with Tom Breck", "he wants more on the forage gap"),
        ("Thursday: he wants more on the forage gap", "and less on pesticides"),
        ("Thursday", "lunch with Ana"),
    ]


@pytest.mark.parametrize(
    ("name", "source", "day"),
    [
        ("daily/2025-03-12.md", "- 09:30 call with Tom Breck\n", "2025-03-12"),  # a daily note
        ("daily/2025-03-14 site visit.md", "Walked the valley.\n", "2025-03-14"),
        ("workshop.md", "---\ndate: 18/02/2025\n---\nStaff asked for longer opening hours.\n", "2025-02-18"),
        ("workshop.md", "---\ndate: 03/04/2025\n---\nStaff asked for longer opening hours.\n", None),  # which?
        ("notes 2025.md", "Staff asked for longer opening hours.\n", None),
    ],
)
def test_a_note_is_dated_by_its_daily_file_name_or_a_date_in_figures_only_one_order_reads(name, source, day):
    assert read_markdown(source.encode(), name).date == day


@pytest.mark.parametrize("opening", ["<!DOCTYPE html>\n<html lang='en'>", "\ufeff<!-- saved -->\n<HTML>"])
def test_a_web_page_saved_as_text_is_read_as_a_web_page(opening):
    page = f"{opening}<head><title>Harbour works</title></head><body><nav>Home | News</nav><article>"
    page += "<p>The harbour will be dredged in September, the port authority said on Monday.</p>"
    page += "<p>Work will take six weeks and close the inner basin to yachts.</p></article></body></html>"
    doc = read_document(page.encode(), "notes/page.txt")
    assert doc.kind == "html" and doc.title == "Harbour works"
    assert "dredged in September" in all_text(doc) and "<" not in all_text(doc)


def test_a_text_wrapped_by_hand_keeps_a_sentence_whole_before_a_capital():
    """A licence wrapped by hand breaks lines short of the width it keeps to elsewhere: "(a) You
    must give any other recipients of the Work or" over "Derivative Works a copy…" was two
    paragraphs, as the next word would have fitted. A line that stops mid-sentence on a word
    that goes on, or nearly full, was wrapped; a short line ended on purpose still ends."""
    licence = """\
      "License" shall mean the terms and conditions for use, reproduction,
      and distribution as defined by Sections 1 through 9 of this document.

      "Licensor" shall mean the copyright owner or entity authorized by
      the copyright owner that is granting the License.

      "Legal Entity" shall mean the union of the acting entity and all
      other entities that control, are controlled by, or are under common
      control with that entity. For the purposes of this definition,
      "control" means (i) the power, direct or indirect, to cause the
      direction or management of such entity, whether by contract or
      otherwise, or (ii) ownership of fifty percent (50%) or more of the
      outstanding shares, or (iii) beneficial ownership of such entity.

      "Source" form shall mean the preferred form for making modifications,
      including but not limited to software source code, documentation
      source, and configuration files.

   4. Redistribution. You may reproduce and distribute copies of the
      Work or Derivative Works thereof in any medium, with or without
      modifications, and in Source or Object form, provided that You
      meet the following conditions:

      (a) You must give any other recipients of the Work or
          Derivative Works a copy of this License; and

      (b) You must cause any modified files to carry prominent notices
          stating that You changed the files; and

   Apache Software Foundation
   Licensing Office
"""
    texts = [b.text for b in read_txt(licence.encode(), "Apache-2.0.txt").blocks]
    assert "(a) You must give any other recipients of the Work or Derivative Works a copy of this License; and" in texts
    assert "Apache Software Foundation" in texts and "Licensing Office" in texts


def test_a_licences_numbered_clauses_name_their_text_set_apart_or_run_in():
    """A licence's clauses, "1. Definitions." on a line of its own and "2. Grant of Copyright
    License. Subject to…" run in, were sentences: every clause was under "TERMS AND
    CONDITIONS", and a question naming a clause found nothing of its name. A clause's name is
    its section, under the heading over the clauses, and names the items under it ("(a) You
    must…") until the next number; a title's short form ("7.2 Prof. Solbakken…") and a
    reference's number ("12.1 Bylaw No. 2004-07…") are no clause's name."""
    licence = """\
Harbour Software Licence

TERMS AND CONDITIONS

1. Definitions.

"License" shall mean the terms and conditions for use set out in this document.

2. Grant of Copyright License. Subject to this License, each Contributor grants You a licence to copy it.

3. Redistribution. You may distribute copies of the Work.

(a) You must give any other recipients a copy of this License.

4. Review.

7.2 Prof. Solbakken asked how much of the increase would be met from charges.

12.1 Bylaw No. 2004-07, the Noise Nuisance Bylaw, is repealed.
"""
    sections = [(b.section, b.text[:24]) for b in read_txt(licence.encode(), "licence.txt").blocks]
    assert sections == [
        ("TERMS AND CONDITIONS: 1. Definitions", '"License" shall mean the'),
        ("TERMS AND CONDITIONS: 2. Grant of Copyright License", "2. Grant of Copyright Li"),
        ("TERMS AND CONDITIONS: 3. Redistribution", "3. Redistribution. You m"),
        ("TERMS AND CONDITIONS: 3. Redistribution", "(a) You must give any ot"),
        ("TERMS AND CONDITIONS: 4. Review", "7.2 Prof. Solbakken aske"),
        ("TERMS AND CONDITIONS: 4. Review", "12.1 Bylaw No. 2004-07, "),
    ]
    # The run-in name is quoted with its clause's first sentence, not alone.
    doc = read_txt(licence.encode(), "licence.txt")
    assert "3. Redistribution. You may distribute copies of the Work." in [s.text for s in split_document(doc)]


def test_a_box_drawn_in_asterisks_reads_as_its_text_and_a_heading_heads_a_deeper_one():
    """A licence's warranty disclaimer in a box of asterisks was a paragraph per line, "*  6."
    and "Disclaimer of Warranty      *" among its sentences; "10. Versions of the License" over
    "10.1. New Versions" was a sentence."""
    licence = """\
Mozilla Public License Version 2.0

5. Termination
--------------

5.1. The rights granted under this License will terminate automatically.

************************************************************************
*                                                                      *
*  6. Disclaimer of Warranty                                           *
*  -------------------------                                           *
*                                                                      *
*  Covered Software is provided under this License on an "as is"       *
*  basis, without warranty of any kind.                                *
*                                                                      *
************************************************************************

10. Versions of the License
---------------------------

10.1. New Versions

Mozilla Foundation is the license steward.
"""
    blocks = [(b.section, b.text) for b in read_txt(licence.encode(), "MPL-2.0.txt").blocks]
    assert blocks == [
        ("5. Termination", "5.1. The rights granted under this License will terminate automatically."),
        ("6. Disclaimer of Warranty", 'Covered Software is provided under this License on an "as is" basis, '
         "without warranty of any kind."),
        ("10.1. New Versions", "Mozilla Foundation is the license steward."),
    ]  # fmt: skip


def test_a_text_of_one_long_line_is_read_in_one_pass():
    # A pattern tried at every split of a line would take 10^10 steps here.
    doc = read_document(("Rain fell on the harbour all day " * 6000).encode(), "log.txt")
    assert doc.kind == "text" and len(all_text(doc)) > 190_000


def test_a_long_email_header_line_and_a_long_markdown_table_are_read_in_one_pass():
    # Each took a time growing with the square of its length (minutes here).
    doc = read_document(("From: a" + " " * 200_000 + "b\nSubject: x\n\nText here.").encode(), "e.txt")
    assert doc.title == "x"
    doc = read_document(("| a | b |\n|--|--|\n" + "| x | y |\n" * 20_000).encode(), "t.md")
    assert len(doc.blocks) == 20_000  # the rows, under their header


def test_markdown_line_breaks_keep_a_sentence_whole_and_a_br_is_a_space():
    note = "# Minutes\n\nThe council agreed  \nto close the library\\\non Fridays.\n\n| Year | Note |\n|--|--|\n"
    note += "| 2024 | Line one<br>line two |\n| Ann | |\n"
    doc = read_document(note.encode(), "m.md")
    assert [b.text for b in doc.blocks] == [
        "The council agreed\nto close the library\non Fridays.",
        "2024 | Line one line two",
        "Ann",  # an empty cell at the end of a row is no text (one inside it keeps the columns)
    ]
    hours = read_document(b"# Hours\n\nMonday: closed  \nTuesday: 9 am to 5 pm  \nWednesday: 10 am\n", "h.md")
    assert [b.text for b in hours.blocks] == ["Monday: closed", "Tuesday: 9 am to 5 pm", "Wednesday: 10 am"]
    # Lines that each open with a label are a record of fields, not one sentence wrapped.
    notes = read_document("# Notes\n\n**Date:** Thursday 7 November 2024\n**Chair:** Mateo Ibáñez\n".encode(), "n.md")
    assert [b.text for b in notes.blocks] == ["Date: Thursday 7 November 2024", "Chair: Mateo Ibáñez"]
    assert notes.date == "2024-11-07"
    wrapped = read_document(b"The council met on Monday. It agreed:\nto close the library.\n", "w.md")
    assert [b.text for b in wrapped.blocks] == ["The council met on Monday. It agreed: to close the library."]
    # A value going on in lower case stays with its field; labels not in bold are a dialogue,
    # whose question and answer are one paragraph.
    record = read_document(b"**Date:** 7 Nov 2024\n**Present:** Priya and\nthree guests\n", "r.md")
    assert [b.text for b in record.blocks] == ["Date: 7 Nov 2024", "Present: Priya and\nthree guests"]
    dialogue = read_document(b"Q: Where can visitors park?\nA: In the Mill Lane car park.\n", "q.md")
    assert [b.text for b in dialogue.blocks] == ["Q: Where can visitors park? A: In the Mill Lane car park."]
    assert split_document(doc)[0].text == "The council agreed\nto close the library\non Fridays."


def test_a_text_opening_with_many_comments_is_read_at_once_as_text():
    # A pattern of repeated comments could take 2^n steps to fail (30 of them: about 20 minutes).
    doc = read_document(("<!-- note -->\n" * 30 + "The plain text starts here.").encode(), "c.txt")
    assert doc.kind == "text" and all_text(doc).endswith("The plain text starts here.")


def test_markdown_lines_all_in_bold_that_read_as_headings_name_what_follows():
    faq = (
        "# Recall questions\n\n"
        "**Do I need the receipt?**\nNo. We collect the kettle in any packaging.\n\n"
        "**Notes for retailers**\n\nStop selling the kettle today.\n\n"
        "**Stop using the kettle now.**\nIt can overheat.\n\n"
        "**Note:** the glass model is not affected.\n"
    )
    doc = read_document(faq.encode(), "faq.md")
    assert [(b.section, b.text) for b in doc.blocks] == [
        ("Do I need the receipt?", "No. We collect the kettle in any packaging."),
        ("Notes for retailers", "Stop selling the kettle today."),
        # A bold statement, or a bold label that the line goes on from, is text to quote: the
        # statement a sentence of its own.
        ("Notes for retailers", "Stop using the kettle now."),
        ("Notes for retailers", "It can overheat."),
        ("Notes for retailers", "Note: the glass model is not affected."),
    ]


@pytest.mark.parametrize(
    ("note", "blocks"),
    [
        # A line of only a no-break space under the bold line (markdown-it keeps it in the
        # paragraph's lines, not in its text).
        (
            "# Notes\n\n**Opening hours**\n\xa0\n\nThe office opens at nine.\n",
            [("Opening hours", "The office opens at nine.")],
        ),
        # Bold list items are the list's text, not headings.
        (
            "# Recall\n\n- **Stop using the kettle**\n- **Unplug it**\n\nThe recall covers 40,000 units.\n",
            [
                ("Recall", "Stop using the kettle"),
                ("Recall", "Unplug it"),
                ("Recall", "The recall covers 40,000 units."),
            ],
        ),
        # A bold line with nothing under it to name is text; so is a long one that says something.
        ("**One**\n\n**Two**\n", [(None, "One"), (None, "Two")]),
        (
            "**Warning: the footbridge is closed until 3 May**\n\nUse the ferry.\n",
            [(None, "Warning: the footbridge is closed until 3 May"), (None, "Use the ferry.")],
        ),
        ("**A**\n\n**B**\nText under B.\n", [(None, "A"), ("B", "Text under B.")]),
        (
            "**Warning: the footbridge is closed until 3 May**\nUse the ferry. It runs hourly.\n",
            [(None, "Warning: the footbridge is closed until 3 May"), (None, "Use the ferry. It runs hourly.")],
        ),
    ],
    ids=["no-break-space", "bold-list", "bold-only", "bold-statement", "two-bold-lines", "bold-statement-over-text"],
)
def test_markdown_bold_lines_that_are_not_headings_stay_text(note, blocks):
    doc = read_document(note.encode(), "note.md")
    assert [(b.section, b.text) for b in doc.blocks] == blocks


def test_markdown_front_matter_with_a_bad_date_is_still_not_text_and_rules_are_not_front_matter():
    doc = read_markdown(b"---\ntitle: Odd dates\ndate: 2024-13-45\n---\n\n# Heading\n\nBody text.\n", "n.md")
    assert (doc.title, doc.date, [b.text for b in doc.blocks]) == ("Odd dates", None, ["Body text."])
    doc = read_markdown(b"---\n\nBetween two rules.\n\n---\n\nBody text.\n", "n.md")
    assert [b.text for b in doc.blocks] == ["Between two rules.", "Body text."]
    doc = read_markdown(b"---\ndate: '2024-03-08T10:00:00Z'\nurl: not a url\n---\nBody.", "plain-note.md")
    assert (doc.title, doc.date, doc.url) == ("plain note", "2024-03-08", None)


@pytest.mark.parametrize(
    "written",
    ["2024-02-01", "2024/02/01", "20240201", "1 February 2024", "February 1, 2024", "Feb. 1st 2024", "2024-02-01 9:30"],
)
def test_markdown_front_matter_dates_as_people_write_them(written):
    doc = read_markdown(f"---\ntitle: Gulls\ndate: {written}\n---\n\nGulls nest on roofs.\n".encode(), "g.md")
    assert doc.date == "2024-02-01"


def test_markdown_of_only_code_and_headings_is_unreadable():
    with pytest.raises(Unreadable, match="no text outside headings, code and lines of links"):
        read_markdown(b"# Title\n\n```\ncode only\n```\n", "code.md")


def test_a_run_in_heading_in_bold_names_its_paragraph_and_stays_with_its_sentence():
    text = "## Course policies\n\n**Late work.** Work handed in late loses 5 points a day. Ask first.\n\n"
    text += "**The office is closed.** It reopens on Monday.\n\n**No.** Smoking is banned.\n\nAsk the tutor.\n"
    doc = read_document(text.encode(), "syllabus.md")
    assert [(b.section, b.text) for b in doc.blocks] == [
        ("Course policies: Late work", "Late work. Work handed in late loses 5 points a day. Ask first."),
        ("Course policies", "The office is closed. It reopens on Monday."),  # a statement in bold
        ("Course policies", "No. Smoking is banned."),  # an answer
        ("Course policies", "Ask the tutor."),  # the run-in heading names its paragraph only
    ]
    # "Late work." alone came first for "What happens to late work?".
    assert [s.text for s in split_document(doc)][:2] == [
        "Late work. Work handed in late loses 5 points a day.",
        "Ask first.",
    ]


# --- Layout every format shares ----------------------------------------------------------

WRITERS = Path(__file__).resolve().parent / "data"


def test_a_table_of_contents_is_not_text_but_the_sections_it_lists_are():
    leaflet = read_document((WRITERS / "newuser6-seeds/veltrazine-patient-leaflet.pdf").read_bytes(), "leaflet.pdf")
    texts = [block.text for block in leaflet.blocks]
    assert "5. How to store Veltrazine" not in texts  # the contents line
    stored = [b.text for b in leaflet.blocks if b.section == "5. How to store Veltrazine"]
    assert any("Do not store above 25" in text for text in stored)  # the section it named

    wiki = "# Mill\n\nThe mill grinds flour.\n\n## Contents\n\n1. History\n2. Restoration\n3. Visiting\n\n"
    wiki += "## History\n\nBuilt in 1796.\n\n## Restoration\n\nRestored by 1992.\n\n## Visiting\n\nOpen on Sundays.\n"
    texts = [block.text for block in read_document(wiki.encode(), "mill.md").blocks]
    assert texts == ["The mill grinds flour.", "Built in 1796.", "Restored by 1992.", "Open on Sundays."]


def test_two_lines_that_name_later_headings_are_kept():
    note = "# Plan\n\nBudget\n\nTimeline\n\n## Budget\n\nTwo million.\n\n## Timeline\n\nBy May.\n"
    texts = [block.text for block in read_document(note.encode(), "plan.md").blocks]
    assert texts[:2] == ["Budget", "Timeline"]  # too few to be a contents list


def test_a_live_pages_time_stamps_go_into_the_sections_of_their_updates():
    page = read_document((WRITERS / "newuser7-seeds/gazeta-live-dolna-wola.html").read_bytes(), "live.html")
    assert not [block.text for block in page.blocks if block.text in ("05:10", "19:10")]
    toll = next(block for block in page.blocks if block.text.startswith("The death toll has risen to five"))
    assert toll.section == "Wednesday 15 October · 19:10"
    first = next(block for block in page.blocks if "strong shake" in block.text)
    assert first.section == "Tuesday 14 October · 05:10"

    # A timetable's times, an agenda's lines and a recipe's durations are text, not stamps.
    timetable = (
        "Harbour ferry\n\nWeekday departures\n\n07:15\n\n09:40\n\n12:10\n\nSunday departures\n\n10:00\n\n15:00\n"
    )
    blocks = read_document(timetable.encode(), "ferry.txt").blocks
    assert [b.text for b in blocks][1:4] == ["07:15", "09:40", "12:10"] and {b.section for b in blocks} == {
        "Harbour ferry"
    }
    agenda = "# Open day\n\n## Programme\n\n09:00 Registration\n\n12:30 Lunch\n\n14:00 Panel\n"
    assert [b.text for b in read_document(agenda.encode(), "agenda.md").blocks] == [
        "09:00 Registration",
        "12:30 Lunch",
        "14:00 Panel",
    ]
    recipe = "<html><body><article><h1>Soup</h1><p>Prep time</p><p>0:15</p><p>Cook time</p><p>0:45</p>"
    recipe += "<h2>Method</h2><p>Fry the onion in the butter until it is soft and golden.</p></article></body></html>"
    blocks = read_document(recipe.encode(), "soup.html").blocks
    assert "0:45" in [b.text for b in blocks] and all("0:" not in (b.section or "") for b in blocks)


# --- Junk, limits and the folder walk -----------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
_rng = random.Random(6)
NOISE = bytes(_rng.randrange(1, 256) for _ in range(3000))  # no NUL byte to give it away


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("photo.html", PNG, "binary file"),
        ("noise.htm", NOISE, ("binary file", "no HTML markup")),
        ("letter.html", b"Dear council, this is plain text in a file named .html.", "no HTML markup"),
        ("code.html", b"<html><head><style>p{}</style></head><body><script>var a = 'words';</script>", "no main text"),
        ("photo.pdf", PNG, "not a PDF: it has no %PDF header"),
        ("noise.pdf", NOISE, "not a PDF: it has no %PDF header"),
        ("fake.pdf", b"%PDF-1.7\n" + NOISE, "damaged PDF"),
        ("photo.md", PNG, "binary file"),
        ("noise.markdown", NOISE, "binary file or unknown text encoding"),
        ("noise.txt", NOISE, "binary file or unknown text encoding"),
        ("empty.md", b"", "empty"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_junk_is_unreadable_with_a_reason(name, data, reason):
    with pytest.raises(Unreadable) as caught:
        read_document(data, name)
    assert str(caught.value).startswith(reason)


@settings(max_examples=60, deadline=None)
@given(
    suffix=st.sampled_from(sorted(READERS)),
    data=st.binary(max_size=2000),
    damaged=st.booleans(),
    cut=st.floats(0, 1),
)
def test_any_bytes_give_a_document_or_unreadable(suffix, data, damaged, cut):
    real = {".pdf": REPORT, ".html": ARTICLE, ".htm": ARTICLE, ".md": NOTES, ".markdown": NOTES}.get(suffix)
    if damaged and real is not None:  # the head of a real file, then noise
        whole = real.read_bytes()
        data = whole[: int(len(whole) * cut)] + data
    try:
        read_document(data, "x" + suffix)
    except Unreadable as exc:
        assert str(exc) and "\n" not in str(exc)


def test_upload_suffixes_and_size_limit():
    assert UPLOAD_SUFFIXES == (".docx", ".htm", ".html", ".markdown", ".md", ".pdf", ".txt")
    with pytest.raises(Unreadable, match=r"^unsupported file type \.odt: use one of \.docx, \.htm, \.html"):
        read_document(b"PK\x03\x04", "report.odt")
    with pytest.raises(Unreadable, match="^larger than 20 MiB$"):
        read_document(b" " * (MAX_FILE_BYTES + 1), "huge.txt")


def test_a_seeds_folder_of_mixed_formats_is_read_and_junk_skipped(tmp_path):
    for fixture in (ARTICLE, REPORT, NOTES):
        shutil.copy(fixture, tmp_path / fixture.name)
    write(tmp_path / "broken.pdf", PNG)
    docs, skipped = read_documents(tmp_path)
    assert [(d.doc_id, d.kind) for d in docs] == [
        ("field_notes.md", "markdown"),
        ("news_article.html", "html"),
        ("report.pdf", "pdf"),
    ]
    assert [(s.path, s.reason) for s in skipped] == [("broken.pdf", "not a PDF: it has no %PDF header")]


def test_utf8_text_with_a_stray_byte_keeps_its_letters():
    text = "Erdoğan met Çavuşoğlu in Ankara, and the café reopened."
    doc = read_document(text.encode() + b"\xff It rained.", "note.txt")
    assert doc.blocks[0].text == text + "\ufffd It rained."


# Lines a Markdown note or a plain text is made of, awkward ones included: bold lines, lines of
# only a no-break space or a form feed, list and quote markers, headings, wrapped words.
PIECES = [
    "**Opening hours**", "**Do I need the receipt?**", "\xa0", "\f", "", "", "# Notes", "- **Unplug it**",
    "> quoted reply", "1. Buy milk", "The office opens at nine.", "Prices rose 5% in March",
    "The inspec-", "tion found rust.", "  indented code", "Broadcast: Tuesday 11 February 2025",
    "HARBOUR BOARD", "\t", "***", "**bold** and more",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.sampled_from(PIECES), max_size=14), suffix=st.sampled_from([".md", ".txt"]))
def test_any_arrangement_of_awkward_lines_reads_or_is_unreadable(lines, suffix):
    text = "\n".join(lines)
    try:
        doc = read_document(text.encode(), f"note{suffix}")
    except Unreadable:
        return
    for block in doc.blocks:
        assert block.text.strip() and block.text == block.text.strip()
        if suffix == ".md":  # the file's words, without its markup
            assert all(word in text for word in block.text.split()) and "**" not in block.text


# --- A new user's sources on one study (stop 21) --------------------------------------------

TRIAL = DATA / "newuser18-seeds"


def sentences_of(name: str) -> list:
    return split_document(read_document((TRIAL / name).read_bytes(), name))


def test_a_news_pages_caption_credit_subtitle_and_kicker_are_no_text_and_its_byline_is():
    """A picture's "(Photo: Even Brekke)" left a sentence "(" behind; a subtitle <h2> outside a
    <header> named every section; "OPINION" over a headline was quoted as text; a byline was
    dropped because the columnist's note at the end named her."""
    news = sentences_of("news-article-vestlandsposten.html")
    assert all(any(c.isalnum() for c in s.text) for s in news)
    assert any(s.text.endswith("fewer residents were confined to bed last winter.") for s in news)
    subtitle = "A Norwegian trial says a cheap nasal spray cut infections in care homes, but experts urge caution."
    assert news[0].text == subtitle and not any(s.section and subtitle in s.section for s in news)
    opinion = sentences_of("opinion-dubois-marchetti.html")
    assert "OPINION" not in [s.text for s in opinion]
    assert opinion[0].text == "By Prof. Hélène Dubois-Marchetti"
    page = "<html><body><article><div>ANALYSIS</div><h1>Rates held</h1><p>{}</p></article></body></html>"
    story = "The central bank held its rates for a third month on Thursday, as inflation eased to 2.1 per cent."
    assert [b.text for b in read_html(page.format(story).encode(), "a.html").blocks] == [story]
    # Words in capitals there that are not a kind of story are text: "CANCELLED", "ROAD CLOSED TODAY".
    for notice in ("CANCELLED", "ROAD CLOSED TODAY", "RATES HELD AGAIN AS INFLATION EASES"):
        shouting = page.replace("<div>ANALYSIS</div>", f"<p>{notice}</p>")
        assert [b.text for b in read_html(shouting.format(story).encode(), "b.html").blocks] == [notice, story]
    # A section's heading under the headline, with an id made of its words, still heads its section.
    survey = (
        "<html><body><article><h1>2024 housing survey: the results</h1>"
        '<h2 id="summary-of-the-main-findings">Summary of the main findings</h2><p>{}</p>'
        '<h2 id="method">How we ran the survey</h2><p>{}</p></article></body></html>'
    )
    rents = "Rents rose by 9% on average between 2022 and 2024, faster than wages, which rose by 5%."
    posted = "Questionnaires were posted to 4,000 homes in September 2024 and 1,200 were returned."
    found = read_html(survey.format(rents, posted).encode(), "s.html").blocks
    assert (found[0].section, found[0].text) == ("Summary of the main findings", rents)


def test_a_transcripts_opening_cue_heads_nothing():
    """A podcast's "[00:00:00] [THEME MUSIC]" before the first turn headed every turn."""
    turns = sentences_of("health-matters-podcast-transcript.txt")
    assert turns[1].section == "Health Matters – Episode 214: The seaweed spray trial: [00:00:08] INGRID LØVLIE"
    assert not any("THEME MUSIC" in (s.section or "") + s.text for s in turns)
    # "[APPLAUSE]" heads nothing either; a part's "[PART TWO: QUESTIONS FROM THE AUDIENCE]" does.
    debate = read_document((FIXTURES / "town_hall_transcript.txt").read_bytes(), "town_hall_transcript.txt")
    sections = {b.text: b.section for b in debate.blocks}
    assert (
        sections["MODERATOR: Our first speaker is Councillor Amara Osei."] == "Town Hall Debate - Transcript: MODERATOR"
    )
    assert sections["RESIDENT: Who pays for the noise barriers along Mill Lane?"] == (
        "[PART TWO: QUESTIONS FROM THE AUDIENCE]: RESIDENT"
    )
    assert not any("APPLAUSE" in b.text + (b.section or "") for b in debate.blocks)


def test_a_newsletters_issue_line_heads_nothing_and_a_heading_over_a_credited_post_heads_it():
    """A civic society's newsletter: "Issue 142 | Summer" under its name headed the whole
    newsletter, and "From our social media", over a quoted post and its credit, was a sentence."""
    text = (
        "Wexcombe Civic Society Newsletter - July 2025\n\nIssue 142 | Summer\n\n"
        "What a few months it has been. The open day drew 2,300 people to the dig.\n\n"
        "From our social media\n\n"
        '"Just back from the open day with two very muddy kids. Thank you!" - posted by @AmaraInWex, 14 June\n'
    )
    blocks = read_txt(text.encode(), "newsletter.txt").blocks
    assert [b.section for b in blocks] == ["Wexcombe Civic Society Newsletter - July 2025", "From our social media"]
    assert not any("Issue 142" in b.text for b in blocks)


def test_a_papers_long_title_is_the_title_and_a_journals_name_over_its_date_heads_nothing():
    """A correction notice: its 22-word first line was quoted as a sentence and the file name
    was its title; the journal's name over "Published 9 May 2025" was every paragraph's section."""
    doc = read_document((TRIAL / "correction-notice-jgir.txt").read_bytes(), "correction-notice-jgir.txt")
    assert doc.title.startswith("Correction to: Iota-carrageenan nasal spray") and doc.date == "2025-05-09"
    assert not any("Journal of Geriatric" in (b.section or "") for b in doc.blocks)
    assert not any(b.text.startswith("Correction to:") for b in doc.blocks)
    # A heading over its paragraph is still one, over a date too further down ("Closing date").
    minutes = read_txt(b"Harbour Board\n\nBudget\nThe board approved the budget for 2025.\n", "m.txt")
    assert minutes.blocks[0].section == "Budget"
    advert = "Library Assistant (part-time)\n\nEastvale Council is looking for a library assistant to work 18 hours "
    advert += "a week.\n\nClosing date\nFriday 28 March 2025\n\nInterviews will be held in the week of 7 April.\n"
    closing = read_txt(advert.encode(), "job.txt").blocks
    assert [(b.section, b.text) for b in closing][1] == ("Closing date", "Friday 28 March 2025")
    # A long first sentence that lost its full stop is no title.
    visit = (
        "Following our phone call yesterday here are my notes from the site visit to the Harbour Street depot on "
        "Monday with the two engineers from the council"
    )
    notes = read_txt(f"{visit}\n\nThe north wall has a crack above the loading bay.\n".encode(), "visit-notes.txt")
    assert notes.title == "visit notes" and notes.blocks[0].text == visit


def _pdf_sentences(path: Path) -> list[tuple[str | None, str]]:
    return [(s.section, s.text) for s in split_document(read_pdf(path.read_bytes(), path.name))]


def test_a_pdf_tables_cells_run_into_one_line_are_read_apart():
    """pypdf runs a row's cells into one line when they share a text object: a browser's "Save
    as PDF" of a new user's table read "Shropshire 18 7 11 -58%" under "County Branches today
    Closing Remaining Counter transactions 2019 to 2024", and a hand-written PDF's three repair
    options as one sentence. A cell starts well right of the text before it, where cells of
    other rows start too."""
    printed = _pdf_sentences(DATA / "newuser28-seeds" / "pmbs-branch-network-review-2025.pdf")
    header = "The branches affected: County | Branches today | Closing | Remaining | Counter transactions 2019 to 2024"
    assert (header, "Shropshire | 18 | 7 | 11 | -58%") in printed
    # The row at the first page's foot, whose cells are numbers, is no page number; the row
    # over the page break, whose first cell has two lines, is one row.
    assert (header, "Ceredigion | 6 | 3 | 3 | -61%") in printed
    assert (header, "Wrexham and Denbighshire | 6 | 2 | 4 | -59%") in printed
    after = "Nineteen of the closing branches are in England and twelve are in Wales."
    assert ("The branches affected", after) in printed
    written = _pdf_sentences(DATA / "newuser27-seeds" / "HKC-2517-R01-aune-bridge-principal-inspection.pdf")
    options = "5. Repair options: Option | Description | Estimated cost | Duration"
    assert (options, "B | Mini-piles, concrete collar and rock armour | €5.9-6.3 million | 7 months") in written


def test_text_after_a_gap_that_is_no_tables_cell_stays_with_the_text_before():
    """Not cells: a run-in heading and its paragraph, a numbered step and its words, a date's
    year on the line under it at a page's foot, a running header's second part."""
    guide = [text for _, text in _pdf_sentences(DATA / "newuser5-seeds" / "folk-museum-visitor-guide.pdf")]
    assert "The main exhibition occupies the ground floor and follows the herring from the net to the barrel." in guide
    manual = [text for _, text in _pdf_sentences(DATA / "newuser10-seeds" / "Tidewell-T3-Manual-Ch4.pdf")]
    assert "1. Remove the sonde guard and rinse the sensors with deionized water." in manual
    notice = [text for _, text in _pdf_sentences(DATA / "newuser19-seeds" / "irc-penalty-notice-avhg.pdf")]
    assert "Information Rights Commission, 14 October 2025" in notice
    report = [text for _, text in _pdf_sentences(DATA / "newuser16-seeds" / "brackwater-inquiry-final-report.pdf")]
    assert not any("Chapter 1: Summary" in text for text in report)


def test_a_forum_thread_undated_in_its_metadata_is_dated_by_its_first_post_and_quotes_in_order():
    """A new user's forum thread, each post dated, was undated (a search limited to dates left it
    out); a reply quoting a post read the quoted words, then "— Sionnach_Rua wrote:" after them."""
    path = DATA / "newuser29-seeds" / "angling-forum-ardnagree-thread.html"
    doc = read_document(path.read_bytes(), path.name)
    assert doc.date == "2025-07-17"
    texts = [b.text for b in doc.blocks]
    assert "Sionnach_Rua wrote: Is this thing actually a problem or is it just another scare?" in texts
    assert not any("wrote:" in text and not text.startswith("Sionnach_Rua wrote:") for text in texts)


def test_a_pdf_covers_lines_over_its_title_are_no_text():
    """ "Western Waterways Authority · Invasive Species Programme" over a report's title was its
    first sentence, and the first quote for "Who heads the Western Waterways Authority?"; a
    building society's "Member information" likewise (two new users')."""
    report = _pdf_sentences(DATA / "newuser29-seeds" / "wwa-lough-ardnagree-interim-report.pdf")
    assert not any("Invasive Species Programme" in text for _, text in report)
    assert report[0] == ("Lough Ardnagree Killer Shrimp Survey: Interim Report", "Issued 12 September 2025")
    review = _pdf_sentences(DATA / "newuser28-seeds" / "pmbs-branch-network-review-2025.pdf")
    assert review[0] == ("Branch Network Review 2025", "Published 3 March 2025")


def runs_pdf(pages: list[list[tuple[str, float, float, bool | str]]]) -> bytes:
    """A PDF of pages of (text, left edge, height, bold or "mono") runs in 10-point Helvetica
    (or Courier), each run a text object placed by its matrix with no line break after it:
    pypdf runs those at one height into one line, as it does a browser's table row."""
    fonts = {
        NameObject(f"/F{n}"): DictionaryObject(
            {NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
             NameObject("/BaseFont"): NameObject(face)}
        )
        for n, face in ((1, "/Helvetica"), (2, "/Helvetica-Bold"), (3, "/Courier"))
    }  # fmt: skip
    writer = PdfWriter()
    for runs in pages:
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(fonts)})
        content = DecodedStreamObject()
        content.set_data(
            "".join(
                f"BT /F{3 if bold == 'mono' else 2 if bold else 1} 10 Tf 1 0 0 1 {x} {y} Tm ({text}) Tj ET\n"
                for text, x, y, bold in runs
            ).encode()
        )
        page.replace_contents(content)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdfs_lines_apart_only_where_a_tables_cells_are():
    """A review's PDFs: a numbered paragraph's "3.1" hung apart from its text, and a sentence
    going on in another font after the same words on three lines ("It was resolved that" then,
    in bold, "the minutes…") were read as cells ("3.1 | The pier…"). A table's cells, placed
    as apart, are."""
    runs = []
    for y, number, text in ((700, "3.1", "The pier was inspected."), (686, "3.2", "The joint had opened."),
                            (672, "3.3", "No cracks were seen.")):  # fmt: skip
        runs += [(number, 72, y, False), (text, 100, y, False)]
    # Helvetica's "It was resolved that " is 89 points wide at 10 points: the bold run follows it,
    # the space before it in the run before, as a browser writes it.
    for y, text in ((620, "the minutes be approved."), (606, "the budget be approved."), (592, "the report be noted.")):
        runs += [("It was resolved that ", 72, y, False), (text, 161, y, True)]
    # A table whose first column numbers its rows, its cells short: a row, not a paragraph.
    for y, row in ((570, ("3.1", "Scour repair", "Done")), (556, ("3.2", "Lifting rail", "Tender"))):
        runs += [(cell, x, y, False) for cell, x in zip(row, (72, 150, 350))]
    for y, row in (
        (540, ("Derrylea", "East", "340")),
        (526, ("Coolnahinch", "West", "96")),
        (512, ("Carrig", "North", "6")),
    ):
        runs += [(cell, x, y, False) for cell, x in zip(row, (72, 200, 300))]
    texts = [s.text for s in split_document(read_pdf(runs_pdf([runs]), "minutes.pdf"))]
    assert "3.1 The pier was inspected." in texts and "3.3 No cracks were seen." in texts
    assert "It was resolved that the minutes be approved." in texts
    assert "Coolnahinch | West | 96" in texts and "3.2 | Lifting rail | Tender" in texts
    assert sum(" | " in text for text in texts) == 5


def test_a_word_in_another_font_a_word_space_on_is_no_tables_cell():
    """Real LaTeX manuals: a word in typewriter type one word space after the text before it,
    where such words on two other lines started by chance, was read as a table's cell: "The
    contents of the file | texsys.cfg allow…", 804 of 3,163 sentences of five guides. Where
    the font gives its widths, a cell starts farther from the end of the text before it than
    a word space."""
    runs = []
    # Helvetica's "The contents of the file" is 101.2 points wide at 10 points; Courier's
    # "texsys.cfg" 60.0. Each run follows the one before by a word space of 3 points.
    for y, name in ((700, "texsys.cfg"), (688, "hyphen.cfg"), (676, "ltnews.cfg")):
        runs += [("The contents of the file", 72, y, False), (name, 176.2, y, "mono")]
        runs += [("is read first by every run.", 239.2, y, False)]
    for y, row in ((600, ("texsys.cfg", "System", "Required")), (588, ("hyphen.cfg", "Patterns", "Optional"))):
        runs += [(cell, x, y, False) for cell, x in zip(row, (72, 176.2, 300))]
    texts = [s.text for s in split_document(read_pdf(runs_pdf([runs]), "cfgguide.pdf"))]
    assert texts.count("The contents of the file texsys.cfg is read first by every run.") == 1
    assert "The contents of the file ltnews.cfg is read first by every run." in texts
    assert "texsys.cfg | System | Required" in texts and "hyphen.cfg | Patterns | Optional" in texts


def test_a_pdfs_contents_lines_run_together_are_no_text():
    """A LaTeX guide's contents, its lines as long and as close as a paragraph's and their
    leaders spaced (". . . 2"), were one block of text under "Contents": it came third for
    two questions."""
    sections = (
        ("Overview", "The parser reads each argument of a command alone, in the order that its specification gives."),
        ("Argument types", "Every letter of an argument specification names one type of argument, mandatory or not."),
        ("Body of an environment", "The body of an environment is read as its last argument when the b type is given."),
    )
    lines = [("Writing document commands", 16, 760, True), ("Contents", 14, 730, True)]
    for number, (heading, _) in enumerate(sections, start=1):
        leader = " ." * ((88 - len(heading)) // 2)
        lines.append((f"{number} {heading}{leader} {number + 1}", 10, 712 - 12 * number))
    for number, (heading, text) in enumerate(sections, start=1):
        y = 620 - 60 * number
        lines += [(f"{number} {heading}", 14, y, True), (text, 10, y - 20)]
    doc = read_document(laid_out_pdf(lines), "usrguide.pdf")
    assert not any(". . ." in block.text for block in doc.blocks)
    assert ("1 Overview", sections[0][1]) in [(b.section, b.text) for b in doc.blocks]


def test_a_tables_rows_at_two_pages_feet_saying_the_same_are_no_footer():
    """A review's table of branches, "Staying open" in a row at the foot of two pages: both rows
    were dropped as a running footer, which a running header's first part alone makes."""
    pages = []
    for names in (("Builth", "Corwen"), ("Ruthin", "Conwy")):
        runs = [("Branch decisions, page by page, as the board agreed them.", 72, 700, False)]
        for y, name, decision in (
            (200, names[0], "Closing"),
            (186, names[1], "Staying open"),
        ):
            runs += [(name, 72, y, False), (decision, 250, y, False)]
        pages.append(runs)
    texts = [s.text for s in split_document(read_pdf(runs_pdf(pages), "branches.pdf"))]
    expected = {"Builth | Closing", "Corwen | Staying open", "Ruthin | Closing", "Conwy | Staying open"}
    assert expected <= set(texts)


def test_a_pdf_covers_line_over_the_title_that_says_who_is_text():
    """ "Prepared by Hydro Consult Ltd for Aune County Council" over a report's title was
    dropped with the cover's brand line (a review's)."""
    lines = [
        ("Prepared by Hydro Consult Ltd for Aune County Council", 10, 780),
        ("Aune Bridge Principal Inspection", 20, 740, True),
        ("The pier was undermined by scour and the bridge was closed on 3 March.", 10, 700),
    ]
    texts = [s.text for s in split_document(read_pdf(laid_out_pdf(lines), "report.pdf"))]
    assert "Prepared by Hydro Consult Ltd for Aune County Council" in texts


def word_file(build) -> bytes:
    """A .docx made by python-docx (from its Word-made template), as `build(document)` writes it."""
    import docx  # qa's own dependency, as the reader of .docx files

    document = docx.Document()
    build(document)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_documents_headings_tables_title_and_day_are_read():
    """Word files were left out with a warning ("qa does not read .docx files"): the commonest
    kind an analyst is sent. Styled headings name the paragraphs under them (under the chapter
    they are in, the Title style's line standing for the document, not a template's title in
    the file's properties); a table's rows read under its header row, a merged cell once; a
    draft's tracked changes read as they stand; a name over a post reads as one line; the
    pages' header and footer once, after the text; the day the opening states dates it."""

    def review(document):
        document.core_properties.title = "Cabinet report template 2021"  # a template's: no title
        document.core_properties.created = datetime(2024, 1, 3, tzinfo=UTC)
        document.add_paragraph("Harbour Dredging Review", style="Title")
        document.add_paragraph("Issued 8 May 2025")
        document.add_heading("Findings", level=1)
        document.add_paragraph("The channel has silted faster than forecast since the 2023 storms.")
        document.add_heading("Costs", level=2)
        document.add_paragraph().add_run("Budget by phase").bold = True
        document.add_paragraph("Dredging will cost €4.2 million over two years.")
        table = document.add_table(rows=4, cols=3)
        rows = (
            ("Phase", "Start", "Cost"),
            ("Inner basin", "June 2025", "€1.9m"),
            ("Outer basin", "March 2026", "€2.3m"),
        )
        for row, cells in zip(table.rows, rows):
            for cell, text in zip(row.cells, cells):
                cell.text = text
        total = table.rows[3].cells
        total[0].merge(total[1]).text = "Total"
        total[2].text = "€4.2m"
        document.add_heading("Contacts", level=1)
        document.add_paragraph("Priya Natarajan\nDirector of Finance")
        # A draft's changes, tracked and not yet accepted: words inserted read, deleted not.
        draft = document.add_paragraph("The board approved the plan")
        for change, tag, words in (("w:del", "w:delText", " in May"), ("w:ins", "w:t", " on 4 June")):
            mark, run, text = OxmlElement(change), OxmlElement("w:r"), OxmlElement(tag)
            mark.set(qn("w:id"), "1")
            mark.set(qn("w:author"), "Editor")
            text.set(qn("xml:space"), "preserve")
            text.text = words
            run.append(text)
            mark.append(run)
            draft._p.append(mark)
        draft.add_run(".")
        # The pages' header and footer, once each, without the page's number.
        document.sections[0].header.paragraphs[0].text = "Kilrush Harbour Authority"
        document.sections[0].footer.paragraphs[0].text = "Approved by the board on 21 January 2025\tPage 1 of 3"

    doc = read_document(word_file(review), "reports/dredging.docx")
    assert (doc.title, doc.date, doc.kind) == ("Harbour Dredging Review", "2025-05-08", "docx")
    assert [(b.section, b.text) for b in doc.blocks] == [
        (None, "Issued 8 May 2025"),
        ("Findings", "The channel has silted faster than forecast since the 2023 storms."),
        ("Costs: Budget by phase", "Dredging will cost €4.2 million over two years."),
        ("Costs: Budget by phase: Phase | Start | Cost", "Inner basin | June 2025 | €1.9m"),
        ("Costs: Budget by phase: Phase | Start | Cost", "Outer basin | March 2026 | €2.3m"),
        ("Costs: Budget by phase: Phase | Start | Cost", "Total | €4.2m"),
        ("Contacts", "Priya Natarajan, Director of Finance"),
        ("Contacts", "The board approved the plan on 4 June."),
        ("Header", "Kilrush Harbour Authority"),
        ("Footer", "Approved by the board on 21 January 2025"),
    ]

    def memo(document):
        document.core_properties.created = datetime(2024, 11, 5, 9, 30, tzinfo=UTC)
        document.add_paragraph("The pumps at Kilrush were serviced on Tuesday.")

    undated = read_document(word_file(memo), "pump memo.docx")
    assert (undated.title, undated.date) == ("pump memo", "2024-11-05")


def test_a_word_documents_forms_groups_boxes_and_headings_set_apart_read_as_written():
    """A new user's Word files: a form's first field ("To: | All Heads of Service") was taken
    for a header row and lost; a row across a table ("In attendance") was a sentence, not what
    its rows are; text in a content control and a table inside a cell were lost; a heading in a
    larger type (not bold) was a sentence; a bold line over another heading vanished; a page
    break cut a sentence. A text box drawn in a paragraph is no part of it."""

    def minutes(document):
        document.add_paragraph().add_run("NORTHGATE COMMUNITY CENTRE").bold = True
        document.add_paragraph().add_run("Minutes of the trustees").bold = True
        form = document.add_table(rows=2, cols=2)
        for row, cells in zip(form.rows, (("To:", "All trustees"), ("Subject:", "Roof repairs"))):
            for cell, text in zip(row.cells, cells):
                cell.text = text
        sized = document.add_paragraph().add_run("Who was there")
        sized.font.size = Pt(16)
        present = document.add_table(rows=3, cols=2)
        for row, cells in zip(present.rows, (("Name", "Role"), ("In attendance",), ("Sam Whitlow", "Treasurer"))):
            for cell, text in zip(row.cells, cells):
                cell.text = text
        present.rows[1].cells[0].merge(present.rows[1].cells[1])
        present.rows[2].cells[1].add_table(rows=1, cols=2).rows[0].cells[0].text = "Since March 2024"
        control = OxmlElement("w:sdt")
        content = OxmlElement("w:sdtContent")
        inside = document.add_paragraph("The roof will be repaired by J. Moss & Sons.")._p
        content.append(inside)
        control.append(content)
        document.element.body.insert(len(document.element.body) - 1, control)
        cut = document.add_paragraph("The work starts")
        page_break = OxmlElement("w:br")
        page_break.set(qn("w:type"), "page")
        cut.add_run()._r.append(page_break)
        boxed = cut.add_run(" in June.")
        box = OxmlElement("w:txbxContent")
        box_text = OxmlElement("w:p")
        box_run, box_t = OxmlElement("w:r"), OxmlElement("w:t")
        box_t.text = "Photo: the roof"
        box_run.append(box_t)
        box_text.append(box_run)
        box.append(box_text)
        boxed._r.append(box)

    doc = read_document(word_file(minutes), "minutes.docx")
    assert doc.title == "NORTHGATE COMMUNITY CENTRE"
    assert [(b.section, b.text) for b in doc.blocks] == [
        (None, "NORTHGATE COMMUNITY CENTRE"),
        ("Minutes of the trustees", "To: | All trustees"),
        ("Minutes of the trustees", "Subject: | Roof repairs"),
        ("Who was there: Name | Role: In attendance", "Sam Whitlow | Treasurer"),
        ("Who was there", "Since March 2024"),
        ("Who was there", "The roof will be repaired by J. Moss & Sons."),
        ("Who was there", "The work starts in June."),
    ]


@pytest.mark.parametrize(
    ("part", "xml"),
    [
        ("word/document.xml", b"<not-closed"),
        ("word/document.xml", b'<?xml version="1.0"?><other/>'),
        ("word/styles.xml", b"<w:styles xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
         b"<w:style w:type='paragraph' w:styleId='Normal'/></w:styles>"),
        ("docProps/core.xml", b"<broken"),
    ],
)  # fmt: skip
def test_a_word_document_with_a_broken_part_is_unreadable_and_says_so(part, xml):
    """Broken XML, a body that is no Word body, styles without names: one such file stopped a
    whole build, as python-docx's errors are no `Unreadable`."""
    whole = word_file(lambda document: document.add_paragraph("The pumps were serviced."))
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(whole)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == part else source.read(item.filename))
    try:
        doc = read_document(out.getvalue(), "broken.docx")
    except Unreadable as exc:
        assert str(exc).startswith("not a Word document qa can open"), exc
    else:  # a part python-docx can do without is no harm
        assert [b.text for b in doc.blocks] == ["The pumps were serviced."]


def test_a_word_documents_later_title_broken_heading_bold_list_and_hidden_words_read_as_shown():
    """A second review's shapes: a Title-style line after some text vanished, neither text nor
    a section; a heading broken into lines was text; items of a list in bold became headings
    and were lost; a template's hidden instruction was read; a long document took 2.4 s."""

    def report(document):
        document.add_paragraph("Prepared for the board.")
        document.add_paragraph("Annual Report 2024", style="Title")
        document.add_paragraph("The year closed with a surplus.")
        document.add_heading("Part 2\nThe Budget", 1)
        for name in ("Ann Lee", "Bo Yu"):
            document.add_paragraph(style="List Bullet").add_run(name).bold = True
        shown = document.add_paragraph("The budget is set")
        shown.add_run(" [delete this instruction]").font.hidden = True
        shown.add_run(" at 4 million euros.")

    doc = read_document(word_file(report), "report.docx")
    assert [(b.section, b.text) for b in doc.blocks] == [
        (None, "Prepared for the board."),
        ("Annual Report 2024", "The year closed with a surplus."),
        ("Part 2 The Budget", "Ann Lee"),
        ("Part 2 The Budget", "Bo Yu"),
        ("Part 2 The Budget", "The budget is set at 4 million euros."),
    ]
    with pytest.raises(Unreadable, match=r"^protected by a password, or an old Word file \(\.doc\) renamed"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "minutes.docx")


def test_a_word_tables_first_row_in_bold_heads_it_even_with_figures():
    """ "Region | Q1 | Q2" in bold over a report's figures was a row like the others, and the
    rows under it had no names for their columns (a review's finding); a bold header of labels
    is no sentence, one with figures still is, as in a Markdown table."""

    def report(document):
        document.add_heading("Sales", level=1)
        for header, rows in (
            (("Region", "Q1", "Q2"), (("North", "12", "15"),)),
            (("Site", "Manager"), (("Kilrush", "Ann Lee"),)),
        ):
            table = document.add_table(rows=1 + len(rows), cols=len(header))
            for cell, text in zip(table.rows[0].cells, header):
                cell.paragraphs[0].add_run(text).bold = True
            for row, cells in zip(table.rows[1:], rows):
                for cell, text in zip(row.cells, cells):
                    cell.text = text

    doc = read_document(word_file(report), "sales.docx")
    assert [(b.section, b.text) for b in doc.blocks] == [
        ("Sales", "Region | Q1 | Q2"),
        ("Sales: Region | Q1 | Q2", "North | 12 | 15"),
        ("Sales: Site | Manager", "Kilrush | Ann Lee"),
    ]


def test_a_file_named_docx_that_is_no_word_document_is_unreadable_and_says_so():
    with pytest.raises(Unreadable, match=r"^not a Word document qa can open"):
        read_document(b"PK\x03\x04 not really a document", "minutes.docx")
    with pytest.raises(Unreadable, match=r"^no text in the document"):
        read_document(word_file(lambda document: document.add_heading("Agenda", level=1)), "agenda.docx")
