"""HTML (trafilatura): the article's main text without menus, banners and footers, and its
title, date and URL from the page's metadata."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from copy import deepcopy
from typing import Any
from urllib.parse import urlsplit

from ..records import Block, Document
from .common import (
    CONTROL,
    Headings,
    Unreadable,
    content_hash,
    dates_in,
    decode_bytes,
    http_url,
    iso_day,
    labels_only,
    row_text,
    section_under,
    stem_title,
)

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_TAG = re.compile(r"<\s*(!doctype|html|head|body|title|meta|p|div|span|h[1-6]|article|br|table)\b", re.I)
# trafilatura's XML: the elements that hold paragraphs (or are paragraphs) of their own
_XML_CONTAINERS = {"list", "item", "quote", "p", "div", "head", "table"}
# Elements inside a line of text, which a paragraph made of loose text takes with it
_INLINE = set("a abbr b br cite code em i mark q s small span strong sub sup time u".split())
_PERMALINK = re.compile(r"\s*[¶§#🔗]\s*")  # a heading's link to itself, as documentation tools write it
# What a <pre>'s class, or its wrapper's, says when it holds code ("highlight-python3", "sourceCode")
_CODE_MARK = re.compile(r"highlight|code|source|language-|lang-|console|literal|program|example")
BYLINE_CHARS = 200  # longer, an element marked "byline" holds more than the byline
_BYLINE_MARK = re.compile(r"(?:^|[-_])byline(?:[-_]|$)")
_PICTURE = re.compile(r"image|photo|picture|credit|caption")
# A wiki's heading ends in its edit link, "Course[edit]", which trafilatura keeps.
_EDIT_LINK = re.compile(r"\s*\[\s*edit(?: source)?\s*\]$", re.IGNORECASE)
HEADING_LEVEL = 2  # of a heading trafilatura gives no level
_EMPTY_PARTS = re.compile(r"([·|•,;—–-])(?:\s*[·|•,;—–-])+")
# A story's reading time ("6 min read"), no text: a block of it left when the date beside it went
# ("· 6 min read"), or a byline's part ("By Jane Doe · 6 min read").
_MINUTES_READ = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)[\s-]*min(?:ute)?s?\.?\s+read\b"
_READING_TIME = re.compile(rf"\W*(?:{_MINUTES_READ}|reading\s+time\W+\d{{1,3}}\s*min(?:ute)?s?)\W*", re.IGNORECASE)
_READING_TIME_PART = re.compile(rf"\s*[·|•]\s*{_MINUTES_READ}", re.IGNORECASE)
_OFFER = re.compile(r"promo|newsletter|subscri|sign-?up|advert|\bad\b|related|share|social|cookie|donat")
_BY = re.compile(r"by\b", re.IGNORECASE)
_CREDIT_MARK = re.compile(r"credit|byline|photographer|copyright")
_CONTENT_MARK = re.compile(r"\b(?:content|entry|article|post|story)\b", re.IGNORECASE)
CAPTION_WORDS = 6  # fewer, a caption names the picture ("The harbour at dawn")
_CREDIT = re.compile(r"\s*[(\[]?\s*\b(?:pictures?|photos?|photograph|image|credit)\s*:.*$", re.IGNORECASE)
POST_CHARS = 50  # less, an <article> holds a label or a picture, not a post of a live page
FEED_SHARE = 0.6  # a post holding more of the posts' text than this is the story itself
STORY_CHARS = 200  # a page's own story beside other stories' cards holds this much text at least
POST_LABEL_CHARS = 60  # longer, a "date"- or "author"-marked element holds more than a label
_AUTHOR_MARK = re.compile(r"(?:^|[\s_-])(?:user|author|poster|username)(?:$|[\s_-])")
BOX_CHARS = 80  # less, a box is a label or a button, no text of the story
# A byline's parts that say when, not who: "byline__date", "updated"; not "author-candidate".
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")  # "Updated 18:05": a time of day, without its date
# A byline's part that only dates it: "· Updated 5 March 2025", "| Published: 12 May 2025, 09:05 CET"
_DATED_PART = re.compile(
    r"\s*[·|•]\s*(?:(?:last\s+)?(?:updated|published|posted|modified)\b:?\s*(?:on\s+)?)?"
    r"(?:\w+,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[A-Z]{2,4})?)?(?=\s*(?:[·|•]|$))",
    re.IGNORECASE,
)
# What is left of such a part when its date was a <time>, read apart: "· Updated".
_DATING_LABEL = re.compile(
    r"\s*[·|•]\s*(?:last\s+)?(?:updated|published|posted|modified)\b:?(?:\s*on)?(?=\s*(?:[·|•]|$))", re.IGNORECASE
)
_WHEN = re.compile(r"(?:^|[\s_-])(?:date|time|timestamp|published|publish|updated|modified)(?:$|[\s_-])")
# The summary under a headline: "standfirst", "article__dek", "sub-headline", "c-strapline".
_STANDFIRST_MARK = re.compile(
    r"(?:^|[-_])(?:standfirst|dek|deck|sub-?head(?:line|ing)?|subtitle|strap(?:line)?|summary|intro|lede|excerpt"
    r"|teaser|description|abstract|covering|highlights|takeaways|key-?(?:points|facts|events))(?:[-_]|$)"
)
STANDFIRST_CHARS = 400  # longer, an element so marked holds more than a summary
STANDFIRST_WORDS = 5  # fewer, it is a label ("Summary", "Read more")
SUBTITLE_WORDS = 8  # an <h2> this long right under the headline is a sentence, not a section's name
_FURNITURE = ("nav", "footer", "aside", "figure", "figcaption", "a", "button", "form", "li")
_HIDDEN = re.compile(r"visually-?hidden|sr-only|screen-?reader")  # text for screen readers alone
_FOOTNOTE_NUMBER = re.compile(r"\d{1,3}|\[\d{1,3}\]")  # a footnote's mark: "1", "[12]"
# A wiki's editing links ("[edit]", read as a sentence of its own), what it leaves out of print
# ("[citation needed]") and its list of references, read as a sentence per fragment ("BBC News.",
# "Retrieved 14 November 2023."): the page's furniture, not its text.
_WIKI_FURNITURE = re.compile(r"mw-editsection|\bnoprint\b|\breflist\b|mw-references-wrap|(?<![\w-])references(?![\w-])")
# A forum post's box about its poster ("Sunniva_H", "Posts: 212", "Joined: Oct 2024"), quoted
# after each post as if the poster's words.
_POSTER_BOX = re.compile(r"post-?profile|user-?details|poster-?info|author-?profile")
# A thread's reply after its first post is marked as a post ("post reply", "message"), and not
# as a reader's comment or response, which a news page's story is no thread of.
_REPLY_MARK = re.compile(r"(?:^|[\s_-])(?:post|reply|message)s?(?:$|[\s_-])")
_COMMENT_MARK = re.compile(r"(?:^|[\s_-])(?:comments?|responses?|reactions?)(?:$|[\s_-])")
# The label over a headline ("OPINION", "ANALYSIS"), quoted as a sentence and named the author:
# marked as one, or a kind of story's name right before the first <h1> ("CANCELLED" or "ROAD
# CLOSED TODAY" there are text).
_KICKER_MARK = re.compile(r"(?:^|[-_])(?:kicker|eyebrow|overline)(?:[-_]|$)")
_STORY_KIND = re.compile(
    r"(?:live|breaking|exclusive|opinion|analysis|comment|commentary|editorial|review|explainer|feature|interview"
    r"|obituary|letters?|column|essay|perspective|briefing|fact[ -]check|investigation|sponsored|in depth)"
    r"(?:\s*[|/·:]\s*[\w ]{1,20})?",
    re.IGNORECASE,
)
KICKER_WORDS = 3
BYLINE_WORDS = 8  # "Ann Lee reports from the harbour." names its writer as a byline does
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s*$")
_SITE_MARK = re.compile(r"site|brand|logo|masthead|banner|tagline|author")  # the site's, or a writer's box
_BREAKS = {"br", "p", "div", "li", "ul", "ol", "h2", "h3", "h4"}  # between pieces of a standfirst


def decode_html(data: bytes) -> str:
    """The text of an HTML file: by its byte-order mark, as UTF-8, by its declared charset,
    or by charset sniffing, in that order; `Unreadable` for binary data."""
    # A web page may be in any script (Shift-JIS, Arabic...): guessed among all encodings.
    return _html_text(decode_bytes(data, _declared_charset(data[:4096]), european=False))


def read_html(data: bytes, doc_id: str) -> Document:
    """The main text of a web page, without menus, banners and footers: a block per paragraph,
    list item or table row; headings name the blocks under them."""
    text = decode_html(data)
    tree, byline, standfirst = _prepared(text)
    feed = not isinstance(tree, str) and tree.find(".//*[@data-qa-feed]") is not None
    page = _extract(tree)
    if page is not None and _dumped(page.body):
        # Under 250 characters of story, trafilatura falls back on the whole page's text as one
        # paragraph: "Council approves dam The scheme will… By Jane Roe The council voted…", a
        # headline and a byline glued to the first sentence. Its own paragraphs, when they hold
        # most of that text, are the story.
        tree, _, _ = _prepared(text)
        short = _extract(tree, _short_page_settings())
        if short is not None and 2 * _text_size(short.body) >= _text_size(page.body):
            page = short
    blocks = [b for b in _xml_blocks(page.body) if not _READING_TIME.fullmatch(b.text)] if page is not None else []
    if not blocks:
        raise Unreadable("no main text found in the HTML")
    # Above the story's first section, unless that is a live page's first post.
    top = None if feed else blocks[0].section
    if byline and not _names_author(blocks, page.author):
        blocks.insert(0, Block(byline, section=top))
    # The summary first, and once: where trafilatura kept it too (a live page's key points
    # after its first post), it leaves that place.
    summary = {_squeezed(text) for text in standfirst}
    story = [b for b in blocks if _squeezed(b.text) not in summary]
    if standfirst and story:
        blocks = [Block(text, section=top) for text in standfirst] + story
    return Document(
        doc_id,
        (page.title or "").strip() or stem_title(doc_id),
        iso_day(page.date) or _first_posted(text),
        http_url(page.url),
        "html",
        tuple(blocks),
        content_hash(data),
    )


def _first_posted(text: str) -> str | None:
    """The day of the first <time datetime> in an <article> of the page as written: a forum
    thread with no date in its metadata, each post dated, was undated (a search limited to
    dates left it out). The tree read is changed by then (a post's time is in its heading)."""
    from trafilatura.utils import load_html

    tree = load_html(text)
    if tree is None:
        return None
    for element in tree.iter("time"):
        day = iso_day(element.get("datetime"))
        if day and any(ancestor.tag == "article" for ancestor in element.iterancestors()):
            return day
    return None


def _prepared(text: str) -> tuple[Any, str | None, list[str]]:
    """The page's tree as trafilatura is to read it, with what it would drop and qa reads:
    (tree, byline, summary under the headline)."""
    tree = _body_as_article(text)
    _tidy_page(tree)
    byline = _byline(tree)  # before trafilatura, which prunes the tree
    standfirst = _standfirst(tree)  # a subtitle <h2> taken out of the tree
    _open_boxes(tree)
    return tree, byline, standfirst


def _extract(tree: Any, settings: Any = None) -> Any:
    """trafilatura's reading of the page (None if it finds nothing)."""
    import trafilatura  # imported here: only a folder with web pages pays for it
    from trafilatura.settings import DEFAULT_CONFIG

    try:
        return trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            # dates from the page's metadata and markup only: a full-text search guesses
            # "2023-01-01" from any 2023 in a table
            date_extraction_params={"original_date": True, "extensive_search": False},
            config=settings or DEFAULT_CONFIG,
        )
    except Exception as exc:  # lxml and the extractors fail in many ways on broken pages
        raise Unreadable(f"HTML could not be parsed ({type(exc).__name__})") from None


