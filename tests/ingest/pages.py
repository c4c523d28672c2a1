"""Realistic article pages for pipeline tests: navigation, scripts, a cookie banner, a footer, and the
story in between, the way news sites actually send them."""

from html import escape

KOREA_CONSIDERING = [
    "SEOUL, Oct 21 (Wire) - South Korea is actively considering sending lethal weapons to Ukraine in response "
    "to North Korea's deployment of troops to Russia, a presidential office official said on Monday.",
    "The South Korean government, which had previously committed to providing only non-lethal aid to Ukraine, "
    "said the first package could consist of 155mm artillery shells if the review goes ahead.",
    "\"We will keep all options open and make a policy decision in response to North Korea's troop "
    'deployment," a senior government official told reporters in Seoul, adding that the decision depends on '
    "Russia's actions.",
    "South Korean intelligence estimates that North Korea has dispatched more than 1,500 special forces to "
    "Russia. Analysts said Seoul would weigh the risk of retaliation from Moscow before any shipment.",
]

GERMANY_TAURUS = [
    "BERLIN, March 1 (Wire) - German Chancellor Olaf Scholz said on Friday that Germany will not supply "
    "Taurus cruise missiles to Ukraine, repeating his refusal despite pressure from coalition partners.",
    "Scholz told an audience in Berlin that delivering the long-range missiles would risk drawing Germany "
    "directly into the war, and that German soldiers could not be involved in targeting at any point.",
    "Germany remains the second-largest supplier of military aid to Ukraine after the United States, "
    "with air defence systems, tanks and artillery ammunition already delivered or on order.",
    "Opposition lawmakers criticised the decision and said they would bring a motion to parliament next week "
    "calling on the government to change course on the missiles.",
]

# Arms and two countries, but no government's stance on aid: production figures.
HOWITZER_OUTPUT = [
    "CHANGWON, Nov 4 (Wire) - Hanwha Aerospace said on Tuesday it would double its output of K9 self-propelled "
    "howitzers next year to meet orders from Poland and Romania, as European armies rebuild their artillery.",
    "The company said its plant in Changwon would run a third shift from January, and that a joint venture in "
    "Poland would begin assembling the guns locally in 2026.",
    "Shares in the company rose 4 percent on the news. Analysts said the order book now stretched into the "
    "next decade, with further tenders expected in the Nordic countries and the Baltic states.",
]
# No arms at all: a trade story.
RICE_PRICES = [
    "TOKYO, Nov 4 (Wire) - Rice prices in Japan rose for a sixth straight month in October, the farm ministry "
    "said on Tuesday, as a poor harvest and strong demand from tourists kept supermarket shelves thin.",
    "The government said it would release more rice from its emergency reserves, and traders said imports "
    "from the United States and Thailand would rise before the end of the year.",
    "Economists expect the increase to keep core inflation above the central bank's target into next spring.",
]


def article_page(
    title: str,
    paragraphs: list[str],
    *,
    canonical: str = "",
    published: str = "2024-10-21T09:00:00+09:00",
    extra_body: str = "",
) -> bytes:
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    story = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | Example Wire</title>
{link}
<meta property="article:published_time" content="{published}">
<script>window.dataLayer=[];function track(){{document.write("tracking pixel text")}}</script>
<style>.nav{{color:red}}</style></head>
<body>
<header class="nav"><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a>
<a href="/business">Business</a> <a href="/subscribe">Subscribe</a></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
<main><article>
<h1>{escape(title)}</h1>
<p class="byline">By Staff Reporter</p>
{story}
{extra_body}
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Celebrity wedding photos</a></li>
<li><a href="/y">Ten recipes for autumn</a></li></ul></aside>
<footer>© 2024 Example Wire. All rights reserved. <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<script>track();</script>
</body></html>""".encode()