def _short_page_settings() -> Any:
    """trafilatura's settings without its fallbacks for a short text."""
    from trafilatura.settings import DEFAULT_CONFIG

    settings = deepcopy(DEFAULT_CONFIG)
    settings["DEFAULT"]["min_extracted_size"] = "1"
    return settings


def _dumped(body: Any) -> bool:
    """Whether trafilatura's text is one paragraph, as its fallback on the whole page gives."""
    return body is not None and len(body) == 1 and body[0].tag == "p"


def _text_size(body: Any) -> int:
    return len(_squeezed("".join(body.itertext()))) if body is not None else 0


def _body_as_article(text: str) -> Any:
    """The page as a tree for trafilatura, its main part marked as the article when nothing in
    it is: trafilatura reads headings and lists only inside what it takes for the article (an
    <article>, <main>, or a block of a class it knows), and of a page without one it kept the
    paragraphs alone, losing every heading and a list of names. The main part is the block
    around the first heading that holds at least half of the page's paragraph text: not a
    cookie banner or a site name above it."""
    from trafilatura.utils import load_html
    from trafilatura.xpaths import BODY_XPATH

    tree = load_html(text)  # parsed once: trafilatura takes the tree as it is
    body = tree.find("body") if tree is not None else None
    if body is None:
        return text
    _drop_teasers(body)
    if _feed_as_article(body):
        return tree
    if any(find(tree) for find in BODY_XPATH):
        return tree
    heading = next(body.iter("h1"), None)
    if heading is None:
        heading = next(body.iter("h2", "h3", "h4", "h5", "h6"), None)
    if heading is None:
        return tree
    total = _paragraph_text(body)
    main = heading.getparent()
    while main is not body and 2 * _paragraph_text(main) < total:
        main = main.getparent()
    if main is body:
        main = body.makeelement("article", {})
        main.extend(list(body))
        body.append(main)
    else:
        main.tag = "article"
    return tree


def _feed_as_article(body: Any) -> bool:
    """A page of several posts, each an <article> (a live page, a blog's front page), marked as
    one article: trafilatura reads the first it finds, and a live page's other posts were lost,
    or read by its fallbacks with their headings as text. The posts are the articles holding
    POST_CHARS of text of their own, none holding most of it. A page whose headline is in one
    of them is that story's, and a card whose heading links to another page is a teaser of
    that page, however long its summary: a story with "More from the region" is no feed."""
    posts = _articles_in(body)
    if len(posts) == 1 and len(_articles_in(posts[0])) >= 2:  # the page's own article, its posts in it
        posts = _articles_in(posts[0])
    headed = [a for a in posts if next(a.iter("h1"), None) is not None]
    # A forum thread: the headline in the first post, the replies after it with no heading of
    # their own (nor a comment's mark); they were lost, and the first post may hold most text.
    thread = headed[:1] == posts[:1] and len(headed) == 1 and all(_reply(a) for a in posts[1:])
    if headed and not thread:
        return False
    sizes = {a: _paragraph_text(a) for a in posts}
    posts = [a for a in posts if sizes[a] >= POST_CHARS and not _teaser(a)]
    if len(posts) < 2 or (not thread and max(sizes[a] for a in posts) > FEED_SHARE * sum(sizes[a] for a in posts)):
        return False
    shared = set(posts[1].iterancestors()).intersection(*(p.iterancestors() for p in posts[2:]))
    feed = next(up for up in posts[0].iterancestors() if up in shared)
    if feed is body:
        feed = body.makeelement("div", {})
        feed.extend(list(body))
        body.append(feed)
    # A post with no heading gets one of its fellows' level, not one nested under the last's.
    level = next((h.tag for post in posts for h in post.iter("h2", "h3", "h4", "h5", "h6")), "h2")
    for post in posts:
        post.tag = "section"
        _post_heading(post, level)
    # trafilatura's own mark for an article's body, which it looks for first
    feed.tag = "article"
    feed.set("itemprop", "articleBody")
    feed.set("data-qa-feed", "")  # for read_html: the story's first section is a post's
    return True


def _reply(post: Any) -> bool:
    """An <article> after a thread's first post that reads as a reply: no heading, marked as a
    post (_REPLY_MARK), and neither it nor what holds it as a reader's comment."""
    if next(post.iter("h1", "h2", "h3", "h4", "h5", "h6"), None) is not None:
        return False
    if not _REPLY_MARK.search(_marks(post)):
        return False
    return not any(_COMMENT_MARK.search(_marks(e)) for e in (post, *post.iterancestors()))


def _articles_in(element: Any) -> list[Any]:
    """The <article>s within an element that no other <article> within it holds (an embed in a
    post stays the post's)."""
    return [
        a
        for a in element.iter("article")
        if a is not element and not any(up.tag == "article" for up in _ancestors_within(a, element))
    ]


def _ancestors_within(element: Any, top: Any) -> list[Any]:
    found = []
    for up in element.iterancestors():
        if up is top:
            break
        found.append(up)
    return found


def _post_heading(post: Any, level: str) -> None:
    """A post's writer and time ("HeatGeek_Dave", "10:40 a.m. ET"), which trafilatura drops with
    the post's header and user box, put before its heading (or made its heading): where a quote
    stands says who posted it and when, as a live page saved as text does."""
    said = []
    # In the post, not the post itself ("status-publish"), nor a date inside one of its sentences.
    inside = [e for e in post.iter() if e is not post and isinstance(e.tag, str)]
    inside = [e for e in inside if not any(up.tag == "p" for up in _ancestors_within(e, post))]
    for mark, tag in ((_AUTHOR_MARK, None), (_WHEN, "time")):
        element = next((e for e in inside if mark.search(_marks(e))), None)
        if element is None and tag:
            element = next((e for e in inside if e.tag == tag), None)
        first = (_pieces(element) or [""])[0] if element is not None else ""
        if first and len(first) <= POST_LABEL_CHARS and element.getparent() is not None:
            said.append(first)
            _take_out(element)
    if not said:
        return
    heading = next(post.iter("h2", "h3", "h4", "h5", "h6"), None)
    if heading is None:
        heading = post.makeelement(level, {})
        post.insert(0, heading)
    label = " · ".join(said)
    heading.text = f"{label} · {heading.text or ''}" if _text_of(heading) else label


def _drop_teasers(body: Any) -> None:
    """Cards of stories on other pages ("More from the region"), each an <article> whose heading
    links there: trafilatura took the first for the story, or read their summaries with it.
    Dropped when there are several and the page has a story of its own beside them, at least
    half as long; kept (as plain blocks) on a page that is mostly such cards (a front page)."""
    here = _own_path(body)
    cards = [a for a in body.iter("article") if _teaser(a, here)]
    if len(cards) < 2:
        return
    carded = sum(_paragraph_text(card) for card in cards)
    story = _paragraph_text(body) - carded
    for card in cards:
        if story >= STORY_CHARS and 2 * story >= carded:
            _take_out(card)
        else:
            card.tag = "div"


def _own_path(body: Any) -> str:
    """The path of the page's own address (its canonical link or og:url), "" if it gives none."""
    root = body.getroottree().getroot()
    for element in root.iter("link", "meta"):
        if element.get("rel") == "canonical" or element.get("property") == "og:url":
            return urlsplit(element.get("href") or element.get("content") or "").path.rstrip("/")
    return ""


def _teaser(article: Any, here: str = "") -> bool:
    """Whether an article's first heading links to another page, from within or around it: a
    card for a story there (a live post's heading may link to the post itself, "#post-12", and a
    blog post's to its own address)."""
    heading = next(article.iter("h2", "h3", "h4", "h5", "h6"), None)
    if heading is None:
        return False

    def away(link: Any) -> bool:
        href = link.get("href") or "#"
        return not href.startswith("#") and (not here or urlsplit(href).path.rstrip("/") != here)

    around = [a for a in _ancestors_within(heading, article) if a.tag == "a"]
    if any(away(a) for a in around):
        return True
    text = len(_squeezed("".join(heading.itertext())))
    return text > 0 and sum(len(_squeezed("".join(a.itertext()))) for a in heading.iter("a") if away(a)) >= text / 2


def _byline(tree: Any) -> str | None:
    """The text of the page's byline ("By Harriet Blythe · 18 November 2023"): the first short
    element whose class or id says it is one. trafilatura drops it, and with it the only place
    the page names its writer."""
    if isinstance(tree, str):
        return None
    for element in tree.iter("p", "div", "span", "address", "li"):
        marks = _marks(element).split()
        # "byline", "article-byline", "c-byline__name"; not a photo's "image-byline" in a caption.
        signed = element.tag == "address" and _BY.match(" ".join(element.itertext()).strip())
        marked = any(_BYLINE_MARK.search(mark) and not _PICTURE.search(mark) for mark in marks)
        if (marked or signed) and not any(
            ancestor.tag in ("figure", "figcaption") for ancestor in element.iterancestors()
        ):
            # Block children apart ("By Jessica Parker" over "BBC News, Reykjavík"), no space before a comma.
            text = _spaced(" ".join([element.text or "", *(t for c in element for t in _text_but_when(c))]))
            # "By Ann Lee · · Issue 118", its date gone; "· 6 min read" no part of who wrote,
            # nor "· Updated 5 March 2025" written as plain text beside its <time>
            text = _DATING_LABEL.sub("", _DATED_PART.sub("", _READING_TIME_PART.sub("", text)))
            text = _EMPTY_PARTS.sub(r"\1", text).strip(" ·|•,;—–-")
            if text and len(text) <= BYLINE_CHARS:
                return text
    return None


def _tidy_page(tree: Any) -> None:
    """Text for screen readers alone taken out ("Image caption, " before a caption), a wiki's
    furniture and footnote marks too (_furniture), and a quotation's credit (its <cite> or
    <footer>) put after its words: read first, on a line of its own, "— Anne Hidalgo" came
    first for "What did Hidalgo say?"."""
    if isinstance(tree, str):
        return
    marked = [e for e in tree.iter() if isinstance(e.tag, str) and _furniture(e)]
    for element in marked:
        if element.getparent() is not None:
            _take_out(element)
    for quote in list(tree.iter("blockquote")):
        _reply_after(quote)
        own = [e for e in quote.iter("cite", "footer", "p") if _nearest(e, "blockquote") is quote]
        # Not a forum's "Sionnach_Rua wrote:", which introduces the words after it.
        found = [
            e
            for e in own
            if e.tag == "footer" or (_stands_alone(e) and not _introduces(e) if e.tag == "cite" else _credit_line(e))
        ]
        credits = [e for e in found if not any(up in found for up in e.iterancestors())]  # a <cite> in a <footer>
        said = " ".join(_spaced("".join(c.itertext())) for c in credits).strip()
        if not said:
            continue
        for credit in credits:
            if credit.getparent() is not None:
                _take_out(credit)
        said = said if said[0] in "—–-" else f"— {said}"
        last = ([p for p in quote.iter("p")] or [quote])[-1]
        if len(last):
            last[-1].tail = f"{(last[-1].tail or '').rstrip()} {said}"
        else:
            last.text = f"{(last.text or '').rstrip()} {said}"


def _introduces(cite: Any) -> bool:
    return "".join(cite.itertext()).rstrip().endswith(":")


def _reply_after(quote: Any) -> None:
    """A forum reply's words after the post it quotes, as a paragraph of their own: left as the
    quotation's tail, trafilatura dropped them ("I'm a neonatal nurse…" after "Sunniva_H wrote:
    She had a slight temperature…"). The quoted poster's "… wrote:" is kept apart from the
    words it quotes ("Sunniva_H wrote:She had…")."""
    for cite in quote.iter("cite"):
        if cite.tail and not cite.tail[:1].isspace() and _introduces(cite):
            cite.tail = " " + cite.tail
    if not (quote.tail or "").strip():
        return
    reply = quote.makeelement("p", {})
    reply.text, quote.tail = quote.tail, None
    while (after := quote.getnext()) is not None and after.tag in _INLINE:  # "…is <b>rare</b>."
        reply.append(after)
    quote.addnext(reply)


def _furniture(element: Any) -> bool:
    """Text for screen readers alone, a wiki's furniture (_WIKI_FURNITURE), a forum poster's box
    (_POSTER_BOX), a footnote's mark: a superscript linking within the page ("…killing two
    people.[1]", "pore pressure.1"), a permalink's mark ("¶" after a heading), or a block of
    code (_code)."""
    if _code(element):
        return True
    marks = _marks(element)
    if _HIDDEN.search(marks) or _WIKI_FURNITURE.search(marks) or _POSTER_BOX.search(marks) or _kicker(element, marks):
        return True
    if element.tag == "a" and element.get("href", "").startswith("#"):
        if _PERMALINK.fullmatch(_text_of(element)):  # a heading's link to itself: "heapq¶"
            return True
        # a mark without a superscript, glued: "…pore pressure.<a href="#fn-1">1</a>"
        return bool(_FOOTNOTE_NUMBER.fullmatch(_text_of(element))) and _glued(element)
    if element.tag != "sup" or len(_text_of(element)) > 6:
        return False
    return any(a.get("href", "").startswith("#") for a in element.iter("a"))


def _code(element: Any) -> bool:
    """A block of program code: a <pre> marked as code or holding <code>. trafilatura made it
    a quotation, its lines run together ("@cache def factorial(n): return n * …"), and qa
    quoted it as a sentence. A <pre> of prose (a plain-text notice) stays."""
    if element.tag != "pre":
        return False
    marks = " ".join(_marks(e) for e in (element, *list(element.iterancestors())[:2]))
    return bool(_CODE_MARK.search(marks)) or element.find(".//code") is not None


def _kicker(element: Any, marks: str) -> bool:
    """The label over a headline: "OPINION" in a <p class="kicker">, or right before the <h1>."""
    if element.tag not in ("p", "div", "span"):
        return False
    text = _text_of(element)
    if not 0 < len(text.split()) <= KICKER_WORDS:
        return False
    if any(_KICKER_MARK.search(mark) for mark in marks.split()):
        return True
    after = element.getnext()
    if after is None or after.tag != "h1" or not _STORY_KIND.fullmatch(text):
        return False
    return after is next(element.getroottree().iter("h1"))  # the page's headline, not a later part's


def _glued(element: Any) -> bool:
    """Whether an element follows text with no space between ("pressure.<a>1</a>"), unlike a
    number that is a word of the sentence ("at paragraph <a href="#para12">12</a> above")."""
    before = element.getprevious()
    text = (before.tail if before is not None else element.getparent().text) or ""
    return bool(text) and not text[-1].isspace()


def _credit_line(paragraph: Any) -> bool:
    """A pull quote's paragraph that is its credit: marked so ("pullquote-credit") and not its
    first paragraph."""
    return bool(_CREDIT_MARK.search(_marks(paragraph))) and paragraph.getprevious() is not None


def _text_of(element: Any) -> str:
    return "".join(element.itertext()).strip()


def _nearest(element: Any, tag: str) -> Any:
    return next((up for up in element.iterancestors() if up.tag == tag), None)


def _stands_alone(cite: Any) -> bool:
    """Whether a <cite> is a line of its own ("— Anne Hidalgo"), not a work's title inside a
    sentence ("as the critic wrote in <cite>The Times Literary Supplement</cite> last week")."""
    parent = cite.getparent()
    if parent is None or parent.tag == "blockquote":
        return True
    around = (parent.text or "") + "".join(
        (c.tail or "") + ("" if c is cite else "".join(c.itertext())) for c in parent
    )
    return not around.strip(" —–-,")


def _spaced(text: str) -> str:
    """Text with its runs of whitespace made one space, none before a comma or a full stop."""
    return re.sub(r"\s+([,.;:])", r"\1", " ".join(text.split()))


def _standfirst(tree: Any) -> list[str]:
    """The summary between the headline and the story ("The £40m scheme will flood the valley
    by 2027"), often the story's main fact in one sentence, or its key points (a piece each:
    a list's items, the lines of a <br>). trafilatura keeps the article's body alone and drops
    it. It is an element after the headline (the last <h1> before it: a blog's site name is one
    too) that is marked as one, or that shows the page's own description (`og:description`)
    where the marks say nothing ("dcr-1yi1cnj"), before the story's first paragraph; not the
    site's tagline in its banner ("site-description"), a byline or a picture's caption."""
    if isinstance(tree, str):
        return []
    body = tree.find("body")
    if body is None:
        return []
    described = _squeezed(_description(tree))
    started = next(body.iter("h1"), None) is None  # with no headline, from the top
    for element in body.iter():
        if element.tag == "h1":
            started = True
            continue
        if not started or not isinstance(element.tag, str) or element.tag not in ("p", "div", "h2", "span", "ul"):
            continue
        if any(_SITE_MARK.search(_marks(e)) for e in (element, *element.iterancestors())):
            continue
        if any(a.tag in _FURNITURE for a in element.iterancestors()):
            continue
        pieces = _pieces(element)
        text = " ".join(pieces)
        # A heading's id made of its own words ("summary-of-the-main-findings") says nothing.
        marks = [mark for mark in _marks(element).split() if mark != _slug(text)]
        marked = any(_STANDFIRST_MARK.search(mark) and not _PICTURE.search(mark) for mark in marks)
        byline = any(_BYLINE_MARK.search(mark) or _WHEN.search(mark) for mark in marks)
        # A sentence-long <h2> right under the headline is its subtitle, not a section's name.
        subtitle = element.tag == "h2" and _follows_headline(element) and len(text.split()) >= SUBTITLE_WORDS
        if marked or subtitle or _squeezed(text) == described:
            if (
                len(text.split()) >= STANDFIRST_WORDS
                and len(text) <= STANDFIRST_CHARS
                and _linked(element) <= 0.3 * len(text)
            ):
                # A sentence right under the headline, else trafilatura names the story's
                # sections after it; a shorter one, or one further on, heads a section as well.
                if element.tag == "h2" and _after_headline(element) and len(text.split()) >= SUBTITLE_WORDS:
                    _take_out(element)
                return pieces
        elif element.tag == "p" and len(text.split()) >= STANDFIRST_WORDS and not byline:
            return []  # the story has begun: what is marked further on is not its summary
    return []


def _follows_headline(element: Any) -> bool:
    """Whether an element comes right after the headline, in the headline's own <header> or
    <hgroup> (where an <h2> beside an article's <h1> names its first section)."""
    parent = element.getparent()
    return _after_headline(element) and parent is not None and parent.tag in ("header", "hgroup")


def _after_headline(element: Any) -> bool:
    before = element.getprevious()
    return before is not None and before.tag == "h1"


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


def _pieces(element: Any) -> list[str]:
    """An element's text in the pieces its list items, paragraphs and line breaks make; the
    heading over a list of points ("What we're covering") is no piece of it."""
    pieces = [""]
    listed = next(element.iter("li"), None) is not None  # a list of points under its own heading

    def walk(node: Any) -> None:
        breaks = isinstance(node.tag, str) and node.tag in _BREAKS
        if breaks:
            pieces.append("")
        if listed and node is not element and node.tag in ("h2", "h3", "h4", "h5", "h6"):
            return
        if isinstance(node.tag, str):  # a comment's text is no text
            pieces[-1] += node.text or ""
            for child in node:
                walk(child)
                pieces[-1] += child.tail or ""
        if breaks:
            pieces.append("")

    walk(element)
    return [text for piece in pieces if (text := " ".join(piece.split()))]


def _description(tree: Any) -> str:
    for name in ("og:description", "description", "twitter:description"):
        for meta in tree.iter("meta"):
            if name in (meta.get("property"), meta.get("name")) and meta.get("content"):
                return meta.get("content")
    return ""


def _linked(element: Any) -> int:
    """Characters of an element's text that are in its links."""
    return sum(len(" ".join("".join(a.itertext()).split())) for a in element.iter("a"))


def _squeezed(text: str) -> str:
    return "".join(text.split()).lower()


def _text_but_when(element: Any) -> Iterator[str]:
    """An element's text without the parts that date it (a <time>, a "byline__date"): a byline
    is quoted for who wrote, and "Published 11 March 2025, 16:40 Updated 12 March 2025, 09:05"
    made it a long sentence of dates (the page's date comes from its metadata); so did a time
    alone ("Updated 18:05")."""
    text = " ".join(" ".join(element.itertext()).split())
    dated = _WHEN.search(_marks(element)) and (dates_in(text) or _CLOCK.search(text)) and not _BY.match(text)
    if element.tag == "time" or dated:  # not an "author-and-date" that names the writer too
        yield element.tail or ""
        return
    yield element.text or ""
    for child in element:
        yield from _text_but_when(child)
    yield element.tail or ""


def _open_boxes(tree: Any) -> None:
    """Boxes of the story's own text, which trafilatura drops with every <aside>: a briefing's
    "Key points", an interview's "Fact file". A box inside the article that is mostly text,
    not links or an offer ("Related stories", "Sign up to our newsletter"), is read as a section
    at the article's end (its heading, where the box stood, named the story after it too). A
    picture's caption is read as a paragraph after the picture."""
    if isinstance(tree, str):
        return
    for box in list(tree.iter("aside")):
        article = next(
            (a for a in box.iterancestors() if a.tag in ("article", "main") or _CONTENT_MARK.search(_marks(a))), None
        )
        text = len(" ".join("".join(box.itertext()).split()))
        if article is not None and text >= BOX_CHARS and _linked(box) <= 0.3 * text and not _OFFER.search(_marks(box)):
            _take_out(box)
            box.tag = "section"
            article.append(box)
    # A picture's caption can hold a fact the story does not ("which opened in 1968, carries
    # 1,800 people a day"); trafilatura drops it with the picture. Its credit is no text.
    for figure in list(tree.iter("figure")):
        caption = next(figure.iter("figcaption"), None)
        if caption is None or figure.getparent() is None:
            continue
        for credit in [e for e in caption.iter() if e is not caption and _CREDIT_MARK.search(_marks(e))]:
            _take_out(credit)  # "Photo: Getty", a span of its own
        words = _CREDIT.sub("", " ".join(" ".join(caption.itertext()).split()))
        if len(words.split()) >= CAPTION_WORDS:
            _take_out(caption)  # the figure stays: it may hold a table
            paragraph = figure.makeelement("p", {})
            body = figure.getnext()
            if not (figure.tail or "").strip() and body is not None and _holds_story(body):
                # A picture between the headline and the story's own container: trafilatura
                # reads only the container, so the caption opens it.
                paragraph.text, paragraph.tail = words, body.text
                body.text = None
                body.insert(0, paragraph)
                continue
            paragraph.text, paragraph.tail, figure.tail = words, figure.tail, None
            figure.addnext(paragraph)


def _holds_story(element: Any) -> bool:
    """Whether an element is a container of the story's paragraphs ("article-body")."""
    return element.tag in ("div", "section") and sum(1 for _ in element.iter("p")) >= 2


def _marks(element: Any) -> str:
    """What an element's markup says it is: its class and id, and the names a site's components
    give it ("byline-block", "standfirst")."""
    names = (element.get(a, "") for a in ("class", "id", "data-component", "data-testid", "data-gu-name"))
    return " ".join(names).lower()


def _take_out(element: Any) -> None:
    """Remove an element from its parent, keeping the text that follows it."""
    parent = element.getparent()
    if element.tail:
        before = element.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    element.tail = None
    parent.remove(element)


def _names_author(blocks: list[Block], authors: str | None) -> bool:
    """Whether the text kept has a byline of its own: a short block naming the writer the
    page's metadata gives ("A; B" for two), or with none given, one opening it. A columnist's
    note at the end ("Hélène Dubois-Marchetti is professor of epidemiology…", a sentence of more
    than a few words) is no byline."""
    if not authors:
        return bool(blocks) and blocks[0].text.lower().startswith("by ")
    bylines = [
        b.text
        for b in blocks
        if len(b.text) <= BYLINE_CHARS and (len(b.text.split()) <= BYLINE_WORDS or not _SENTENCE_END.search(b.text))
    ]
    return any(name.strip() in text for name in authors.split(";") for text in bylines)


def _paragraph_text(element: Any) -> int:
    """Characters of text in paragraphs, list items and cells, links apart: a "Most read" list
    of other stories' headlines is no part of the article."""
    return sum(
        len("".join(p.itertext())) - sum(len("".join(a.itertext())) for a in p.iter("a"))
        for p in element.iter("p", "li", "td")
    )


def _declared_charset(head: bytes) -> str | None:
    """The codec named by a <meta charset> or XML declaration, as a browser would read it."""
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # bytes that parse as ASCII cannot be UTF-16: browsers ignore this too
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _html_text(text: str) -> str:
    sample = text[:65536]
    if len(CONTROL.findall(sample)) > len(sample) // 100:
        raise Unreadable("binary file")
    if not _HTML_TAG.search(sample):
        raise Unreadable("no HTML markup")
    return text


def _xml_blocks(body: Any) -> list[Block]:
    """Blocks from trafilatura's XML tree: <head> names a section; <p>, <item> and <quote>
    give a block per line of text, a <table> a block per row, under its header row if it has
    one; a definition list's term names its definition's blocks, as a heading would, and
    opens its first ("heapq.heappop(heap): Pop and return the smallest item…"; the signature
    alone was quoted for what heappop returns, and the definition did not say what it
    defines), unless the term is a sentence of its own (a FAQ's question); code blocks and
    images are skipped."""
    blocks: list[Block] = []
    section: str | None = None
    headings = Headings()
    opening: str | None = None  # a term to open the next block with

    def add(text: str, header: str | None = None) -> None:
        nonlocal opening
        for line in text.split("\n"):
            line = " ".join(line.split())
            if line:
                if opening:
                    line, opening = f"{opening}: {line}", None
                blocks.append(Block(line, section=section_under(section, header)))

    def visit(element: Any, term: str | None = None) -> None:
        nonlocal section, opening
        add(_xml_text(element), term)
        named = term  # what the definitions after a term are under
        for child in element:
            rend = str(child.get("rend", ""))
            if child.tag == "head":
                name = _EDIT_LINK.sub("", " ".join(_xml_text(child).split()))
                level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else HEADING_LEVEL
                section = headings.enter(level, name) if name else section
            elif child.tag == "table":
                header = None
                rows = list(child.iter("row"))
                for number, row in enumerate(rows):
                    cells = [" ".join(" ".join(cell.itertext()).split()) for cell in row]
                    heads = header is None and len(row) and all(cell.get("role") == "head" for cell in row)
                    if heads and section and row_text(cells) == section.rsplit(": ", 1)[-1]:
                        continue  # a wiki's infobox, titled as the page it is on: no new name
                    # A header row of labels names the rows under it and is no sentence,
                    # unless none is under it (see markdown.py).
                    if not (heads and number + 1 < len(rows) and labels_only(cells)):
                        add(row_text(cells), header)
                    if heads:
                        header = " | ".join(cell for cell in cells if cell)
            elif child.tag == "item" and rend.startswith("dt"):
                named = " ".join(_xml_text(child).split()) or term
            elif child.tag == "item" and rend.startswith("dd"):
                opening = named if named and named != term and named[-1] not in ".?!" else None
                visit(child, named)
                opening = None
            elif child.tag in _XML_CONTAINERS:
                visit(child, term)

    visit(body)
    return blocks


def _xml_text(element: Any) -> str:
    """The inline text of an element: its words and those of inline children such as <hi>,
    <ref> or inline <code>, with <lb> (a <br>) as a line break; a line break in the page's
    source is a space, as a browser shows it (a documentation page wrapped at 80 columns gave a
    block per line: "functions that act on" | "or return other functions."). Children that hold
    paragraphs are left to `_xml_blocks`; code blocks and images give no text."""
    parts = [_unwrapped(element.text)]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in _XML_CONTAINERS and child.tag != "graphic" and not _is_code_block(child, element):
            parts.append(_xml_text(child))
        parts.append(_unwrapped(child.tail))
    return "".join(parts)


def _unwrapped(text: str | None) -> str:
    return (text or "").replace("\r", " ").replace("\n", " ")


def _is_code_block(element: Any, parent: Any) -> bool:
    """A <code> standing as a block of its own (from <pre>), not inline code within a sentence."""
    if element.tag != "code":
        return False
    return parent.tag in ("body", "list", "div", "quote") or "\n" in _text_of(element)
